import { once } from 'node:events';
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rejectionMessage, thrownMessage } from '../../test/helpers/errors.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { DEFAULT_LOCK_STALE_MS, isLockHeld, lockStaleMs, removeStaleLock, tryLock, waitForLock } from './locks.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());
const STALE = 2000;

/** A lock folder left by a worker that died `agoMs` ago (its mtime is that old). */
function deadLock(path: string, agoMs: number): void {
  mkdirSync(path, { recursive: true });
  const t = (Date.now() - agoMs) / 1000;
  utimesSync(path, t, t);
}

/** Returns once a file written in `dir` gets an mtime later than `ms` (at most one tick of the kernel's clock). */
function afterFileClockTick(dir: string, ms: number): void {
  const probe = join(dir, 'clock-probe');
  do writeFileSync(probe, '');
  while (statSync(probe).mtime.getTime() <= ms);
}

describe('episode claims', () => {
  it('one holder at a time; released, it can be taken again', async () => {
    const path = join(tmp.make(), 'm', 'g', 'e', 'instance_00000.lock');
    const a = await tryLock(path, STALE);
    expect(a).toBeDefined();
    expect(await tryLock(path, STALE)).toBeUndefined();
    expect(await isLockHeld(path, STALE)).toBe(true);
    await a?.release();
    await a?.release();
    expect(existsSync(path)).toBe(false);
    const b = await tryLock(path, STALE);
    expect(b?.lost).toBe(false);
    await b?.release();
  });

  it("a dead worker's stale claim is taken over; a fresh one is not", async () => {
    const dir = tmp.make();
    deadLock(join(dir, 'fresh.lock'), 0);
    deadLock(join(dir, 'stale.lock'), STALE + 5000);
    expect(await tryLock(join(dir, 'fresh.lock'), STALE)).toBeUndefined();
    expect(await isLockHeld(join(dir, 'stale.lock'), STALE)).toBe(false);
    const taken = await tryLock(join(dir, 'stale.lock'), STALE);
    expect(taken?.tookOver).toBe(true);
    await taken?.release();
  });

  it('a holder whose claim was taken over (it froze) learns it lost it', async () => {
    const dir = tmp.make();
    const path = join(dir, 'x.lock');
    const frozen = await tryLock(path, STALE);
    expect(frozen?.tookOver).toBe(false);
    // The file system's clock moves in ticks of a few ms: a lock folder made anew within the same tick would carry
    // the frozen holder's mtime, and it would go on refreshing as if nothing happened. Wait for the next tick.
    afterFileClockTick(dir, statSync(path).mtime.getTime());
    // Another worker finds it stale and takes it over: the folder is made anew with another mtime.
    deadLock(path, STALE + 5000);
    const other = await tryLock(path, STALE);
    expect(other?.tookOver).toBe(true);
    if (!frozen?.signal.aborted) await once(frozen?.signal as AbortSignal, 'abort');
    expect(frozen?.lost).toBe(true);
    expect(String((frozen?.signal.reason as Error).message)).toMatch(/^lost the lock .*x\.lock to another worker/);
    await frozen?.release(); // a no-op: the lock is the other worker's now
    expect(existsSync(path)).toBe(true);
    await other?.release();
  });

  it('waitForLock waits for the holder, and gives up after three stale times', async () => {
    const path = join(tmp.make(), 'run.json.lock');
    const holder = await tryLock(path, STALE);
    const sleeps: number[] = [];
    const waited = waitForLock(path, STALE, {
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 3) await holder?.release();
      },
    });
    const lock = await waited;
    expect(sleeps).toHaveLength(3);
    expect(lock.path).toBe(path);
    let t = 0;
    const message = await rejectionMessage(waitForLock(path, STALE, { now: () => t, sleep: async () => void (t += 1000) }));
    expect(message).toBe(`${path} is held by another worker for more than 6000 ms; if no other clem-ts runs on this folder, remove that folder`);
    await lock.release();
  });

  it('removeStaleLock removes only dead holders’ locks', async () => {
    const dir = tmp.make();
    deadLock(join(dir, 'dead.lock'), STALE + 5000);
    const live = await tryLock(join(dir, 'live.lock'), STALE);
    await removeStaleLock(join(dir, 'dead.lock'), STALE);
    await removeStaleLock(join(dir, 'live.lock'), STALE);
    await removeStaleLock(join(dir, 'absent.lock'), STALE);
    expect([existsSync(join(dir, 'dead.lock')), existsSync(join(dir, 'live.lock'))]).toEqual([false, true]);
    await live?.release();
  });

  it('the stale time comes from CLEM_TS_LOCK_STALE_MS, at least 2000 ms', () => {
    expect(lockStaleMs({})).toBe(DEFAULT_LOCK_STALE_MS);
    expect(lockStaleMs({ CLEM_TS_LOCK_STALE_MS: '2500' })).toBe(2500);
    expect(thrownMessage(() => lockStaleMs({ CLEM_TS_LOCK_STALE_MS: '100' }))).toBe('CLEM_TS_LOCK_STALE_MS=100: expected an integer number of milliseconds ≥ 2000');
  });
});
