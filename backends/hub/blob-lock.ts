import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { THIS_HOST, isProcessAlive } from '../../base/atomic.js';

/** A lock not refreshed for this long belongs to a frozen or dead process on another host, and is taken over. */
const STALE_MS = 10_000;
const RETRY_MS = 250;

export interface BlobLock {
  /** Aborted when another process took the lock over (this one froze): stop writing the blob. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

function ownerOf(lockPath: string): { host: string; pid: number } | undefined {
  try {
    const v = JSON.parse(readFileSync(join(lockPath, 'owner.json'), 'utf8')) as { host?: unknown; pid?: unknown };
    return typeof v.host === 'string' && typeof v.pid === 'number' ? { host: v.host, pid: v.pid } : undefined;
  } catch {
    return undefined; // not written yet by a holder that just took it: treat the holder as alive
  }
}

/** Not refreshed for STALE_MS: its holder died (proper-lockfile cannot remove it itself: it holds owner.json). */
function isStale(lockPath: string): boolean {
  try {
    return Date.now() - statSync(lockPath).mtimeMs > STALE_MS;
  } catch {
    return false; // released meanwhile: the next attempt takes it
  }
}

/**
 * Takes the lock `lockPath` (a folder, proper-lockfile's mkdir lock) that guards one blob's download across
 * processes, waiting while another live process holds it. A holder on this host whose process is gone (killed
 * mid-download) is recognised at once from the `owner.json` it left in the lock; one on another host after
 * 10 s without refresh. Rejects with the signal's reason when aborted while waiting.
 */
export async function lockBlob(lockPath: string, signal?: AbortSignal): Promise<BlobLock> {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (;;) {
    signal?.throwIfAborted();
    const lost = new AbortController();
    try {
      const release = await lockfile.lock(lockPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: STALE_MS,
        retries: 0,
        onCompromised: (e) => lost.abort(e),
      });
      writeFileSync(join(lockPath, 'owner.json'), JSON.stringify({ host: THIS_HOST, pid: process.pid }));
      let released = false;
      return {
        lost: lost.signal,
        async release() {
          if (released || lost.signal.aborted) return;
          released = true;
          rmSync(join(lockPath, 'owner.json'), { force: true }); // proper-lockfile removes an empty folder
          await release();
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
      const owner = ownerOf(lockPath);
      const deadHere = owner !== undefined && owner.host === THIS_HOST && owner.pid !== process.pid && !isProcessAlive(owner.pid);
      if (deadHere || isStale(lockPath)) {
        rmSync(lockPath, { recursive: true, force: true });
        continue;
      }
      await wait(RETRY_MS, undefined, signal ? { signal } : {});
    }
  }
}
