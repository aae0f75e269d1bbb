import cliProgress from 'cli-progress';

/** How dpo-data reports its states; the library never writes to the terminal itself. */
export interface StateProgress {
  /** `total` states, of which `done` were in the journal already. */
  start(total: number, done: number): void;
  /** One state finished now: whether it gave a pair. */
  state(pair: boolean): void;
  finish(): void;
}

export const silentStateProgress: StateProgress = { start() {}, state() {}, finish() {} };

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * A bar with pairs so far and the ETA on a terminal (cli-progress); otherwise (logs, pipes) a line with the ETA per
 * 1% of the states and for the last. The ETA counts only the states done in this run (states resumed from the
 * journal took no time now).
 */
export function terminalStateProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = () => performance.now()): StateProgress {
  let total = 0;
  let done = 0;
  let resumed = 0;
  let pairs = 0;
  let started = 0;
  const eta = (): string => {
    const fresh = done - resumed;
    return fresh === 0 ? '?' : formatEta((((now() - started) / 1000) * (total - done)) / fresh);
  };
  if (!stream.isTTY) {
    return {
      start: (n, already) => {
        total = n;
        done = resumed = already;
        started = now();
        stream.write(`dpo-data: ${n} state(s), ${already} done in an earlier run\n`);
      },
      state: (pair) => {
        done++;
        if (pair) pairs++;
        // a log of a long run gets a line per 1% of the states (and the last), not one per state
        const every = Math.max(1, Math.ceil(total / 100));
        if ((done - resumed) % every === 0 || done === total) stream.write(`[${done}/${total}] ${pairs} pair(s) | ETA ${eta()}\n`);
      },
      finish() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: ' {bar} {value}/{total} states | {pairs} pairs | ETA {myEta}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (n, already) => {
      total = n;
      done = resumed = already;
      started = now();
      bar.start(n, already, { pairs: 0, myEta: '?' });
    },
    state: (pair) => {
      done++;
      if (pair) pairs++;
      bar.increment(1, { pairs, myEta: eta() });
    },
    finish: () => bar.stop(),
  };
}
