import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../base/errors.js';
import { InteractionsSchema } from '../registry/interactions.js';
import { parseData } from '../registry/parse.js';
import { episodeSeed, type RecordedEpisode } from './replay.js';
import type { Episode } from './results-store/index.js';
import { readJsonFile } from './results-store/read-file.js';
import { clemcoreInteractions } from './clemcore-episode.js';

/** The part of run.json replay needs: the run seed (clem-ts writes it under `current`). Unknown keys kept. */
const RunSeedSchema = z.looseObject({ current: z.looseObject({ seed: z.number().int().optional() }).optional() });

/** The run seed in run.json beside the `<models>` folder (episodes written before interactions.json recorded their seed). */
async function runSeedOf(e: Episode): Promise<number> {
  const runFile = path.join(e.dir, '..', '..', '..', 'run.json');
  return existsSync(runFile) ? ((await readJsonFile(runFile, RunSeedSchema)).current?.seed ?? 0) : 0;
}

/** experiment.json keys the runner adds beside the experiment's own fields. */
const RUNNER_KEYS = new Set(['game_name', 'timestamp', 'player_models']);

/**
 * An episode of a results folder as replay and learners need it (core/replay.ts): interactions.json through the
 * strict schema (every event), instance.json, the experiment's fields from experiment.json, and the episode seed:
 * the one interactions.json records (`meta.seed`, written since clem-ts 0.1), else for older files one derived from
 * the run seed in run.json beside the `<models>` folder (0 when there is none, as the runner's default; a game whose
 * prompts depend on the seed is then refused by replay if the folder was resumed under another seed).
 *
 * A clemcore episode (interactions.json without clem-ts's `meta.format_version` that does not fit the strict schema)
 * is read tolerantly and converted (core/clemcore-episode.ts): its states can be scored, but it is marked
 * `notReplayable` and replay refuses it. Throws ConfigError for an episode that did not complete or has no
 * instance.json, FileFormatError naming the file for a clem-ts file that does not parse strictly.
 */
export async function readRecordedEpisode(e: Episode): Promise<RecordedEpisode> {
  if (e.status !== 'completed' || !e.has('interactions.json')) throw new ConfigError(`${e.rel}: the episode did not complete (replay needs its interactions.json and completed.json)`);
  const read = await e.interactions();
  const strict = InteractionsSchema.safeParse(read);
  const isClemTs = read.meta?.format_version !== undefined;
  const interactions = strict.success ? strict.data : isClemTs ? parseData(InteractionsSchema, e.file('interactions.json'), read) : await clemcoreInteractions(e, read);
  const notReplayable = strict.success || isClemTs ? undefined : 'clemcore wrote it (its interactions.json lacks what clem-ts records), so it cannot be replayed';
  const instance = (await e.instance()) as Record<string, unknown>;
  const experimentFile = ((await e.experimentFile()) ?? {}) as Record<string, unknown>;
  const experiment = Object.fromEntries(Object.entries(experimentFile).filter(([k]) => !RUNNER_KEYS.has(k)));
  const { experiment_name: experimentName, game_id: gameId, seed } = interactions.meta;
  return {
    gameName: interactions.meta.game_name,
    experimentName,
    gameId,
    interactions,
    instance,
    experiment: { name: experimentName, ...experiment },
    seed: seed ?? episodeSeed(await runSeedOf(e), interactions.meta.game_name, experimentName, gameId),
    dir: e.dir,
    ...(notReplayable !== undefined ? { notReplayable } : {}),
  };
}
