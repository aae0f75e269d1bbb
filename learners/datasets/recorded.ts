import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { episodeSeed, type RecordedEpisode } from '../../core/replay.js';
import { type Episode, readResults } from '../../core/results-store/index.js';
import { InteractionsSchema } from '../../registry/interactions.js';
import { parseData } from '../../registry/parse.js';

/** The part of run.json replay needs: the run seed (clem-ts writes it under `current`). */
const RunSeedSchema = z.looseObject({ current: z.looseObject({ seed: z.number().int().optional() }).optional() });

/** Experiment.json keys the runner adds beside the experiment's own fields. */
const RUNNER_KEYS = new Set(['game_name', 'timestamp', 'player_models']);

/** A recorded episode with what a dataset row needs about it besides what replay needs. */
export interface EpisodeForLearning {
  recorded: RecordedEpisode;
  /** The episode folder relative to the results folder, `/`-separated. */
  rel: string;
  outcome: 'success' | 'lose' | 'aborted' | 'unknown';
  mainScore: number | null;
}

/**
 * Reads one completed episode for learning: interactions.json through the strict schema (replay needs every
 * event), instance.json, the experiment's fields from experiment.json, and the episode seed from the run seed in
 * run.json beside the models folder (0 when there is none: replay then detects a game whose prompts depend on it).
 */
export async function episodeForLearning(e: Episode): Promise<EpisodeForLearning> {
  const interactions = parseData(InteractionsSchema, e.file('interactions.json'), await e.interactions());
  const instance = (await e.instance()) as Record<string, unknown>;
  const experimentFile = ((await e.experimentFile()) ?? {}) as Record<string, unknown>;
  const experiment = Object.fromEntries(Object.entries(experimentFile).filter(([k]) => !RUNNER_KEYS.has(k)));
  const runFile = join(dirname(dirname(dirname(e.dir))), 'run.json');
  const runSeed = existsSync(runFile) ? (parseData(RunSeedSchema, runFile, JSON.parse(readFileSync(runFile, 'utf8'))).current?.seed ?? 0) : 0;
  const gameId = interactions.meta.game_id;
  const experimentName = interactions.meta.experiment_name;
  const main = (await e.episodeScores())?.['episode scores']['Main Score'];
  const outcome = await e.outcome();
  return {
    recorded: {
      gameName: e.game,
      experimentName,
      gameId,
      interactions,
      instance,
      experiment: { name: experimentName, ...experiment },
      seed: episodeSeed(runSeed, e.game, experimentName, gameId),
      dir: e.dir,
    },
    rel: e.rel,
    outcome: outcome === 'success' || outcome === 'lose' || outcome === 'aborted' ? outcome : 'unknown',
    mainScore: typeof main === 'number' && Number.isFinite(main) ? main : null,
  };
}

/** Every completed episode of `game` under `resultsDir` (optionally only `<models>` folders naming one of `models`), in the reader's order. */
export async function episodesForLearning(resultsDir: string, game: string, models?: readonly string[]): Promise<EpisodeForLearning[]> {
  const read = await readResults(resultsDir, { games: [game], ...(models ? { models } : {}) });
  const completed = read.episodes.filter((e) => e.status === 'completed' && e.has('interactions.json'));
  return Promise.all(completed.map((e) => episodeForLearning(e)));
}
