import { ParseError, RuleViolation } from '../../base/errors.js';
import { defineGame, type GameModule } from '../../core/game.js';
import { z } from 'zod';

/**
 * A game defined in code, in one file (no folder, no clemgame.json): the Guesser finds a number from 1 to 10 with
 * "higher"/"lower" hints. Used by the tests of code-defined games (run, score, the shared game suite).
 */
const Instance = z.looseObject({ game_id: z.number().int(), target: z.number().int().min(1).max(10) });
type State = { target: number; tries: number; hint: string };

export const numberGame = defineGame<z.infer<typeof Instance>, State, number>({
  instanceSchema: Instance,
  maxRequests: 12,
  setup: (instance) => ({ target: instance.target, tries: 0, hint: '' }),
  prompt: (state, _player, ctx) => ctx.render('ask', { hint: state.hint }),
  parse: (_state, _player, reply) => {
    const m = /^GUESS:\s*(\d+)\s*$/.exec(reply.trim());
    if (!m) throw new ParseError('the reply must be GUESS: <number>', reply);
    return Number(m[1]);
  },
  advance: (state, _player, guess, ctx) => {
    if (guess < 1 || guess > 10) throw new RuleViolation(`${guess} is not from 1 to 10`);
    state.tries += 1;
    ctx.log('guess', guess);
    if (guess === state.target) return { kind: 'end', outcome: 'success' };
    state.hint = guess < state.target ? 'higher' : 'lower';
    return { kind: 'continue' };
  },
  score: ({ interactions }) => {
    const guesses = interactions.turns.flat().filter((e) => e.action.type === 'guess').length;
    return {
      rounds: interactions.turns.map(() => ({})),
      episode: { 'Main Score': interactions.Success === 1 ? 100 / guesses : 0, Guesses: guesses },
    };
  },
});

/** The module a user would export: spec, templates and instances in code, and a mock that bisects. */
export const numberGameModule: GameModule = {
  spec: { game_name: 'numbers', roles: ['Guesser'], description: 'Find a number from 1 to 10.' },
  game: numberGame,
  templates: { ask: '{{#if hint}}{{hint}}. {{/if}}Guess a number from 1 to 10. Answer GUESS: <number>.' },
  instances: { experiments: [{ name: 'small', game_instances: [3, 7, 10].map((target, game_id) => ({ game_id, target })) }] },
  mock: {
    name: 'mock',
    description: 'Bisects 1..10 from the hints in its history.',
    respond: (request) => {
      let [lo, hi] = [1, 10];
      const users = request.messages.filter((m) => m.role === 'user');
      const asked = request.messages.filter((m) => m.role === 'assistant').map((m) => Number(/\d+/.exec(m.content)?.[0]));
      users.slice(1).forEach((m, i) => {
        const last = asked[i] as number;
        if (m.content.startsWith('higher')) lo = last + 1;
        else hi = last - 1;
      });
      return `GUESS: ${Math.floor((lo + hi) / 2)}`;
    },
  },
};
