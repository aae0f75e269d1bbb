import { z } from 'zod';
import { createRng } from '../../base/rng.js';
import type { InstancesFile } from '../../registry/instances.js';

/** One hello episode: the guest's name. */
export const HelloInstanceSchema = z.looseObject({
  game_id: z.number().int().nonnegative(),
  guest: z.string().min(1).describe('The name the Greeter must use.'),
});
export type HelloInstance = z.infer<typeof HelloInstanceSchema>;

/** Experiment-level fields: how many greeting rounds to play. */
export const HelloExperimentSchema = z.looseObject({
  name: z.string(),
  rounds: z.number().int().min(1).max(5).describe('Greeting rounds (GREET then REPLY) to play.'),
});
export type HelloExperiment = z.infer<typeof HelloExperimentSchema>;

const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Tim', 'Radia', 'John'];

/** Two experiments (one and two rounds) of `perExperiment` guests each, drawn with a seeded RNG. */
export function generateInstances(seed: number, options: { perExperiment?: number } = {}): InstancesFile {
  const rng = createRng(seed);
  const n = options.perExperiment ?? 5;
  const experiment = (name: string, rounds: number) => ({
    name,
    rounds,
    game_instances: rng.shuffle(NAMES).slice(0, n).map((guest, game_id) => ({ game_id, guest })),
  });
  return { experiments: [experiment('one_round', 1), experiment('two_rounds', 2)] };
}
