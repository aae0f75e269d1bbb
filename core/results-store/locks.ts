import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { makeFolder } from '../../base/atomic.js';
import { ClemError } from '../../base/errors.js';

/**
 * Locks for many workers on one results folder, from proper-lockfile: a lock is a folder made with mkdir
 * (atomic on local disks and on NFS), kept fresh by touching its mtime every `staleMs / 2`; a lock whose
 * mtime is older than `staleMs` belongs to a dead (or frozen) worker and the next one to ask takes it over.
 * A holder that finds its lock taken over (it froze for longer than `staleMs`) is told through
 * `Lock.lost`/`Lock.signal` and must write nothing more under it.
 */

/** Default stale time: a worker that has not touched its lock for this long is taken as dead. */
export const DEFAULT_LOCK_STALE_MS = 30_000;

/** The stale time from `CLEM_TS_LOCK_STALE_MS` (proper-lockfile's floor is 2000 ms), else the default. */
export function lockStaleMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CLEM_TS_LOCK_STALE_MS;
  if (raw === undefined || raw === '') return DEFAULT_LOCK_STALE_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 2000) throw new LockError(`CLEM_TS_LOCK_STALE_MS=${raw}: expected an integer number of milliseconds ≥ 2000`);
  return ms;
}

export class LockError extends ClemError {
  readonly code = 'lock';
}

/** A held lock. `release` is idempotent; after a takeover `lost` is true and `signal` is aborted. */
export interface Lock {
  readonly path: string;
  /** This holder took the lock over from one that had stopped refreshing it (a dead or frozen worker). */
  readonly tookOver: boolean;
  readonly lost: boolean;
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

/**
 * Takes the lock folder `path` (its parent is created), or returns undefined when another live worker holds
 * it. A stale lock is taken over.
 */
export async function tryLock(path: string, staleMs: number): Promise<Lock | undefined> {
  await makeFolder(dirname(path));
  // proper-lockfile does not say whether it took a stale lock over: a lock folder that was stale just before is one.
  const before = statSync(path, { throwIfNoEntry: false });
  const wasStale = before !== undefined && before.mtime.getTime() < Date.now() - staleMs;
  const lost = new AbortController();
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      lockfilePath: path,
      realpath: false,
      stale: staleMs,
      retries: 0,
      onCompromised: (e) => lost.abort(new LockError(`lost the lock ${path} to another worker (this one did not refresh it for ${staleMs} ms): ${e.message}`)),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
    throw e;
  }
  let released = false;
  return {
    path,
    tookOver: wasStale,
    get lost() {
      return lost.signal.aborted;
    },
    signal: lost.signal,
    async release() {
      if (released || lost.signal.aborted) return;
      released = true;
      await release();
    },
  };
}

/**
 * Takes the lock `path`, waiting while another worker holds it (a lock held only for a read-modify-write),
 * up to `3 × staleMs` (by then a dead holder's lock is stale and taken over). Throws LockError after that.
 */
export async function waitForLock(
  path: string,
  staleMs: number,
  clock: { sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
): Promise<Lock> {
  const { sleep = defaultSleep, now = Date.now } = clock;
  const deadline = now() + 3 * staleMs;
  for (let attempt = 0; ; attempt++) {
    const lock = await tryLock(path, staleMs);
    if (lock) return lock;
    if (now() > deadline) throw new LockError(`${path} is held by another worker for more than ${3 * staleMs} ms; if no other clem-ts runs on this folder, remove that folder`);
    await sleep(Math.min(250, 10 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
  }
}

/** Whether the lock `path` is held by a live worker (exists and is not stale). */
export function isLockHeld(path: string, staleMs: number): Promise<boolean> {
  return lockfile.check(path, { lockfilePath: path, realpath: false, stale: staleMs });
}

/** Removes the lock folder `path` if it is stale (its holder is dead); a live holder's lock stays. */
export async function removeStaleLock(path: string, staleMs: number): Promise<void> {
  if (!existsSync(path) || (await isLockHeld(path, staleMs))) return;
  await rm(path, { recursive: true, force: true });
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
