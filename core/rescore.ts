import { writeFileAtomicAsync } from '../base/atomic.js';
import { ConfigError, FileFormatError, hasCode } from '../base/errors.js';
import type { GameModule } from './game.js';
import { loadGame, type LoadedGame } from './game-loader.js';
import { gameFilter, gameFromModule, type GameSource } from './game-source.js';
import { readResults, removeDeadWriterTemps } from './results-store/index.js';
import { scoreEpisode } from './scoring.js';
import { discoverGames, selectGames } from '../registry/game-registry.js';
import { InteractionsSchema } from '../registry/interactions.js';
import { parseData } from '../registry/parse.js';
import { stringifyScores } from '../registry/scores.js';

export interface RescoreOptions {
  resultsDir: string;
  /**
   * Only this game's episodes: its name (its folder under the results), or a game folder, code file (`./sums.ts`) or
   * module, whose code then scores them (a game registered nowhere). A game with no episode throws UnknownNameError.
   */
  game?: GameSource;
  /** Only `<models>` folders containing this (clemcore's model filter). One that matches none throws UnknownNameError. */
  model?: string;
  /** Games defined in code that the results hold, found by their `spec.game_name` before the registered games. */
  modules?: readonly GameModule[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RescoreSummary {
  scored: number;
  /** What the reader did not follow (see linksNote): episodes behind these links were not scored. */
  links: { root: string; links: string[] };
  /** Episodes that could not be scored: the file at fault (interactions.json, or the file the error names) and why. */
  failed: { file: string; message: string }[];
}

/** A failure as one line: a file format error is named by its own file, with its issues (not the file twice). */
function failureOf(file: string, e: unknown): { file: string; message: string } {
  if (e instanceof FileFormatError) return { file: e.file, message: e.issues.join('; ') };
  return { file, message: e instanceof Error ? e.message : String(e) };
}

/** Keys the runner adds to experiment.json beside the experiment's own fields (clemcore adds the same). */
export const EXPERIMENT_FILE_EXTRA_KEYS = ['game_name', 'timestamp', 'player_models'] as const;

/** The experiment as in instances.json, from an experiment.json (without the keys the runner added). */
export function experimentFields(file: Record<string, unknown>): Record<string, unknown> {
  const out = { ...file };
  for (const key of EXPERIMENT_FILE_EXTRA_KEYS) delete out[key];
  return out;
}

/**
 * Re-scores recorded episodes without playing them: for each episode with an interactions.json (read through the
 * results store's reader), the game's scorer writes scores.json beside it (atomically). Scoring needs
 * interactions.json in the shape clem-ts writes (registry/interactions.ts `InteractionsSchema`); a file that cannot
 * be scored is reported and the others go on; a scores.json that cannot be written (disk full, read-only) throws
 * WriteError naming it at once. Throws, writing nothing, ConfigError if `resultsDir` is not a folder and
 * UnknownNameError (with the closest names) when `game` or `model` matches no episode.
 */
export async function rescore(opts: RescoreOptions): Promise<RescoreSummary> {
  const place = { ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.env ? { env: opts.env } : {}) };
  const only = opts.game === undefined ? undefined : await gameFilter(opts.game, place);
  const modules = [...(only?.module ? [only.module] : []), ...(opts.modules ?? [])];
  const read = await readResults(opts.resultsDir, {
    ...(only !== undefined ? { games: [only.name] } : {}),
    ...(opts.model !== undefined ? { models: [opts.model] } : {}),
  });
  removeDeadWriterTemps(read); // of a score, eval, transcribe or run that was killed
  const games = discoverGames(place);
  const loaded = new Map<string, Promise<LoadedGame>>();
  const summary: RescoreSummary = { scored: 0, failed: [], links: { root: read.root, links: read.links } };
  for (const episode of read.episodes) {
    if (!episode.has('interactions.json')) continue;
    const file = episode.file('interactions.json');
    try {
      const interactions = parseData(InteractionsSchema, file, await episode.interactions());
      const name = interactions.meta.game_name;
      let game = loaded.get(name);
      const inCode = modules.find((m) => m.spec?.game_name === name);
      if (!game && inCode) {
        game = Promise.resolve(gameFromModule(inCode));
        loaded.set(name, game);
      }
      if (!game) {
        if (!games.some((g) => g.game_name === name))
          throw new ConfigError(`game '${name}' is registered nowhere (clem-ts list games): if it was played from a game folder or a .ts file, name that as the game to score (score -g ./path/to/game.ts; from TypeScript, game: its module)`);
        const [spec] = selectGames(name, games);
        game = loadGame(spec as NonNullable<typeof spec>);
        loaded.set(name, game);
      }
      const instance = await episode.instance();
      const experiment = experimentFields((await episode.experimentFile()) ?? {});
      const scores = scoreEpisode((await game).module.game, interactions, instance, experiment);
      const scoresFile = episode.file('scores.json');
      await writeFileAtomicAsync(scoresFile, stringifyScores(scoresFile, scores), { folderExists: true });
      summary.scored += 1;
    } catch (e) {
      // A file that cannot be written (disk full, read-only) stops the command: every other episode would fail alike.
      if (hasCode(e, 'write_failed')) throw e;
      summary.failed.push(failureOf(file, e));
    }
  }
  return summary;
}
