import type { GraphBatch, TrainRow } from './graph/index.js';
import type { ParamMap, TrainingGraph } from './graph/index.js';
import type { MicroBatch } from './batching.js';
import type { SeqExample, TrainingExample } from './training-data.js';

/** What one optimizer step's forward/backward passes produced. */
export interface StepResult {
  /** Sum of the micro-batches' gradients, already normalised for the whole step. */
  grads: Map<string, Float32Array>;
  /** Mean loss of the step (SFT/PG: per target token; DPO: per pair). */
  loss: number;
  targetTokens: number;
  tokens: number;
  dpo: DpoStepMetrics | null;
}

/** TRL's DPO metrics (rewards/chosen, rewards/rejected, rewards/margins, rewards/accuracies, logps/*) for one step. */
export interface DpoStepMetrics {
  rewardsChosen: number;
  rewardsRejected: number;
  rewardsMargins: number;
  rewardsAccuracies: number;
  logpsChosen: number;
  logpsRejected: number;
}

/** Everything a step needs besides the batches. */
export interface StepContext {
  graph: TrainingGraph;
  params: ParamMap;
  examples: readonly TrainingExample[];
  /** DPO: the reference log-probs of every example (chosen, rejected). */
  refLogps: readonly (readonly [number, number])[] | null;
  batchSize: number;
  beta: number;
  padId: number;
  /** Seed of each micro-batch's dropout masks (a function of the run seed, step and micro-batch). */
  dropoutSeed: (micro: number) => number;
  /** The next step's first micro-batch and its dropout seed, so that its masks are drawn while this step runs. */
  nextStep?: { batch: MicroBatch; dropoutSeed: number };
}

function row(s: SeqExample): TrainRow {
  return { ids: s.ids, mask: s.mask };
}

/** acc += scale·grads; the first micro-batch's arrays are adopted as they are when scale is 1 (no copy: full fine-tuning's are the model's size). */
function addInto(acc: Map<string, Float32Array>, grads: ReadonlyMap<string, Float32Array | Float64Array>, scale: number): void {
  for (const [name, g] of grads) {
    let a = acc.get(name);
    if (!a) {
      if (scale === 1 && g instanceof Float32Array) {
        acc.set(name, g);
        continue;
      }
      a = new Float32Array(g.length);
      acc.set(name, a);
    }
    const n = g.length;
    for (let i = 0; i < n; i++) a[i] = (a[i] as number) + scale * (g[i] as number);
  }
}

const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/**
 * The sequences of a micro-batch as the graph runs them: padded with empty rows (no targets) to the batch size;
 * DPO: the chosen sequences and their padding, then the rejected ones and theirs.
 */
function paddedSeqs(ctx: StepContext, b: MicroBatch): SeqExample[] {
  const pad: SeqExample = { ids: [ctx.padId], weights: [0], mask: [0] };
  const picked = b.rows.map((i) => ctx.examples[i] as TrainingExample);
  const padRows = Array.from({ length: ctx.batchSize - picked.length }, () => pad);
  if (picked[0]?.kind === 'pair') {
    const chosen = picked.map((e) => (e.kind === 'pair' ? e.chosen : pad));
    const rejected = picked.map((e) => (e.kind === 'pair' ? e.rejected : pad));
    return [...chosen, ...padRows, ...rejected, ...padRows];
  }
  return [...picked.map((e) => (e.kind === 'seq' ? e.seq : pad)), ...padRows];
}

/**
 * Runs the forward and backward passes of one optimizer step over its micro-batches and sums their
 * gradients so that the step optimises the mean over the whole step: SFT/PG token weights are divided by the
 * step's target-token count; DPO gradients (a mean over the micro-batch's pairs in the graph) are rescaled by
 * pairs-in-batch / real pairs in the step. Short micro-batches are padded with empty rows (no targets), so each
 * bucket keeps one graph shape; padded rows change neither loss nor gradients.
 */
export async function runStep(ctx: StepContext, batches: readonly MicroBatch[]): Promise<StepResult> {
  const acc = new Map<string, Float32Array>();
  let tokens = 0;
  let targetTokens = 0;
  for (const b of batches) {
    for (const i of b.rows) {
      const e = ctx.examples[i] as TrainingExample;
      const seqs = e.kind === 'seq' ? [e.seq] : [e.chosen, e.rejected];
      for (const s of seqs) {
        tokens += s.ids.length;
        targetTokens += s.mask.reduce((a, m) => a + m, 0);
      }
    }
  }
  const pairs = batches.reduce((n, b) => n + b.rows.length, 0);
  let lossSum = 0;
  const dpo = { chosen: 0, rejected: 0, margins: 0, accurate: 0, lpChosen: 0, lpRejected: 0 };
  for (const [k, b] of batches.entries()) {
    const picked = b.rows.map((i) => ctx.examples[i] as TrainingExample);
    const padRows = ctx.batchSize - picked.length;
    const seqs = paddedSeqs(ctx, b);
    let batch: GraphBatch;
    let scale = 1;
    if (picked[0]?.kind === 'pair') {
      const refs = b.rows.map((i) => ctx.refLogps?.[i] ?? ([0, 0] as const));
      const fill = (xs: number[]): number[] => [...xs, ...Array.from({ length: padRows }, () => 0)];
      batch = { rows: seqs.map(row), refLogps: [...fill(refs.map((r) => r[0])), ...fill(refs.map((r) => r[1]))], beta: ctx.beta };
      scale = ctx.batchSize / pairs;
    } else {
      batch = { rows: seqs.map(row), tokenWeights: seqs.map((s) => s.weights.map((w) => w / Math.max(1, targetTokens))) };
    }
    const following = batches[k + 1];
    const nextRows = (m: MicroBatch) => paddedSeqs(ctx, m).map(row);
    const next = following ? { rows: nextRows(following), dropoutSeed: ctx.dropoutSeed(k + 1) } : ctx.nextStep ? { rows: nextRows(ctx.nextStep.batch), dropoutSeed: ctx.nextStep.dropoutSeed } : undefined;
    const out = await ctx.graph.run(batch, ctx.params, ctx.dropoutSeed(k), next);
    addInto(acc, out.grads, scale);
    if (picked[0]?.kind === 'pair') {
      const P = ctx.batchSize;
      picked.forEach((_, j) => {
        const [refC, refR] = batch.refLogps ? [batch.refLogps[j] as number, batch.refLogps[P + j] as number] : [0, 0];
        const lpC = out.seqLogps[j] as number;
        const lpR = out.seqLogps[P + j] as number;
        const rc = ctx.beta * (lpC - refC);
        const rr = ctx.beta * (lpR - refR);
        lossSum += softplus(-(rc - rr));
        dpo.chosen += rc;
        dpo.rejected += rr;
        dpo.margins += rc - rr;
        dpo.accurate += rc > rr ? 1 : 0;
        dpo.lpChosen += lpC;
        dpo.lpRejected += lpR;
      });
    } else {
      lossSum += out.loss;
    }
  }
  const isDpo = ctx.examples[batches[0]?.rows[0] ?? 0]?.kind === 'pair';
  return {
    grads: acc,
    loss: isDpo ? lossSum / pairs : lossSum,
    targetTokens,
    tokens,
    dpo: isDpo
      ? {
          rewardsChosen: dpo.chosen / pairs,
          rewardsRejected: dpo.rejected / pairs,
          rewardsMargins: dpo.margins / pairs,
          rewardsAccuracies: dpo.accurate / pairs,
          logpsChosen: dpo.lpChosen / pairs,
          logpsRejected: dpo.lpRejected / pairs,
        }
      : null,
  };
}
