import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

/** The main thread's time so far, in ms: on a core, and ready to run but waiting for one (a loaded machine). */
export interface ThreadTimes {
  cpuMs: number;
  waitMs: number;
}

/**
 * The calling process's main thread's times from `/proc/self/task/<pid>/schedstat` (Linux), or undefined where
 * there is none. Unlike the event loop's busy time, `cpuMs` leaves out the time the thread waited for a core,
 * so it stays meaningful on a shared, loaded machine; `waitMs` says how much that was. Call it on the main thread.
 */
export function mainThreadTimes(): ThreadTimes | undefined {
  try {
    const [onCpu, waiting] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    if (!Number.isFinite(onCpu) || !Number.isFinite(waiting)) return undefined;
    return { cpuMs: (onCpu as number) / 1e6, waitMs: (waiting as number) / 1e6 };
  } catch {
    return undefined;
  }
}

/** The times since `start` (a mainThreadTimes reading), or undefined. */
export function timesSince(start: ThreadTimes | undefined): ThreadTimes | undefined {
  const now = mainThreadTimes();
  return start === undefined || now === undefined ? undefined : { cpuMs: now.cpuMs - start.cpuMs, waitMs: now.waitMs - start.waitMs };
}

/** The machine's 1-minute load average against its cores, for figures measured on a shared machine. */
export function machineLoad(): string {
  return `load ${(loadavg()[0] as number).toFixed(1)} on ${availableParallelism()} cores`;
}
