import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, terminalTrainReporter } from './progress.js';
import type { TrainLogLine } from './train-log.js';

function line(step: number, elapsed: number, dpo: boolean): TrainLogLine {
  const d = dpo ? 0.5 : null;
  return {
    step, epoch: step / 10, loss: 0.25, learning_rate: 1e-5, grad_norm: 1.5, target_tokens: 10, tokens: 100, tokens_per_second: 2000.4, elapsed_s: elapsed,
    rewards_chosen: d, rewards_rejected: d, rewards_margins: d, rewards_accuracies: d, logps_chosen: d, logps_rejected: d,
  };
}

/** A pipe, as in CI logs: not a terminal. */
function pipe(): { stream: NodeJS.WriteStream; text: () => string } {
  const p = new PassThrough();
  let out = '';
  p.on('data', (c: Buffer) => (out += c.toString()));
  return { stream: p as unknown as NodeJS.WriteStream, text: () => out };
}

describe('terminalTrainReporter in a log (not a terminal)', () => {
  it('prints loss, margin, tokens/s and an ETA from the time per step since the (resumed) start', () => {
    const { stream, text } = pipe();
    const r = terminalTrainReporter(stream, 2);
    r.start(100, 40);
    r.step(line(41, 3, true));
    r.step(line(42, 6, true));
    r.step(line(100, 180, true));
    r.finish();
    // 2 steps in 6 s since step 40: 58 steps left → 174 s
    expect(text()).toBe(
      'resuming at step 40 of 100\n' +
        'step 42/100 loss 0.2500 margin 0.5000 acc 0.50 lr 1.00e-5 grad_norm 1.500 2000 tok/s ETA 2m54s\n' +
        'step 100/100 loss 0.2500 margin 0.5000 acc 0.50 lr 1.00e-5 grad_norm 1.500 2000 tok/s ETA 0s\n',
    );
  });

  it('leaves the margin out for SFT and PG', () => {
    const { stream, text } = pipe();
    const r = terminalTrainReporter(stream);
    r.start(3, 0);
    r.step(line(1, 2, false));
    expect(text()).toBe('training 3 steps\nstep 1/3 loss 0.2500 lr 1.00e-5 grad_norm 1.500 2000 tok/s ETA 4s\n');
  });

  it('formats durations for humans', () => {
    expect([formatDuration(0.4), formatDuration(59.6), formatDuration(61), formatDuration(3 * 3600 + 125)]).toEqual(['0s', '1m00s', '1m01s', '3h02m']);
  });
});
