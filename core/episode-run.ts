import type { Backend } from '../backends/backend.js';
import { hasCode } from '../base/errors.js';
import { hashSeed } from '../base/rng.js';
import type { ModelSpec } from '../registry/model-spec.js';
import { Player } from '../players/player.js';
import { playEpisode, type Outcome } from './game-master.js';
import type { RoleArgs, PlannedEpisode } from './run-plan.js';
import type { EpisodeState, EpisodeWriter, ResultsStore } from './results-store/store.js';
import { scoreEpisode } from './scoring.js';

export interface EpisodeSummary {
  game: string;
  experiment: string;
  gameId: number;
  dir: string;
  /**
   * `skipped`: completed before this worker started; `skipped-errored`: errored before and not retried;
   * `done-elsewhere`: another worker on the folder played it (or failed it) while this one ran.
   */
  status: Outcome | 'errored' | 'skipped' | 'skipped-errored' | 'done-elsewhere';
  error?: string;
  /** Played (or errored) by this worker. */
  playedHere?: boolean;
  /** This worker took it over from a worker that stopped holding its claim. */
  takenOver?: boolean;
}

export interface EpisodeRunDeps {
  store: ResultsStore;
  backendFor: (spec: ModelSpec) => Promise<Backend>;
  clock: () => Date;
  seed: number;
  version: string;
  signal: AbortSignal;
  opts: { retryErrors?: boolean };
}

/**
 * What to do with an episode, from its state now and when this worker started: `play`, or the status of an
 * episode already done — `skipped` (before this worker started), `skipped-errored` (failed before, no
 * --retry-errors) or `done-elsewhere` (another worker's result since). `initial` tells this worker's earlier
 * results apart from another worker's new ones: an error.json whose text changed was written by another
 * worker's retry.
 */
export function decideEpisode(initial: EpisodeState, now: EpisodeState, retryErrors: boolean): 'play' | 'skipped' | 'skipped-errored' | 'done-elsewhere' {
  if (now.status === 'completed') return initial.status === 'completed' ? 'skipped' : 'done-elsewhere';
  if (now.status === 'errored') {
    if (initial.status !== 'errored' || now.errorText !== initial.errorText) return 'done-elsewhere';
    if (!retryErrors) return 'skipped-errored';
  }
  return 'play';
}

function decide(p: PlannedEpisode, initial: EpisodeState, now: EpisodeState, retryErrors: boolean): EpisodeSummary | undefined {
  const status = decideEpisode(initial, now, retryErrors);
  if (status === 'play') return undefined;
  const base = { game: p.loaded.spec.game_name, experiment: p.row.experimentName, gameId: p.row.gameId, dir: p.dir, status };
  return status === 'skipped-errored' ? { ...base, error: 'errored in an earlier run (rerun with --retry-errors)' } : base;
}

/**
 * One episode: skipped when done, `busy` when another live worker holds its claim, else claimed, played and
 * recorded through the results store (completed.json last, or error.json). Throws only what must stop the
 * run: an interruption, a lock or a write failure (disk full) — never an episode's own failure.
 */
export async function playAndRecord(p: PlannedEpisode, initial: EpisodeState, d: EpisodeRunDeps): Promise<EpisodeSummary | 'busy'> {
  const retry = d.opts.retryErrors === true;
  const early = decide(p, initial, d.store.episodeState(p.dir), retry);
  if (early) return early;
  const claim = await d.store.claimEpisode(p.dir);
  if (!claim) return 'busy';
  try {
    // Another worker may have finished it between the look above and the claim.
    const decided = decide(p, initial, d.store.episodeState(p.dir), retry);
    if (decided) return decided;
    const summary = await play(p, d.store.episodeWriter(p.dir), { ...d, signal: AbortSignal.any([d.signal, claim.signal]) }, () => claim.lost);
    // A dead worker's stale claim, taken over on the first look as well as on a revisit (the runner marks those).
    return claim.tookOver && summary.playedHere === true ? { ...summary, takenOver: true } : summary;
  } finally {
    await claim.release();
  }
}

async function play(p: PlannedEpisode, writer: EpisodeWriter, d: EpisodeRunDeps, isClaimLost: () => boolean): Promise<EpisodeSummary> {
  const { spec } = p.loaded;
  const base = { game: spec.game_name, experiment: p.row.experimentName, gameId: p.row.gameId, dir: p.dir };
  // A worker that froze past the stale time lost its claim to another worker: it writes nothing more.
  const lost: EpisodeSummary = { ...base, status: 'done-elsewhere' };
  await writer.startAttempt(p.row.instance);
  let players: Player[] = [];
  try {
    const backends = await Promise.all(p.roleModels.map((m) => d.backendFor(m)));
    const episodeInfo = { gameName: spec.game_name, experimentName: p.row.experimentName, gameId: p.row.gameId, instance: p.row.instance };
    players = p.roleModels.map((m, i) => new Player(`Player ${i + 1}`, spec.roles[i] as string, backends[i] as Backend, p.roleArgs[i] as RoleArgs, episodeInfo, d.clock));
    const result = await playEpisode({
      game: p.loaded.module.game,
      gameName: spec.game_name,
      experimentName: p.row.experimentName,
      gameId: p.row.gameId,
      instance: p.row.instance,
      experiment: p.row.experiment,
      players,
      templates: p.loaded.templates,
      seed: hashSeed(d.seed, spec.game_name, p.row.experimentName, p.row.gameId),
      resultsFolder: p.modelsFolder,
      playerModels: p.playerModels,
      clemVersion: d.version,
      clock: d.clock,
      signal: d.signal,
    });
    if (isClaimLost()) return lost;
    await writer.writeInteractions(result.interactions);
    await writeRequestLogs(p, writer, players, result.interactions.meta.round_count, true);
    await writer.writeScores(scoreEpisode(p.loaded.module.game, result.interactions, p.row.instance, p.row.experiment));
    if (isClaimLost()) return lost;
    await writer.writeCompleted(result.outcome);
    return { ...base, status: result.outcome, playedHere: true };
  } catch (e) {
    if (isClaimLost()) return lost;
    // An interrupted run leaves the episode pending (no error.json): the rerun plays it again. A file that
    // cannot be written cannot record an error either: both stop the run.
    if (d.signal.aborted || hasCode(e, 'ABORT_ERR') || (e instanceof Error && e.name === 'AbortError') || hasCode(e, 'write_failed')) throw e;
    await writeRequestLogs(p, writer, players, null, false);
    await writer.writeError(e);
    return { ...base, status: 'errored', error: e instanceof Error ? e.message : String(e), playedHere: true };
  }
}

async function writeRequestLogs(p: PlannedEpisode, writer: EpisodeWriter, players: readonly Player[], roundCount: number | null, completed: boolean): Promise<void> {
  await Promise.all(
    players
      .filter((player) => player.calls.length > 0)
      .map((player) =>
        writer.writeRequestLog({
          meta: {
            game_name: p.loaded.spec.game_name,
            experiment_name: p.row.experimentName,
            game_id: p.row.gameId,
            player_name: player.name,
            game_role: player.role,
            model_name: player.modelName,
            round_count: roundCount,
            completed,
          },
          calls: player.toRequestsLog(),
        }),
      ),
  );
}
