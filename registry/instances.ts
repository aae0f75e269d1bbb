import { z } from 'zod';
import { safeNameSchema } from './safe-name.js';

/**
 * in/instances.json: experiments, each with a `name` and `game_instances`; each instance has an integer
 * `game_id` (clemcore ≥3.3 names folders `instance_{game_id:05d}`). Every other key is the game's: the
 * game's own zod schemas validate them. Unknown keys are kept.
 */
export const GameInstanceSchema = z.looseObject({
  game_id: z.number().int().nonnegative().describe('Unique within the experiment; names the instance folder.'),
});

export const ExperimentSchema = z.looseObject({
  name: safeNameSchema('experiment name').describe('Experiment name; names the experiment folder (a safe path component: registry/safe-name.ts), unique in the file.'),
  game_instances: z.array(GameInstanceSchema),
});

export const InstancesFileSchema = z
  .looseObject({
    experiments: z.array(ExperimentSchema).min(1, 'expected at least one experiment'),
  })
  .superRefine((file, ctx) => {
    const experimentAt = new Map<string, number>();
    file.experiments.forEach((exp, e) => {
      const first = experimentAt.get(exp.name);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: ['experiments', e, 'name'], message: `duplicate experiment name "${exp.name}" (also experiments[${first}]); each experiment names its own folder` });
      else experimentAt.set(exp.name, e);
      const seen = new Set<number>();
      exp.game_instances.forEach((inst, i) => {
        if (seen.has(inst.game_id))
          ctx.addIssue({ code: 'custom', path: ['experiments', e, 'game_instances', i, 'game_id'], message: `duplicate game_id ${inst.game_id}` });
        seen.add(inst.game_id);
      });
    });
  })
  .describe('A game\'s instances file (clemcore-compatible).');

export type InstancesFile = z.infer<typeof InstancesFileSchema>;
export type Experiment = z.infer<typeof ExperimentSchema>;
export type GameInstance = z.infer<typeof GameInstanceSchema>;
