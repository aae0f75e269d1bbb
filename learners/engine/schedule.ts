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
