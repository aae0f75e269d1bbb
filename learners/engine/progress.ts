import cliProgress from 'cli-progress';
import type { TrainLogLine } from './train-log.js';

/** What a trainer tells about itself; engines never write to the terminal themselves. */
export interface TrainReporter {
  /** Training starts (or resumes) at `startStep` of `totalSteps`. */
  start(totalSteps: number, startStep: number): void;
  step(line: TrainLogLine): void;
  /** A one-off note (reference log-probs computed, rows truncated, output written). */
  note(text: string): void;
  finish(): void;
}

export const silentTrainReporter: TrainReporter = { start() {}, step() {}, note() {}, finish() {} };

const fmt = (x: number | null, digits = 4): string => (x === null ? '-' : x.toFixed(digits));

/** `1h02m`, `4m05s`, `12s`: a duration for humans. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m`;
  if (m > 0) return `${m}m${pad(s % 60)}s`;
  return `${s}s`;
}

/**
 * One line per step, for logs and pipes. The ETA extrapolates the mean time per step since `startStep` (the
 * run's, or its resumption's, first step) to the steps left.
 */
export function stepLine(l: TrainLogLine, total: number, startStep: number): string {
  const margin = l.rewards_margins === null ? '' : ` margin ${fmt(l.rewards_margins)} acc ${fmt(l.rewards_accuracies, 2)}`;
  const done = l.step - startStep;
  const eta = done > 0 ? ` ETA ${formatDuration((l.elapsed_s / done) * (total - l.step))}` : '';
  return `step ${l.step}/${total} loss ${fmt(l.loss)}${margin} lr ${l.learning_rate.toExponential(2)} grad_norm ${fmt(l.grad_norm, 3)} ${Math.round(l.tokens_per_second)} tok/s${eta}`;
}

/**
 * A cli-progress bar with loss, DPO reward margin, tokens/s and ETA on a terminal; plain step lines otherwise
 * (CI logs, pipes) with the same figures, every `everyLines` steps and the last.
 */
export function terminalTrainReporter(stream: NodeJS.WriteStream = process.stderr, everyLines = 1): TrainReporter {
  let total = 0;
  let startStep = 0;
  if (!stream.isTTY) {
    return {
      start: (n, from) => {
        total = n;
        startStep = from;
        stream.write(from > 0 ? `resuming at step ${from} of ${n}\n` : `training ${n} steps\n`);
      },
      step: (l) => {
        if (l.step % everyLines === 0 || l.step === total) stream.write(`${stepLine(l, total, startStep)}\n`);
      },
      note: (t) => stream.write(`${t}\n`),
      finish() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {value}/{total} steps | loss {loss} | margin {margin} | {tps} tok/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (n, from) => {
      total = n;
      bar.start(n, from, { loss: '-', margin: '-', tps: '-' });
    },
    step: (l) => bar.update(l.step, { loss: fmt(l.loss), margin: fmt(l.rewards_margins), tps: Math.round(l.tokens_per_second) }),
    note: (t) => stream.write(`\n${t}\n`),
    finish: () => bar.stop(),
  };
}
