/**
 * The files `clem-ts new game NAME` writes: a small, complete game (guess a number with higher/lower hints) that
 * plays at once with `-m mock`, passes the shared game suite and shows every hook. `__NAME__` is the game's name.
 */
export const NEW_GAME_FILES: Readonly<Record<string, string>> = {
  'clemgame.json': `{
  "game_name": "__NAME__",
  "description": "Guess a secret number; the game master says higher or lower after each guess.",
  "players": 1,
  "roles": ["Guesser"],
  "main_game": "__NAME__",
  "image": "none",
  "languages": ["en"],
  "benchmark": [],
  "instances": "instances",
  "eval_metrics": ["Guesses"]
}
`,
  'master.ts': `import { defineGame, ParseError, RuleViolation, type GameModule, type Program } from 'clem-ts';
import { generateInstances, InstanceSchema, type Instance } from './instances.js';

interface State {
  target: number;
  max: number;
  guesses: number;
  hint: 'higher' | 'lower' | null;
}

/**
 * The Guesser looks for a number from 1 to \`max\`: after each wrong guess the game master says "higher" or "lower".
 * A reply that is not \`GUESS: <number>\` aborts the episode (ParseError: the player broke the protocol); a number
 * outside 1..max loses it (RuleViolation: the player broke a rule); running out of guesses loses it too.
 */
export const game = defineGame<Instance, State, number>({
  instanceSchema: InstanceSchema,
  maxRequests: 20,

  setup: (instance, ctx) => {
    ctx.setKey('target', instance.target);
    return { target: instance.target, max: instance.max, guesses: 0, hint: null };
  },

  prompt: (state, _player, ctx) =>
    state.hint === null ? ctx.render('first', { max: state.max, limit: 10 }) : ctx.render('hint', { hint: state.hint }),

  parse: (_state, _player, reply) => {
    const match = /^GUESS:\\s*(\\d+)\\s*$/i.exec(reply.trim());
    if (!match) throw new ParseError('the reply must be GUESS: <number>', reply);
    return Number(match[1]);
  },

  advance: (state, _player, guess, ctx) => {
    if (guess < 1 || guess > state.max) throw new RuleViolation(\`\${guess} is not between 1 and \${state.max}\`);
    state.guesses += 1;
    ctx.log('guess', guess);
    if (guess === state.target) return { kind: 'end', outcome: 'success', reason: \`found in \${state.guesses} guess(es)\` };
    if (state.guesses >= 10) return { kind: 'end', outcome: 'lose', reason: 'no guesses left' };
    state.hint = guess < state.target ? 'higher' : 'lower';
    return { kind: 'continue' };
  },

  // Scores read only the recorded episode (never live state): \`clem-ts score\` can recompute them at any time.
  score: ({ interactions }) => {
    const guesses = interactions.turns.map((events) => events.filter((e) => e.action.type === 'guess').length);
    const total = guesses.reduce((a, b) => a + b, 0);
    return {
      rounds: guesses.map((n) => ({ Guesses: n })),
      episode: { 'Main Score': interactions.Success === 1 ? 100 / total : 0, Guesses: total },
    };
  },
});

/** \`-m mock\`: halves the range after each hint, reading its own earlier guesses from its message history. */
const mock: Program = {
  name: 'mock',
  description: 'Finds the number by bisection.',
  respond: (request) => {
    const max = Number(request.episode?.instance.max ?? 100);
    let low = 1;
    let high = max;
    const guesses = request.messages.filter((m) => m.role === 'assistant').map((m) => Number(/\\d+/.exec(m.content)?.[0]));
    const hints = request.messages.filter((m) => m.role === 'user').slice(1);
    hints.forEach((hint, i) => {
      if (hint.content.includes('higher')) low = (guesses[i] ?? low) + 1;
      else high = (guesses[i] ?? high) - 1;
    });
    return \`GUESS: \${Math.floor((low + high) / 2)}\`;
  },
};

const module: GameModule = { game, mock, generateInstances };
export default module;
`,
  'instances.ts': `import { createRng, z, type InstancesFile } from 'clem-ts';

/** One episode: the secret number and the range it is drawn from. */
export const InstanceSchema = z.looseObject({
  game_id: z.number().int().nonnegative(),
  max: z.number().int().min(2).describe('The number is between 1 and max.'),
  target: z.number().int().min(1).describe('The secret number.'),
}).refine((i) => i.target <= i.max, { message: 'target must be at most max', path: ['target'] });
export type Instance = z.infer<typeof InstanceSchema>;

/** Two experiments (numbers up to 10 and up to 100), five instances each, drawn with a seeded generator. */
export function generateInstances(seed: number): InstancesFile {
  const rng = createRng(seed);
  const experiment = (name: string, max: number) => ({
    name,
    game_instances: Array.from({ length: 5 }, (_, game_id) => ({ game_id, max, target: 1 + rng.int(max) })),
  });
  return { experiments: [experiment('up_to_10', 10), experiment('up_to_100', 100)] };
}
`,
  'prompts/first.hbs': `I am thinking of a number between 1 and {{max}}. You have {{limit}} guesses.
After each wrong guess I say "higher" or "lower".
Answer with exactly one line: GUESS: <number>
`,
  'prompts/hint.hbs': `{{hint}}
`,
  'master.test.ts': `import { expect, it } from 'vitest';
import { checkGame, playScripted } from 'clem-ts/testing';

const folder = new URL('.', import.meta.url).pathname;

it('passes the shared game suite (instances, generator, mock play, scores, replay)', async () => {
  const report = await checkGame(folder);
  expect(report.passed).toBe(true);
});

it('aborts on a reply that is not GUESS: <number>', async () => {
  const episode = await playScripted(folder, { Guesser: ['I think 5'] });
  expect(episode.outcome).toBe('aborted');
});

it('loses on a number out of range', async () => {
  const episode = await playScripted(folder, { Guesser: ['GUESS: 1000'] });
  expect(episode.outcome).toBe('lose');
});
`,
  'README.md': `# __NAME__

Guess a secret number: the Guesser answers \`GUESS: <number>\`; after a wrong guess the game master says "higher" or
"lower". Written by \`clem-ts new game __NAME__\`: edit it into your own game.

| file | holds |
|---|---|
| \`clemgame.json\` | the game's entry: name, roles, default instances, extra metrics for \`eval\` |
| \`master.ts\` | the rules (setup, prompt, parse, advance, score) and the \`-m mock\` player; loaded without a build step |
| \`instances.ts\` | the instance schema and the seeded generator (\`clem-ts generate -g __NAME__\` rewrites \`in/instances.json\`) |
| \`prompts/*.hbs\` | what the players see (Handlebars; a missing variable is an error) |
| \`master.test.ts\` | the shared game suite (\`checkGame\`) and tests of the rules (\`playScripted\`) |

- **Roles**: Guesser.
- **Instance fields**: \`max\` (the number is from 1 to max), \`target\` (the number).
- **Outcomes**: success when the number is found; lose after 10 wrong guesses or a number out of range; aborted
  when a reply is not \`GUESS: <number>\`.
- **Scores**: \`Main Score\` = 100 / guesses on success, else 0; \`Guesses\` per round and per episode.

\`\`\`bash
npx clem-ts run -g __NAME__ -m mock       # plays every instance with the mock player
npx clem-ts run -g __NAME__ -m gpt-4o-mini
npx clem-ts eval && npx clem-ts transcribe
npm install -D vitest && npx vitest run __NAME__   # the game's tests
\`\`\`
`,
};
