import { readRecordedEpisode } from '../../core/recorded-episode.js';
import type { RecordedEpisode } from '../../core/replay.js';
import { type Episode, readResults } from '../../core/results-store/index.js';

/** A recorded episode with what a dataset row needs about it besides what replay needs. */
export interface EpisodeForLearning {
  recorded: RecordedEpisode;
  /** The episode folder relative to the results folder, `/`-separated. */
  rel: string;
  outcome: 'success' | 'lose' | 'aborted' | 'unknown';
  mainScore: number | null;
}

/**
 * Reads one completed episode for learning: what replay needs (core/recorded-episode.ts: strict interactions,
 * instance, experiment fields, the episode seed from run.json) plus its folder, outcome and Main Score.
 */
export async function episodeForLearning(e: Episode): Promise<EpisodeForLearning> {
  const recorded = await readRecordedEpisode(e);
  const main = (await e.episodeScores())?.['episode scores']['Main Score'];
  const outcome = await e.outcome();
  return {
    recorded,
    rel: e.rel,
    outcome: outcome === 'success' || outcome === 'lose' || outcome === 'aborted' ? outcome : 'unknown',
    mainScore: typeof main === 'number' && Number.isFinite(main) ? main : null,
  };
}

/**
 * Every completed episode of `game` under `resultsDir` (optionally only `<models>` folders naming one of `models`,
 * and only the `experiments` named), in the reader's order.
 */
export async function episodesForLearning(resultsDir: string, game: string, filter: { models?: readonly string[]; experiments?: readonly string[] } = {}): Promise<EpisodeForLearning[]> {
  const read = await readResults(resultsDir, { games: [game], ...(filter.models ? { models: filter.models } : {}), ...(filter.experiments ? { experiments: filter.experiments } : {}) });
  const completed = read.episodes.filter((e) => e.status === 'completed' && e.has('interactions.json'));
  return Promise.all(completed.map((e) => episodeForLearning(e)));
}
