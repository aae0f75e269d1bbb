import { z } from 'zod';
import { JsonValueSchema } from './json.js';
import { safeNameSchema } from './safe-name.js';

/**
 * The files the results store writes beside interactions.json and scores.json (whose schemas live in
 * registry/interactions.ts and registry/scores.ts), in clemcore 3.7's layout:
 *
 *     <models>/run.json
 *     <models>/<game>/<experiment>/experiment.json
 *     <models>/<game>/<experiment>/instance_NNNNN/{completed.json | error.json, player_N.requests.json}
 *
 * These are the write schemas (what clem-ts writes: unknown keys refused where clem-ts owns the format; every
 * writer checks through them before writing). The tolerant read schemas of the same files, which also take
 * clemcore's shapes, are the reader's (core/results-store/episode-files.ts). Timestamps are ISO 8601; missing
 * numbers are null.
 */

const Timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 date and time.');

// ---------------------------------------------------------------------------------------------- completed.json

export const EpisodeOutcomeSchema = z.enum(['success', 'lose', 'aborted']);

/** completed.json as clem-ts writes it: the episode is done (a rerun skips it). Written last, after every other file. */
export const CompletedFileSchema = z
  .strictObject({
    timestamp: Timestamp,
    outcome: EpisodeOutcomeSchema.describe('How the episode ended (the same as the Success/Lose/Aborted flags).'),
  })
  .describe('completed.json (clem-ts; clemcore 3.7 writes {timestamp} only). Unknown keys refused.');
export type CompletedFile = z.infer<typeof CompletedFileSchema>;


// -------------------------------------------------------------------------------------------------- error.json

/** error.json as clem-ts writes it: the episode failed (not an outcome); `--retry-errors` plays it again. */
export const ErrorFileSchema = z
  .strictObject({
    timestamp: Timestamp,
    error: z.string().describe('The error class, e.g. BackendError.'),
    message: z.string().describe('What failed (never holds a key: every write is redacted).'),
    code: z.string().nullable().describe("The failure's code (backend_error, file_format, …), or null."),
    stack: z.string().nullable().describe('The stack trace, or null.'),
  })
  .describe('error.json (clem-ts; clemcore 3.7 writes {timestamp, error, message}). Unknown keys refused.');
export type ErrorFile = z.infer<typeof ErrorFileSchema>;


// --------------------------------------------------------------------------------------------- experiment.json

/**
 * experiment.json as clem-ts writes it, once per experiment folder: the experiment as in the instances file
 * without `game_instances` (its keys are the game's, so unknown keys are kept), plus what the runner adds.
 */
export const ExperimentFileSchema = z
  .looseObject({
    name: safeNameSchema('experiment name').describe('The experiment name (its folder name).'),
    game_name: safeNameSchema('game_name').describe('The game (its folder name).'),
    timestamp: Timestamp.describe('When the first worker wrote the file.'),
    player_models: z.array(z.string()).describe('model_name per role, in role order.'),
  })
  .describe("experiment.json (clemcore's shape; the experiment's own keys are kept).");
export type ExperimentFile = z.infer<typeof ExperimentFileSchema>;



// ------------------------------------------------------------------------------------ player_N.requests.json

/** One model call, as Player records it (clemcore 3.5+ `call`, plus usage, latency, cost and warnings). */
export const RecordedCallSchema = z.strictObject({
  round: z.number().int().nonnegative().describe('The round the call was made in (0-based).'),
  call: z.strictObject({
    timestamp: Timestamp.describe('When the request was sent.'),
    manipulated_prompt_obj: JsonValueSchema.describe('What went over the wire (the request body, redacted).'),
    raw_response_obj: JsonValueSchema.describe('What came back (the response body, redacted).'),
  }),
  usage: z.strictObject({ input_tokens: z.number().int().nonnegative(), output_tokens: z.number().int().nonnegative() }),
  latency_ms: z.number().nonnegative().describe('Milliseconds from request to reply.'),
  cost_usd: z.number().nonnegative().nullable().describe('From the registry pricing; null when unknown.'),
  warnings: z.array(z.string()).describe('Options the backend ignored, and why.'),
  cache: z
    .strictObject({
      hit: z.literal(true),
      created_at: Timestamp.describe('When the cached reply was received.'),
      usage: z.strictObject({ input_tokens: z.number().int().nonnegative(), output_tokens: z.number().int().nonnegative() }).describe('Of the original call.'),
      latency_ms: z.number().nonnegative().describe('Of the original call.'),
      cost_usd: z.number().nonnegative().nullable().describe('Of the original call.'),
    })
    .optional()
    .describe('clem-ts run --cache: the reply came from the response cache (usage, latency and cost above are 0); the original call\'s figures.'),
});
export type RecordedCallFile = z.infer<typeof RecordedCallSchema>;

/** player_N.requests.json (clemcore 3.5+ shape; clem-ts adds usage, latency_ms, cost_usd, warnings). */
export const RequestsFileSchema = z
  .strictObject({
    meta: z.strictObject({
      game_name: z.string(),
      experiment_name: z.string(),
      game_id: z.number().int().nonnegative(),
      player_name: z.string().describe('"Player N"'),
      game_role: z.string(),
      model_name: z.string(),
      round_count: z.number().int().nonnegative().nullable().describe('Rounds played; null when the episode failed.'),
      completed: z.boolean().describe('false when the episode failed (error.json).'),
    }),
    calls: z.array(RecordedCallSchema),
  })
  .describe('player_N.requests.json as clem-ts writes it. Unknown keys refused.');
export type RequestsFile = z.infer<typeof RequestsFileSchema>;

/** The requests file name of a player ("Player 1" → player_1.requests.json), as clemcore names it. */
export function requestsFileName(playerName: string): string {
  return `${playerName.toLowerCase().replaceAll(' ', '_')}.requests.json`;
}

// ---------------------------------------------------------------------------------------------------- run.json

/** One worker process that took part in a run (many may share one results folder; see README "Workers"). */
export const RunWorkerSchema = z.strictObject({
  id: z.string().describe('<host>~<pid>~<random>: unique among workers; names its liveness lock in <results>/.locks/.workers/.'),
  host: z.string().describe('os.hostname() of the worker.'),
  pid: z.number().int().positive(),
  started_at: Timestamp,
  ended_at: Timestamp.nullable().describe('null while it runs, or when it was killed.'),
  concurrency: z.number().int().positive().describe('Its -c.'),
  played: z.number().int().nonnegative().nullable().describe('Episodes it played to an outcome; null until it ends.'),
  errored: z.number().int().nonnegative().nullable().describe('Episodes it played that failed (error.json); null until it ends.'),
  done_by_others: z.number().int().nonnegative().nullable().describe('Episodes another worker played while it ran; null until it ends.'),
  taken_over: z.number().int().nonnegative().nullable().describe('Of those it played: episodes a stopped worker had claimed; null until it ends.'),
});
export type RunWorker = z.infer<typeof RunWorkerSchema>;

/** One run of a command on a `<models>` folder: the settings, and every worker that joined it. */
export const RunRecordSchema = z.strictObject({
  clem_version: z.string(),
  node_version: z.string(),
  command: z.array(z.string()).nullable().describe('The command line (argv after the program), or null from the library.'),
  seed: z.number().int(),
  started_at: Timestamp.describe('When the first worker started.'),
  ended_at: Timestamp.nullable().describe('When the last worker ended; null while one runs (or all were killed).'),
  player_models: z.array(z.string()).describe('model_name per role of the first game.'),
  gen_args: z.strictObject({ temperature: z.number().nullable(), max_tokens: z.number().int().nullable() }).describe('-t and -l (null: registry or defaults).'),
  concurrency: z.number().int().positive().describe('-c of the first worker.'),
  games: z.record(z.string(), z.strictObject({ game_path: z.string(), num_instances: z.number().int().nonnegative() })),
  workers: z.array(RunWorkerSchema).describe('Every process that joined this run (one unless workers shared the folder).'),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export const RUN_FILE_FORMAT_VERSION = 1;

/**
 * run.json as clem-ts writes it, one per `<models>` folder: the current run and the runs before it (history
 * keeps earlier records as they were, clemcore's and older clem-ts ones included). Updated under a lock.
 */
export const RunFileSchema = z
  .strictObject({
    format_version: z.literal(RUN_FILE_FORMAT_VERSION),
    current: RunRecordSchema,
    history: z.array(z.record(z.string(), JsonValueSchema)).describe('Earlier runs on this folder, oldest first.'),
  })
  .describe('run.json (clem-ts). Unknown keys refused.');
export type RunFile = z.infer<typeof RunFileSchema>;

/**
 * run.json as read back: clem-ts's (format_version 1; `current` of older clem-ts versions lacks `workers`), or
 * clemcore 3.7's `{clem_version, created, player_models, games}` (no format_version), which a rerun keeps in
 * history.
 */
export const RunFileReadSchema = z.strictObject({
  format_version: z.literal(RUN_FILE_FORMAT_VERSION),
  current: RunRecordSchema.extend({ workers: z.array(RunWorkerSchema).default([]), node_version: z.string().optional() }),
  history: z.array(z.record(z.string(), JsonValueSchema)),
});
export const ClemcoreRunFileSchema = z
  .looseObject({ clem_version: z.string(), created: z.string().optional(), games: z.record(z.string(), JsonValueSchema).optional() })
  .describe("clemcore 3.7's run.json (read-only; kept in clem-ts's history).");
