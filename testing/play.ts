import type { Backend } from '../backends/backend.js';
import type { DialogueGame } from '../core/game.js';
import { loadInstances, type LoadedGame } from '../core/game-loader.js';
import { playEpisode, type EpisodeResult } from '../core/game-master.js';
import { resolveGames, type GameSource } from '../core/game-source.js';
import { scoreEpisode, type ScoresFile } from '../core/scoring.js';
import { Player } from '../players/player.js';
import { fixedClock, scriptedBackend, type Script } from './scripted-backend.js';

type AnyGame = DialogueGame<unknown, unknown, unknown, unknown>;

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


/**
 * Plays one instance of a game (a registered name, a game folder or code file, or a module defined in code) with
 * scripted players: per role, the replies in order or a function of the request. Returns the outcome, the
 * interactions and the scores, as a test of the game's rules needs them; nothing is written to disk.
 */
export async function playScripted(
  source: GameSource,
  scripts: Readonly<Record<string, Script>>,
  opts: { experiment?: string; gameId?: number; seed?: number; cwd?: string } = {},
): Promise<LiveEpisode> {
  const [loaded] = await resolveGames([source], opts.cwd ? { cwd: opts.cwd } : {});
  if (!loaded) throw new Error('playScripted: the source names no game');
  const missing = loaded.spec.roles.filter((role) => scripts[role] === undefined);
  if (missing.length > 0) throw new Error(`playScripted: no script for role(s) ${missing.join(', ')} of ${loaded.spec.game_name}`);
  return playLive(loaded, loaded.spec.roles.map((role) => scripts[role] as Script), opts);
}
