/**
 * The learning-rate schedule of HF transformers' `get_cosine_schedule_with_warmup` (what TRL's
 * `lr_scheduler_type: cosine` runs): linear warm-up from 0, then half a cosine down to 0.
 */

/** Warm-up steps for a ratio, as HF TrainingArguments.get_warmup_steps rounds it (up). */
export function warmupSteps(totalSteps: number, warmupRatio: number): number {
  return Math.ceil(totalSteps * warmupRatio);
}

/**
 * The learning rate of optimizer step `step` (0-based: the first update uses step 0, which is 0 during a
 * warm-up, as in HF), for a peak `lr`, `warmup` steps and `total` steps.
 */
export function cosineLr(step: number, lr: number, warmup: number, total: number): number {
  if (step < warmup) return (lr * step) / Math.max(1, warmup);
  const progress = (step - warmup) / Math.max(1, total - warmup);
  return lr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/**
 * Whether every one of `total` steps has learning rate 0, so training would leave the parameters as they were:
 * one step with warm-up (HF's first warm-up step has learning rate 0). Stops at the first step with a rate.
 */
export function learnsNothing(lr: number, warmup: number, total: number): boolean {
  for (let step = 0; step < total; step++) if (cosineLr(step, lr, warmup, total) > 0) return false;
  return true;
}

/** The ConfigError message for a run that `learnsNothing`: what makes the steps, and what to change. */
export function learnsNothingMessage(data: string, rows: number, total: number, batchSize: number, gradAccum: number): string {
  return (
    `${data}: ${rows} row(s) make ${total} optimizer step(s) (--batch-size ${batchSize} × --grad-accum ${gradAccum} rows a step), and each has ` +
    'learning rate 0 (the first warm-up step): training would change nothing. Lower --batch-size or --grad-accum, raise --epochs, or pass --warmup-ratio 0.'
  );
}
