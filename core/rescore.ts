import { existsSync, readFileSync } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { writeFileAtomicAsync } from '../base/atomic.js';
import { stringifyScores } from '../registry/scores.js';
import { ConfigError } from '../base/errors.js';
import { loadGame, type LoadedGame } from './game-loader.js';
import { scoreEpisode } from './scoring.js';
import { discoverGames, selectGames } from '../registry/game-registry.js';
import { InteractionsSchema } from '../registry/interactions.js';
import { parseJsonFile } from '../registry/parse.js';
import { z } from 'zod';

export interface RescoreOptions {
  resultsDir: string;
  /** Only episodes whose path has this exact part (a game name). */
  game?: string;
  /** Only episodes whose path contains this substring (clemcore's model filter). */
  model?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RescoreSummary {
  scored: number;
  failed: { file: string; message: string }[];
}

/** Every `name` file under `dir`, found by a streaming walk (no full listing in memory). */
export async function* findFiles(dir: string, name: string): AsyncGenerator<string> {
  const handle = await opendir(dir);
  for await (const entry of handle) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* findFiles(p, name);
    else if (entry.name === name) yield p;
  }
}

const AnyObject = z.record(z.string(), z.unknown());

/** Keys the runner adds to experiment.json beside the experiment's own fields (clemcore adds the same). */
export const EXPERIMENT_FILE_EXTRA_KEYS = ['game_name', 'timestamp', 'player_models'] as const;

/** The experiment as in instances.json, from an experiment.json (without the keys the runner added). */
export function experimentFields(file: Record<string, unknown>): Record<string, unknown> {
  const out = { ...file };
  for (const key of EXPERIMENT_FILE_EXTRA_KEYS) delete out[key];
  return out;
}

/**
 * Re-scores recorded episodes without playing them: for each interactions.json under the results folder,
 * the game's scorer writes scores.json beside it (atomically). A file that cannot be scored is reported and
 * the others go on.
 */
export async function rescore(opts: RescoreOptions): Promise<RescoreSummary> {
  if (!existsSync(opts.resultsDir)) throw new ConfigError(`results folder ${opts.resultsDir} does not exist`);
  const games = discoverGames({ ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.env ? { env: opts.env } : {}) });
  const loaded = new Map<string, Promise<LoadedGame>>();
  // Every episode of an experiment shares its experiment.json: read it once (a file that fails is not kept).
  const experiments = new Map<string, Record<string, unknown>>();
  const experimentIn = (file: string): Record<string, unknown> => {
    let experiment = experiments.get(file);
    if (!experiment) {
      experiment = existsSync(file) ? experimentFields(parseJsonFile(AnyObject, file, readFileSync(file, 'utf8'))) : {};
      experiments.set(file, experiment);
    }
    return experiment;
  };
  const summary: RescoreSummary = { scored: 0, failed: [] };
  for await (const file of findFiles(opts.resultsDir, 'interactions.json')) {
    const parts = relative(opts.resultsDir, file).split(sep);
    if (opts.game !== undefined && !parts.includes(opts.game)) continue;
    if (opts.model !== undefined && !parts.some((p) => p.includes(opts.model as string))) continue;
    try {
      const interactions = parseJsonFile(InteractionsSchema, file, readFileSync(file, 'utf8'));
      const name = interactions.meta.game_name;
      let game = loaded.get(name);
      if (!game) {
        const [spec] = selectGames(name, games);
        game = loadGame(spec as NonNullable<typeof spec>);
        loaded.set(name, game);
      }
      const dir = dirname(file);
      const instanceFile = join(dir, 'instance.json');
      const instance = parseJsonFile(AnyObject, instanceFile, readFileSync(instanceFile, 'utf8'));
      const experiment = experimentIn(join(dirname(dir), 'experiment.json'));
      const scores = scoreEpisode((await game).module.game, interactions, instance, experiment);
      const scoresFile = join(dir, 'scores.json');
      await writeFileAtomicAsync(scoresFile, stringifyScores(scoresFile, scores));
      summary.scored += 1;
    } catch (e) {
      summary.failed.push({ file, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return summary;
}
