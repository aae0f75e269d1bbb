/**
 * A whole game in one .ts file, as a user writes it against the published package: two numbers to add, a mock
 * that adds them, an extra metric (`Size`) declared in its spec, and a helper function defined below its use.
 * Tests write it to disk and play it by path (`-g ./sums.ts`) with the repository's CLI or an installed one.
 */
export const SUMS_GAME_SOURCE = `import { defineGame, ParseError, z, type GameModule } from 'clem-ts';

const game = defineGame({
  instanceSchema: z.object({ game_id: z.number(), a: z.number(), b: z.number() }),
  setup: (i) => ({ sum: i.a + i.b, a: i.a, b: i.b }),
  prompt: (s, _p, ctx) => ctx.render('ask', s),
  parse: (_s, _p, reply) => {
    const n = Number(reply.trim());
    if (reply.trim() === '' || !Number.isInteger(n)) throw new ParseError('expected a whole number', reply);
    return n;
  },
  advance: (s, _p, n: number, ctx) => {
    ctx.log('answer', n);
    return { kind: 'end', outcome: n === s.sum ? 'success' : 'lose' };
  },
  score: ({ interactions, instance }) => ({
    rounds: [{}],
    episode: { 'Main Score': interactions.Success === 1 ? 100 : 0, Size: SIZE_OF(instance) },
  }),
});

function SIZE_OF(i: { a: number; b: number }): number {
  return i.a + i.b;
}

const module: GameModule = {
  spec: { game_name: 'sums', roles: ['Adder'], description: 'Add two numbers.', eval_metrics: ['Size'] },
  game,
  templates: { ask: 'What is {{a}} + {{b}}? Answer with the number only.' },
  instances: { experiments: [{ name: 'small', game_instances: [[1, 2], [20, 22], [5, 5]].map(([a, b], game_id) => ({ game_id, a, b })) }] },
  mock: { name: 'mock', description: 'adds', respond: (r) => String(Number(r.episode?.instance.a) + Number(r.episode?.instance.b)) },
};
export default module;
`;
