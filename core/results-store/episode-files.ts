import { z } from 'zod';

/**
 * Read schemas of the small episode files the reader loads: tolerant (clem-ts's and every clemcore version's
 * shape), unknown keys kept. The write schemas of these files live with the results store's writer
 * (registry/results-files.ts).
 */

/** instance.json: the game instance as played; clemcore and clem-ts both carry its game_id. */
export const InstanceFileReadSchema = z
  .looseObject({ game_id: z.union([z.number(), z.string()]).optional() })
  .describe('instance.json from clem-ts or clemcore (read-only, tolerant).');
export type InstanceFileRead = z.infer<typeof InstanceFileReadSchema>;

/** error.json from clem-ts (`{timestamp, error, message, code, stack}`) or clemcore 3.7 (`{timestamp, error, message}`). */
export const ErrorFileReadSchema = z
  .looseObject({
    timestamp: z.string().optional(),
    error: z.string().optional(),
    message: z.string().optional(),
    code: z.string().nullable().optional(),
    stack: z.string().nullable().optional(),
  })
  .describe('error.json from clem-ts or clemcore (read-only, tolerant).');
export type ErrorFileRead = z.infer<typeof ErrorFileReadSchema>;

/** completed.json from clem-ts (`{timestamp, outcome}`) or clemcore 3.7 (`{timestamp}`). */
export const CompletedFileReadSchema = z
  .looseObject({ timestamp: z.string().optional(), outcome: z.enum(['success', 'lose', 'aborted']).optional() })
  .describe('completed.json from clem-ts or clemcore (read-only, tolerant).');
export type CompletedFileRead = z.infer<typeof CompletedFileReadSchema>;

/** experiment.json from clem-ts or any clemcore version (2.x adds experiment_name and duration). */
export const ExperimentFileReadSchema = z
  .looseObject({
    name: z.string().optional(),
    game_name: z.string().optional(),
    timestamp: z.string().optional(),
    player_models: z.unknown().optional().describe('clem-ts: model names; clemcore: names or model specs.'),
  })
  .describe('experiment.json from clem-ts or clemcore (read-only, tolerant).');
export type ExperimentFileRead = z.infer<typeof ExperimentFileReadSchema>;
