import { z } from 'zod';
import { type Episode, loadEpisodeScores } from '../core/results-store/index.js';
import type { GameSpec } from '../registry/game-spec.js';
import { parseData } from '../registry/parse.js';
import { scoreNumber } from './episode.js';

/**
 * Which episode-metric histograms the results page draws, declared by the games (never by name in shared code),
 * and the per-episode values they need, read from the episodes' scores.json.
 */

/** One histogram: the distribution of an episode score of one game, per model. */
export interface HistogramSpec {
  game: string;
  /** An episode score in scores.json, e.g. `Questions`. */
  metric: string;
  /** Only episodes whose scores equal these, e.g. `{ Success: 1 }` for "questions to win". */
  where?: Readonly<Record<string, number>>;
  /** Heading; default `<game>: <metric>` plus the condition. */
  title?: string;
}

/**
 * `report_histograms` in a clemgame.json (clem-ts, optional): the histograms the results page draws for this game.
 * Without it, every `eval_metrics` entry but the outcome flags gets a histogram over all episodes.
 */
export const ReportHistogramsSchema = z
  .array(
    z.strictObject({
      metric: z.string().min(1).describe('An episode score, e.g. "Questions".'),
      where: z.record(z.string(), z.number()).optional().describe('Only episodes with these episode scores, e.g. {"Success": 1}.'),
      title: z.string().optional().describe('Heading of the plot, e.g. "Questions to win".'),
    }),
  )
  .describe('clem-ts report: histograms of episode scores drawn on results.html for this game.');

// The framework's 0/1 outcome flags: a histogram of them says no more than the % in the tables.
const OUTCOME_FLAGS = new Set(['Success', 'Lose', 'Aborted']);

/**
 * The histograms the games declare: `report_histograms` where a clemgame.json has it, else one per `eval_metrics`
 * entry except the 0/1 outcome flags (Success, Lose, Aborted). Throws FileFormatError naming the game's
 * clemgame.json if `report_histograms` is malformed.
 */
export function histogramsFromGameSpecs(specs: readonly (Pick<GameSpec, 'game_name' | 'eval_metrics'> & { game_path?: string; report_histograms?: unknown })[]): HistogramSpec[] {
  const out: HistogramSpec[] = [];
  for (const spec of [...specs].sort((a, b) => a.game_name.localeCompare(b.game_name))) {
    if (spec.report_histograms !== undefined) {
      const file = `${spec.game_path ?? spec.game_name}/clemgame.json`;
      const declared = parseData(ReportHistogramsSchema, file, spec.report_histograms);
      for (const h of declared) out.push({ game: spec.game_name, ...h });
    } else {
      for (const metric of spec.eval_metrics ?? []) if (!OUTCOME_FLAGS.has(metric)) out.push({ game: spec.game_name, metric });
    }
  }
  return out;
}

/** The default heading of a histogram. */
export function histogramTitle(spec: HistogramSpec): string {
  if (spec.title !== undefined) return `${spec.game}: ${spec.title}`;
  const where = Object.entries(spec.where ?? {}).map(([k, v]) => `${k} = ${v}`);
  return `${spec.game}: ${spec.metric}${where.length > 0 ? ` (episodes with ${where.join(', ')})` : ''}`;
}

/**
 * For each spec (same order), each model's values of the metric: scored `episodes` of `models` in the spec's game
 * that meet `where` and have a number for the metric, in the order given (the reader's). Episode scores already
 * loaded (eval's) are not read again. Throws FileFormatError for an unreadable scores.json.
 */
export async function collectHistogramValues(episodes: readonly Episode[], specs: readonly HistogramSpec[], models: readonly string[]): Promise<Map<string, number[]>[]> {
  const out = specs.map(() => new Map<string, number[]>());
  if (specs.length === 0) return out;
  const wanted = new Set(models);
  const games = new Set(specs.map((s) => s.game));
  const chosen = episodes.filter((e) => e.has('scores.json') && wanted.has(e.modelsFolder) && games.has(e.game));
  await loadEpisodeScores(chosen);
  for (const e of chosen) {
    const episode = (await e.episodeScores())?.['episode scores'] ?? {};
    specs.forEach((spec, i) => {
      if (spec.game !== e.game) return;
      if (!Object.entries(spec.where ?? {}).every(([k, v]) => scoreNumber(episode[k]) === v)) return;
      const value = scoreNumber(episode[spec.metric]);
      if (value === null) return;
      const byModel = out[i] as Map<string, number[]>;
      const values = byModel.get(e.modelsFolder) ?? [];
      values.push(value);
      byModel.set(e.modelsFolder, values);
    });
  }
  return out;
}
