import { join } from 'node:path';
import { ConfigError } from '../base/errors.js';
import type { RunRecord } from '../registry/results-files.js';
import type { PlannedEpisode } from './run-plan.js';
import type { ResultsStore, RunSettings } from './results-store/store.js';

/**
 * What a run records about itself besides its episodes: its settings in `<models>/run.json` and each experiment's
 * `experiment.json`; and the checks made against the run a folder already holds before playing into it.
 */

/** What a run on one `<models>` folder writes into run.json (with the worker that joins it). */
export function runSettings(
  opts: { command?: string[]; temperature?: number; maxTokens?: number },
  episodes: readonly PlannedEpisode[],
  info: { version: string; seed: number; concurrency: number },
): RunSettings {
  const games: RunRecord['games'] = {};
  for (const p of episodes) {
    const g = (games[p.loaded.spec.game_name] ??= { game_path: p.loaded.spec.game_path, num_instances: 0 });
    g.num_instances += 1;
  }
  return {
    clem_version: info.version,
    node_version: process.version,
    command: opts.command ?? null,
    seed: info.seed,
    player_models: episodes[0] ? episodes[0].roleModels.map((m) => m.model_name) : [],
    gen_args: { temperature: opts.temperature ?? null, max_tokens: opts.maxTokens ?? null },
    concurrency: info.concurrency,
    games,
  };
}

/**
 * Checks the run a `<models>` folder held before this one against this one. Throws ConfigError when other models
 * played there: the folder name joins model names with `--`, so a model named `a--b` playing alone and the models
 * `a` and `b` playing together share a folder, and each would skip the other's episodes as done. Returns a
 * warning when the generation settings differ (the folder name does not hold them, as in clemcore 3.7: resuming
 * with other settings would mix them silently), else undefined.
 */
export function checkPreviousRun(folder: string, previous: RunRecord | undefined, now: RunSettings): string | undefined {
  if (previous === undefined) return undefined;
  const models = (r: Pick<RunRecord, 'player_models'>): string => JSON.stringify([...new Set(r.player_models)].sort());
  if (previous.player_models.length > 0 && now.player_models.length > 0 && models(previous) !== models(now))
    throw new ConfigError(
      `${folder} holds a run of the models ${previous.player_models.join(', ')}, not ${now.player_models.join(', ')}: their names joined with '--' ` +
        'make the same folder name. Rename a model, or play into another results folder (-r).',
    );
  const before = previous.gen_args;
  const after = now.gen_args;
  if (before.temperature === after.temperature && before.max_tokens === after.max_tokens) return undefined;
  return (
    `${folder}: resuming a run made with temperature ${String(before.temperature)} and max tokens ${String(before.max_tokens)}, ` +
    `now ${String(after.temperature)} and ${String(after.max_tokens)}; completed episodes keep their old settings (use another -r to keep them apart)`
  );
}

/** Writes each experiment's experiment.json once (the first worker's; every worker would write the same). */
export async function writeExperimentFiles(store: ResultsStore, plan: readonly PlannedEpisode[], clock: () => Date): Promise<void> {
  const seen = new Map<string, PlannedEpisode>();
  for (const p of plan) seen.set(join(p.modelsFolder, p.loaded.spec.game_name, p.row.experimentName), p);
  await Promise.all(
    [...seen.values()].map((p) =>
      store.writeExperimentFile(p.modelsFolder, p.loaded.spec.game_name, p.row.experimentName, {
        ...p.row.experiment,
        name: p.row.experimentName,
        game_name: p.loaded.spec.game_name,
        timestamp: clock().toISOString(),
        player_models: p.roleModels.map((m) => m.model_name),
      }),
    ),
  );
}
