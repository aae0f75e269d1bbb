import type { Backend } from '../../backends/backend.js';
import { createProgrammaticBackend } from '../../backends/programmatic/index.js';
import type { DialogueGame } from '../../core/game.js';
import { loadGame, loadInstances, type LoadedGame } from '../../core/game-loader.js';
import { playEpisode, type EpisodeResult } from '../../core/game-master.js';
import { collectPrograms } from '../../core/programs.js';
import { scoreEpisode, type ScoresFile } from '../../core/scoring.js';
import { Player } from '../../players/player.js';
import { discoverGames, selectGames } from '../../registry/game-registry.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { packageRoot } from '../../registry/package-root.js';
import { fixedClock, scriptedBackend, type Script } from './scripted-backend.js';

export type AnyGame = DialogueGame<unknown, unknown, unknown, unknown>;

/** A packaged game (20q, hello) loaded through the registry, with the programs every game registers. */
export async function loadPackagedGame(name: string): Promise<{ loaded: LoadedGame; programs: Map<string, import('../../backends/programmatic/program.js').Program> }> {
  const [spec] = selectGames(name, discoverGames({ cwd: packageRoot(), env: {} }));
  if (!spec) throw new Error(`${name} is not registered`);
  const loaded = await loadGame(spec);
  return { loaded, programs: collectPrograms([loaded]) };
}

/**
 * A programmatic backend running a registered program by name (kb-greedy, kb-oracle, hello/mock…), as a model
 * of the same name with '/' made '-' (a model name is a folder name).
 */
export function programBackend(name: string, programs: ReadonlyMap<string, import('../../backends/programmatic/program.js').Program>): Backend {
  return createProgrammaticBackend(ModelSpecSchema.parse({ model_name: name.replaceAll('/', '-'), backend: 'programmatic', model_config: { program: name } }), programs);
}

export interface LiveEpisode extends EpisodeResult {
  players: Player[];
  scores: ScoresFile;
  instance: Record<string, unknown>;
  experiment: Record<string, unknown>;
  seed: number;
}

/**
 * Plays one episode of a loaded game live, as the runner does (Players with their own histories, the game
 * master loop, the scorer), with backends or scripts per player and a deterministic clock.
 */
export async function playLive(
  loaded: LoadedGame,
  backends: readonly (Backend | Script)[],
  opts: { experiment?: string; gameId?: number; seed?: number } = {},
): Promise<LiveEpisode> {
  const rows = loadInstances(loaded);
  const row = rows.find((r) => (opts.experiment === undefined || r.experimentName === opts.experiment) && (opts.gameId === undefined || r.gameId === opts.gameId));
  if (!row) throw new Error(`no instance ${opts.experiment ?? '*'}/${opts.gameId ?? '*'} in ${loaded.spec.game_name}`);
  const clock = fixedClock();
  const info = { gameName: loaded.spec.game_name, experimentName: row.experimentName, gameId: row.gameId, instance: row.instance };
  const players = backends.map((b, i) => {
    const backend = typeof b === 'function' || Array.isArray(b) ? scriptedBackend(`scripted-${i + 1}`, b as Script) : (b as Backend);
    return new Player(`Player ${i + 1}`, loaded.spec.roles[i] as string, backend, { temperature: 0 }, info, clock);
  });
  const seed = opts.seed ?? 0;
  const game = loaded.module.game as AnyGame;
  const result = await playEpisode({
    game,
    gameName: loaded.spec.game_name,
    experimentName: row.experimentName,
    gameId: row.gameId,
    instance: row.instance,
    experiment: row.experiment,
    players,
    templates: loaded.templates,
    seed,
    resultsFolder: players.map((p) => p.modelName).join('--'),
    playerModels: {},
    clemVersion: 'test',
    clock,
  });
  const scores = scoreEpisode(game, result.interactions, row.instance, row.experiment);
  return { ...result, players, scores, instance: row.instance, experiment: row.experiment, seed };
}
