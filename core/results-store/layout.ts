import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../../base/errors.js';
import { unsafeNameReason } from '../../registry/safe-name.js';

/**
 * `root/<components…>`, refusing a component that is not a safe name (registry/safe-name.ts) and a result
 * that is not under `root`: the second line of defence behind the schemas, for every path the store writes.
 */
export function resultsPath(root: string, ...components: string[]): string {
  for (const c of components) {
    const reason = unsafeNameReason(c);
    if (reason !== undefined) throw new ConfigError(`refusing to write under ${root}: the path component ${JSON.stringify(c)} ${reason}`);
  }
  const path = join(root, ...components);
  assertUnder(root, path);
  return path;
}

/**
 * Throws unless `path` is `root` or inside it: after resolving `.` and `..`, and again after following the
 * symbolic links among the folders of `path` that exist, so that a link inside the results folder cannot lead a
 * write (or the clearing of an earlier attempt) to a folder elsewhere.
 */
export function assertUnder(root: string, path: string): void {
  if (!isInside(resolve(root), resolve(path))) throw new ConfigError(`refusing to write ${path}: it is outside the results folder ${root}`);
  const realRoot = realPathOf(root);
  const real = realPathOf(path);
  if (!isInside(realRoot, real))
    throw new ConfigError(
      `refusing to write ${path}: a symbolic link on the way leads to ${real}, outside the results folder ${root}; remove the link, or pass the folder it leads to as -r`,
    );
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/** `path` with every symbolic link among its existing folders followed; the part that does not exist yet is kept as it is. */
function realPathOf(path: string): string {
  const missing: string[] = [];
  let p = resolve(path);
  for (;;) {
    try {
      return join(realpathSync.native(p), ...missing.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      const parent = dirname(p);
      if (parent === p) return resolve(path);
      missing.push(basename(p));
      p = parent;
    }
  }
}

/**
 * The results layout (clemcore ≥3.3): `<results>/<models>/<game>/<experiment>/instance_NNNNN/`. An episode
 * is done only when `completed.json` exists; `error.json` marks a failed one.
 */
export function episodeDir(resultsDir: string, modelsFolder: string, game: string, experiment: string, gameId: number): string {
  if (!Number.isSafeInteger(gameId) || gameId < 0) throw new ConfigError(`refusing to write under ${resultsDir}: game_id ${gameId} is not a non-negative integer`);
  return resultsPath(resultsDir, modelsFolder, game, experiment, `instance_${String(gameId).padStart(5, '0')}`);
}

/**
 * The `<models>` folder name from the models assigned to the roles (after self-play and default
 * expansion), so it does not depend on how the -m list was typed: one name when every role has the same
 * model, `a--b` for two, and clemcore's `group-<n>p-<sha1[:8]>` beyond.
 */
export function modelsFolderName(assigned: readonly string[]): string {
  const distinct = [...new Set(assigned)];
  if (distinct.length === 1) return distinct[0] as string;
  if (assigned.length <= 2) return assigned.join('--');
  return `group-${assigned.length}p-${createHash('sha1').update(assigned.join('--')).digest('hex').slice(0, 8)}`;
}

export type EpisodeStatus = 'completed' | 'errored' | 'pending';

export function episodeStatus(dir: string): EpisodeStatus {
  if (existsSync(join(dir, 'completed.json'))) return 'completed';
  if (existsSync(join(dir, 'error.json'))) return 'errored';
  return 'pending';
}

/** An episode's status, with its error.json text (to tell an earlier failure from one another worker just wrote). */
export interface EpisodeState {
  status: EpisodeStatus;
  errorText?: string;
}

export function episodeState(dir: string): EpisodeState {
  const status = episodeStatus(dir);
  if (status !== 'errored') return { status };
  const errorText = readFileSync(join(dir, 'error.json'), { encoding: 'utf8', flag: 'r' });
  return { status, errorText };
}

/**
 * Older versions could leave an episode with both completed.json and error.json (two runs on one folder).
 * Completed wins: error.json is removed. Returns whether there was something to repair.
 */
export function repairBothOutcomes(dir: string): boolean {
  if (!existsSync(join(dir, 'completed.json')) || !existsSync(join(dir, 'error.json'))) return false;
  rmSync(join(dir, 'error.json'), { force: true });
  return true;
}

/**
 * Clears what an interrupted or failed attempt left (temporary files, partial results, a stale error.json),
 * so the new attempt's files are the only ones there. Call only while holding the episode's claim (no other
 * writer is live there), never on a completed episode.
 */
export function clearEpisodeDir(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name === 'instance.json') continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------------ locks

/**
 * Every lock lives under `<results>/.locks/` (a hidden folder readers skip), so episode folders hold only
 * results: `<models>/<game>/<experiment>/instance_NNNNN.lock` claims an episode, `<models>/run.json.lock`
 * guards run.json, `.workers/<id>.lock` tells that a worker is alive. Locks are folders (proper-lockfile).
 */
export const LOCKS_FOLDER = '.locks';

export function episodeLockPath(resultsDir: string, episode: string): string {
  const rel = relative(resolve(resultsDir), resolve(episode));
  return underLocks(resultsDir, `${join(resultsDir, LOCKS_FOLDER, rel)}.lock`);
}

export function runLockPath(resultsDir: string, modelsFolder: string): string {
  return underLocks(resultsDir, join(resultsPath(join(resultsDir, LOCKS_FOLDER), modelsFolder), 'run.json.lock'));
}

export function workerLockPath(resultsDir: string, workerId: string): string {
  return underLocks(resultsDir, join(resultsDir, LOCKS_FOLDER, '.workers', `${workerId}.lock`));
}

/** `lock`, checked to stay in the results folder (a link at `.locks/` must not lead lock folders elsewhere). */
function underLocks(resultsDir: string, lock: string): string {
  assertUnder(resultsDir, lock);
  return lock;
}
