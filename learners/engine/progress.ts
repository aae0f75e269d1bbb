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

/** One line per step, for logs and pipes. */
function lineOf(l: TrainLogLine, total: number): string {
  const margin = l.rewards_margins === null ? '' : ` margin ${fmt(l.rewards_margins)} acc ${fmt(l.rewards_accuracies, 2)}`;
  return `step ${l.step}/${total} loss ${fmt(l.loss)}${margin} lr ${l.learning_rate.toExponential(2)} grad_norm ${fmt(l.grad_norm, 3)} ${Math.round(l.tokens_per_second)} tok/s`;
}

/**
 * A cli-progress bar with loss, DPO reward margin, tokens/s and ETA on a terminal; plain step lines otherwise
 * (CI logs, pipes), every `everyLines` steps and the last.
 */
export function terminalTrainReporter(stream: NodeJS.WriteStream = process.stderr, everyLines = 1): TrainReporter {
  let total = 0;
  if (!stream.isTTY) {
    return {
      start: (n, from) => {
        total = n;
        stream.write(from > 0 ? `resuming at step ${from} of ${n}\n` : `training ${n} steps\n`);
      },
      step: (l) => {
        if (l.step % everyLines === 0 || l.step === total) stream.write(`${lineOf(l, total)}\n`);
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
