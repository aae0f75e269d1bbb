import { z } from 'zod';
import type { JsonValue } from './json.js';
import { FileFormatError } from '../base/errors.js';
import { notValidJson, parseData, parseJsonFile } from './parse.js';
import { type ScoresSlices, sliceScores } from './scores-extract.js';
import { readJsonTolerant } from './tolerant-json.js';

export { readJsonTolerant } from './tolerant-json.js';

/**
 * scores.json: what `clem score` (clemcore) and clem-ts's scorer write per episode.
 *
 * Two schemas, one shape:
 * - {@link ScoresSchema} is what clem-ts writes: every score is a finite number or `null` (never NaN).
 * - {@link ScoresReadSchema} is what clem-ts reads, from either tool. clemcore files hold more than numbers in
 *   "episode scores" (codenames logs `"experiment name": "risk_low"`, some games booleans), so a read score is any
 *   JSON value; eval turns it into a number where it needs one. Bare `NaN`/`Infinity` tokens, which Python's
 *   json module writes, must go through {@link readJsonTolerant} first (they become `null`).
 * Unknown top-level keys are kept in both (clemcore files move between versions). Generate the JSON Schema for
 * editors from {@link ScoresSchema}; the read schemas accept any JSON value per score, which JSON Schema renders
 * only with `z.toJSONSchema(schema, { unrepresentable: 'any' })`.
 */

/** A score as clem-ts writes it. */
export const ScoreSchema = z.number().nullable().describe('A finite number, or null where the value is undefined (e.g. Main Score of an aborted episode).');

/**
 * A score as found in a clemcore or clem-ts file: any JSON value. Files reach this schema through JSON.parse, so
 * there is nothing left to check per value; a union of six schemas cost ~10 µs per file (bench P4, 100k files).
 */
export const ScoreReadSchema = z
  .custom<JsonValue>((v) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol' && typeof v !== 'bigint')
  .describe('Any JSON value; clemcore games log strings and booleans next to numbers.');

const ScoreMapSchema = z.record(z.string(), ScoreSchema);
const ScoreReadMapSchema = z.record(z.string(), ScoreReadSchema);

const common = {
  meta: z.record(z.string(), z.unknown()).optional().describe('Copied from interactions.json (game_name, experiment_name, game_id, …).'),
  players: z.record(z.string(), z.unknown()).optional().describe('Copied from interactions.json.'),
  player_models: z.unknown().optional().describe('Copied from interactions.json (clemcore: a list or an object keyed by index).'),
};

export const ScoresSchema = z
  .looseObject({
    ...common,
    'round scores': z.record(z.string(), ScoreMapSchema).optional().describe('Per round (key: the round index as a string), clemcore ≥3 new API.'),
    'turn scores': z.record(z.string(), ScoreMapSchema).optional().describe('Per turn (key: the index as a string), clemcore legacy API.'),
    'episode scores': ScoreMapSchema.describe('Episode-level scores: Aborted, Lose, Success, Request Count…, Main Score, game-specific ones.'),
  })
  .describe('scores.json as clem-ts writes it (strict JSON, null for undefined numbers). Unknown keys are kept.');

export const ScoresReadSchema = z
  .looseObject({
    ...common,
    'round scores': z.record(z.string(), ScoreReadMapSchema).optional(),
    'turn scores': z.record(z.string(), ScoreReadMapSchema).optional(),
    'episode scores': ScoreReadMapSchema,
  })
  .describe('scores.json as read from clemcore or clem-ts (any JSON value per score). Unknown keys are kept.');

/**
 * Only what eval and the episode index read: "meta" and "episode scores" (see {@link parseEpisodeScoresBytes}, which
 * reads no more of the file than these two). Unknown keys are kept.
 */
export const EpisodeScoresReadSchema = z
  .looseObject({ meta: common.meta, 'episode scores': ScoreReadMapSchema })
  .describe('scores.json as eval reads it: meta and episode scores.');

export type Score = z.infer<typeof ScoreSchema>;
export type ScoreValue = z.infer<typeof ScoreReadSchema>;
export type Scores = z.infer<typeof ScoresSchema>;
export type ScoresRead = z.infer<typeof ScoresReadSchema>;
export type EpisodeScoresRead = z.infer<typeof EpisodeScoresReadSchema>;

/** Parses the text of a scores.json (clemcore or clem-ts); throws FileFormatError naming `file` and each bad field. */
export function parseScoresText(file: string, text: string): ScoresRead {
  return parseJsonFile(ScoresReadSchema, file, text, readJsonTolerant);
}

/** Like {@link parseScoresText}, keeping only "meta" and "episode scores" (what eval uses). */
export function parseEpisodeScoresText(file: string, text: string): EpisodeScoresRead {
  return pickEpisodeScores(parseJsonFile(EpisodeScoresReadSchema, file, text, readJsonTolerant));
}

function pickEpisodeScores(full: EpisodeScoresRead): EpisodeScoresRead {
  return full.meta === undefined ? { 'episode scores': full['episode scores'] } : { meta: full.meta, 'episode scores': full['episode scores'] };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * "meta" and "episode scores" of a scores.json from its bytes, reading only those two parts when the file is laid
 * out as clemcore and clem-ts write it (registry/scores-extract.ts proves the slices right, the file's end
 * included) and parsing the whole file otherwise. The result is what {@link parseEpisodeScoresText} returns for the
 * same file. Throws FileFormatError naming `file` (bad JSON, or a field that does not match the schema).
 */
export function parseEpisodeScoresBytes(file: string, bytes: Uint8Array): EpisodeScoresRead {
  let slices: ScoresSlices | undefined;
  try {
    slices = sliceScores(bytes);
  } catch (e) {
    throw new FileFormatError(file, [notValidJson(e)], { cause: e });
  }
  if (slices === undefined) return parseEpisodeScoresText(file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'));
  return episodeScoresFromSlices(file, slices);
}

/**
 * The slices {@link sliceScores} returned, checked as {@link EpisodeScoresReadSchema} checks them. Throws
 * FileFormatError naming `file` and the field.
 */
export function episodeScoresFromSlices(file: string, slices: ScoresSlices): EpisodeScoresRead {
  // What JSON.parse returns is JSON; the schema can only refuse containers of the wrong kind. Checked by hand on
  // the hot path (zod cost ~20 µs per file); anything odd goes through the schema, which names the field.
  const episode = slices['episode scores'];
  if (isPlainObject(episode) && (slices.meta === undefined || isPlainObject(slices.meta))) {
    return slices.meta === undefined ? { 'episode scores': episode as Record<string, ScoreValue> } : { meta: slices.meta, 'episode scores': episode as Record<string, ScoreValue> };
  }
  return pickEpisodeScores(parseData(EpisodeScoresReadSchema, file, slices));
}

/**
 * Serialises scores for writing as clem-ts does: validates against {@link ScoresSchema} (so NaN/Infinity are refused,
 * use null) and returns pretty-printed strict JSON. Throws FileFormatError naming `file`.
 */
export function stringifyScores(file: string, scores: unknown): string {
  const parsed = parseData(ScoresSchema, file, scores);
  return `${JSON.stringify(parsed, null, 2)}\n`;
}
