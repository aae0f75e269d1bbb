import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Program } from '../../backends/programmatic/program.js';
import { ParseError, RuleViolation } from '../../base/errors.js';
import { defineGame, type GameModule } from '../../core/game.js';
import { TemplateSet } from '../../core/templates.js';

/**
 * "toy": a two-player game for framework tests whose replies script the game master. A reply must start
 * with `SAY:` (else ParseError → aborted). After the prefix: `win` ends in success, `lose` breaks a rule
 * (RuleViolation → lost), `again` re-prompts the same player in the same round, `note` notes a violation
 * and goes on, `reserved` tries to overwrite the reserved key `Success`, `nan` sets a game key to NaN (which
 * no result file may hold), anything else passes the turn.
 */
export const ToyInstanceSchema = z.looseObject({
  game_id: z.number().int().nonnegative(),
  ending: z.enum(['win', 'lose', 'garbage']).describe('How the mock Listener ends the episode.'),
});
export type ToyInstance = z.infer<typeof ToyInstanceSchema>;

interface ToyState {
  last: string;
  round: number;
}

export const TOY_TEMPLATES: ReadonlyMap<string, string> = new Map([
  ['turn', '{{role}}, round {{round}}. The other player said: {{last}}'],
]);

export const toyGame = defineGame<ToyInstance, ToyState, string>({
  instanceSchema: ToyInstanceSchema,
  setup: (instance, ctx) => {
    ctx.setKey('ending', instance.ending);
    ctx.setKey('draw', ctx.rng.int(1_000_000));
    return { last: '(nothing yet)', round: 0 };
  },
  prompt: (state, player, ctx) => ctx.render('turn', { role: player.role, round: state.round, last: state.last }),
  parse: (_state, _player, reply) => {
    if (!reply.startsWith('SAY:')) throw new ParseError('the reply must start with SAY:', reply);
    return reply.slice(4).trim();
  },
  advance: (state, player, move, ctx) => {
    state.last = move;
    if (move === 'win') return { kind: 'end', outcome: 'success', reason: 'said win' };
    if (move === 'lose') throw new RuleViolation('lose is a forbidden word');
    if (move === 'again') return { kind: 'continue', next: player.index, reprompt: true };
    if (move === 'note') ctx.noteViolation('note is frowned upon');
    if (move === 'reserved') ctx.setKey('Success', 1);
    if (move === 'nan') ctx.setKey('bad', Number.NaN);
    return { kind: 'continue' };
  },
  onRoundEnd: (state) => {
    state.round += 1;
  },
  score: ({ interactions }) => ({
    rounds: interactions.turns.map((events) => ({ Replies: events.filter((e) => e.action.type === 'get message').length })),
    episode: { 'Main Score': interactions.Success === 1 ? 100 : 0 },
  }),
});

function mockReply(role: string | undefined, ending: unknown): string {
  if (role !== 'Listener') return 'SAY: hello';
  return ending === 'garbage' ? 'garbage' : `SAY: ${String(ending)}`;
}

/** `-m mock`: the Speaker says hello, the Listener ends as the instance's `ending` says. */
const mock: Program = {
  name: 'mock',
  description: 'Plays toy as the instance says.',
  respond: (request) => mockReply(request.episode?.role, request.episode?.instance.ending),
};

/** `toy/boom`: like mock, but the Listener's backend call fails for game_id 1 of experiment "basic". */
const boom: Program = {
  name: 'boom',
  description: 'Fails for basic/1.',
  respond: (request) => {
    if (request.episode?.experimentName === 'basic' && request.episode.gameId === 1 && request.episode.role === 'Listener') throw new Error('boom: the model server went away');
    return mockReply(request.episode?.role, request.episode?.instance.ending);
  },
};

/** The gate `toy/gate` waits at: tests open it, and read how many calls waited at once and in which order. */
export const toyGate = {
  waiting: 0,
  peak: 0,
  /** `experiment/game_id` of each call as it arrived. */
  arrivals: [] as string[],
  open: (): void => {},
  opened: Promise.resolve(),
  /** Closes the gate and clears the counts. */
  reset(isOpen = false): void {
    toyGate.waiting = 0;
    toyGate.peak = 0;
    toyGate.arrivals = [];
    toyGate.opened = isOpen ? Promise.resolve() : new Promise<void>((resolve) => (toyGate.open = resolve));
  },
};

/** `toy/gate`: like mock, but each reply waits for `toyGate` to open (and at least one turn of the event loop). */
const gate: Program = {
  name: 'gate',
  description: 'Waits for the test to open the gate.',
  respond: async (request) => {
    toyGate.arrivals.push(`${request.episode?.experimentName}/${request.episode?.gameId}`);
    toyGate.waiting += 1;
    toyGate.peak = Math.max(toyGate.peak, toyGate.waiting);
    await toyGate.opened;
    await new Promise((resolve) => setImmediate(resolve));
    toyGate.waiting -= 1;
    return mockReply(request.episode?.role, request.episode?.instance.ending);
  },
};

const toyModule: GameModule = { game: toyGame, mock, programs: [boom, gate] };
export default toyModule;

/** Templates for playEpisode tests, the same the game folder gets. */
export function toyTemplates(): TemplateSet {
  return new TemplateSet(TOY_TEMPLATES);
}

export const TOY_CLEMGAME = {
  game_name: 'toy',
  description: 'A scripted game for framework tests.',
  players: 2,
  roles: ['Speaker', 'Listener'],
  main_game: 'toy',
  languages: ['en'],
  benchmark: ['test-1.0'],
};

export const TOY_INSTANCES = {
  experiments: [
    {
      name: 'basic',
      game_instances: [
        { game_id: 0, ending: 'win' },
        { game_id: 1, ending: 'lose' },
        { game_id: 2, ending: 'garbage' },
      ],
    },
    { name: 'second', game_instances: [{ game_id: 7, ending: 'win' }] },
  ],
};

/**
 * Writes the toy game into `<root>/<folder>/` (clemgame.json, a master.ts that re-exports this module,
 * prompts/, in/instances.json) and `<root>/game_registry.json` naming it by a relative path.
 * Returns the game folder.
 */
export function writeToyGame(root: string, opts: { folder?: string; clemgame?: unknown; instances?: unknown } = {}): string {
  const folder = join(root, opts.folder ?? 'toy');
  mkdirSync(join(folder, 'in'), { recursive: true });
  mkdirSync(join(folder, 'prompts'), { recursive: true });
  writeFileSync(join(folder, 'clemgame.json'), JSON.stringify(opts.clemgame ?? TOY_CLEMGAME, null, 2));
  const self = fileURLToPath(import.meta.url);
  writeFileSync(join(folder, 'master.ts'), `export { default } from ${JSON.stringify(self)};\n`);
  for (const [name, text] of TOY_TEMPLATES) writeFileSync(join(folder, 'prompts', `${name}.hbs`), text);
  writeFileSync(join(folder, 'in', 'instances.json'), JSON.stringify(opts.instances ?? TOY_INSTANCES, null, 2));
  writeFileSync(join(root, 'game_registry.json'), JSON.stringify([{ game_path: `./${opts.folder ?? 'toy'}` }]));
  return folder;
}
