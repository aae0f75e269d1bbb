import { z } from 'zod';
import type { JsonValue } from './json.js';
import { parseData, parseJsonFile } from './parse.js';

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
 * Only what eval reads: "episode scores" is checked, everything else passes unchecked (and unchanged). Checking
 * every round score of 100k files costs a second that eval does not need (bench P4).
 */
export const EpisodeScoresReadSchema = z
  .looseObject({ 'episode scores': ScoreReadMapSchema })
  .describe('scores.json as eval reads it: episode scores checked, other keys kept unchecked.');

export type Score = z.infer<typeof ScoreSchema>;
export type ScoreValue = z.infer<typeof ScoreReadSchema>;
export type Scores = z.infer<typeof ScoresSchema>;
export type ScoresRead = z.infer<typeof ScoresReadSchema>;
export type EpisodeScoresRead = z.infer<typeof EpisodeScoresReadSchema>;

const TOKENS = ['NaN', 'Infinity', '-Infinity'] as const;

/**
 * `JSON.parse` that also accepts the bare `NaN`, `Infinity` and `-Infinity` tokens Python writes, turning each into
 * `null`. Tokens inside strings are left alone. Throws `SyntaxError` for anything else that is not JSON. Use it to
 * read clemcore files; clem-ts never writes these tokens.
 */
export function readJsonTolerant(text: string): unknown {
  if (!text.includes('NaN') && !text.includes('Infinity')) return JSON.parse(text);
  const parts: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    if (c !== 78 /* N */ && c !== 73 /* I */ && c !== 45 /* - */) continue;
    const token = TOKENS.find((t) => text.startsWith(t, i));
    if (token === undefined) continue;
    parts.push(text.slice(start, i), 'null');
    i += token.length - 1;
    start = i + 1;
  }
  parts.push(text.slice(start));
  return JSON.parse(parts.join(''));
}

/** Parses the text of a scores.json (clemcore or clem-ts); throws FileFormatError naming `file` and each bad field. */
export function parseScoresText(file: string, text: string): ScoresRead {
  return parseJsonFile(ScoresReadSchema, file, text, readJsonTolerant);
}

/** Like {@link parseScoresText}, checking only "episode scores" (what eval uses). */
export function parseEpisodeScoresText(file: string, text: string): EpisodeScoresRead {
  return parseJsonFile(EpisodeScoresReadSchema, file, text, readJsonTolerant);
}

/**
 * Serialises scores for writing as clem-ts does: validates against {@link ScoresSchema} (so NaN/Infinity are refused,
 * use null) and returns pretty-printed strict JSON. Throws FileFormatError naming `file`.
 */
export function stringifyScores(file: string, scores: unknown): string {
  const parsed = parseData(ScoresSchema, file, scores);
  return `${JSON.stringify(parsed, null, 2)}\n`;
}
