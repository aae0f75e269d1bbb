import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { toStrictJson, writeFileAtomic } from '../../base/atomic.js';
import { FileFormatError } from '../../base/errors.js';

const metric = z.number().nullable();

/**
 * One line of `train.jsonl`: one optimizer step. Names follow HF Trainer / TRL logs where they exist
 * (`loss`, `learning_rate`, `grad_norm`, `rewards/margins` → `rewards_margins`). DPO fields are null for
 * other losses. Our own format: unknown keys are refused.
 */
export const TrainLogLineSchema = z.strictObject({
  step: z.number().int().positive().describe('Optimizer steps done, this one included.'),
  epoch: z.number().nonnegative().describe('Epochs done, fractional.'),
  loss: z.number().describe('Mean loss of the step (SFT/PG: per target token; DPO: per pair).'),
  learning_rate: z.number().describe('Learning rate this step used.'),
  grad_norm: z.number().describe('Global gradient norm before clipping.'),
  target_tokens: z.number().int().nonnegative().describe('Tokens the loss was computed on.'),
  tokens: z.number().int().nonnegative().describe('Tokens processed (real, not padding).'),
  tokens_per_second: z.number().describe('tokens / wall time of the step.'),
  elapsed_s: z.number().describe('Wall time since the run (or its resumption) started.'),
  rewards_chosen: metric.describe('DPO: mean β·(log π(chosen) − log π_ref(chosen)).'),
  rewards_rejected: metric.describe('DPO: mean β·(log π(rejected) − log π_ref(rejected)).'),
  rewards_margins: metric.describe('DPO: mean implicit reward margin, chosen − rejected.'),
  rewards_accuracies: metric.describe('DPO: share of pairs whose chosen reward is higher.'),
  logps_chosen: metric.describe('DPO: mean summed log-prob of the chosen replies.'),
  logps_rejected: metric.describe('DPO: mean summed log-prob of the rejected replies.'),
});
export type TrainLogLine = z.infer<typeof TrainLogLineSchema>;

/** Appends one step to the log (one JSON line; the line is parsed by the schema first). */
export function appendTrainLog(path: string, line: TrainLogLine): void {
  appendFileSync(path, `${JSON.stringify(JSON.parse(toStrictJson(TrainLogLineSchema.parse(line))))}\n`);
}

/** Reads the log; throws FileFormatError naming the line and field of the first bad line. */
export function readTrainLog(path: string): TrainLogLine[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((text, i) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new FileFormatError(path, [`line ${i + 1}: not valid JSON (${(e as Error).message})`], { cause: e });
    }
    const parsed = TrainLogLineSchema.safeParse(value);
    if (!parsed.success) throw new FileFormatError(path, parsed.error.issues.map((x) => `line ${i + 1}: ${x.path.join('.') || '(root)'}: ${x.message}`));
    return parsed.data;
  });
}

/**
 * Keeps the lines of steps ≤ `step` (a resumed run rewrites what came after its checkpoint); a torn last line
 * from a killed writer is dropped. Rewrites the file atomically.
 */
export function truncateTrainLog(path: string, step: number): void {
  if (!existsSync(path)) return;
  const kept: string[] = [];
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue; // a line cut by SIGKILL mid-write
    }
    const parsed = TrainLogLineSchema.safeParse(value);
    if (parsed.success && parsed.data.step <= step) kept.push(text);
  }
  writeFileAtomic(path, kept.map((l) => `${l}\n`).join(''));
}
