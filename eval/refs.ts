import { type Episode, episodeKey } from '../core/results-store/index.js';

/**
 * The episodes eval counts, keyed as clemcore's eval keys them: the four folder names above scores.json (model,
 * game, experiment, episode), kept as the folders spell them so raw.csv matches clemcore's (`0_high_en`,
 * `episode_3`). The results store's reader finds them; eval adds what clemcore drops silently: episode folders
 * that errored (error.json) or were never scored (instance.json without scores.json).
 */

/** One episode's place: the four folder names clemcore keys it by, and its folder relative to the results root. */
export interface EpisodeRef {
  model: string;
  game: string;
  experiment: string;
  episode: string;
  /** Folder relative to the results root, `/`-separated. */
  dir: string;
}

export type ErrorReason = 'error_json' | 'no_scores';

export interface ErroredEpisode extends EpisodeRef {
  /** `error_json`: the run recorded a failure (it may still have a stale scores.json); `no_scores`: never scored. */
  reason: ErrorReason;
  /** Whether a scores.json exists too (then clemcore, and so the table, still counts the episode). */
  scored: boolean;
}

export function refOf(e: Episode): EpisodeRef {
  return { model: e.modelsFolder, game: e.game, experiment: e.experimentFolder, episode: e.episodeFolder, dir: e.rel };
}

/**
 * Episode folders clemcore's eval drops: error.json, or instance.json without scores.json; one per (model, game,
 * experiment, episode), in the order given (the reader's).
 */
export function erroredEpisodes(episodes: readonly Episode[]): ErroredEpisode[] {
  const out: ErroredEpisode[] = [];
  const seen = new Set<string>();
  for (const e of episodes) {
    const scored = e.has('scores.json');
    const reason: ErrorReason | undefined = e.has('error.json') ? 'error_json' : e.has('instance.json') && !scored ? 'no_scores' : undefined;
    if (reason === undefined) continue;
    const key = episodeKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...refOf(e), reason, scored });
  }
  return out;
}
