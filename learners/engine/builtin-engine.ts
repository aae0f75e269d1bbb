import { join } from 'node:path';
import { hashSeed } from '../../base/rng.js';
import { ConfigError } from '../../base/errors.js';
import { loadChatTokenizer } from '../../backends/transformers/index.js';
import { adamWSlot, adamWStep, clipFactor, globalNorm } from './adamw.js';
import type { BaseModel } from './base-model.js';
import { requireLocalBase } from './base-model.js';
import { type MicroBatch, chooseBuckets, epochBatches, planStep, stepsPerEpoch } from './batching.js';
import { type NamedSlot, readCheckpointIndex, restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import { writeModelFolder } from './full-output.js';
import { TrainingGraph, loadTrainingModel } from './graph/index.js';
import { writePeftAdapter } from './peft-output.js';
import type { TrainReporter } from './progress.js';
import { referenceLogps } from './ref-logps.js';
import type { TrainedOutput } from './register.js';
import { cosineLr, learnsNothing, learnsNothingMessage, warmupSteps } from './schedule.js';
import { runStep } from './step.js';
import { appendTrainLog, truncateTrainLog } from './train-log.js';
import type { TrainSettings } from './train-settings.js';
import { exampleLength, readTrainingData } from './training-data.js';
import { fullTensors, initLoraTensors } from './trainable.js';

export interface BuiltinRunOptions {
  outDir: string;
  /** SHA-256 of train-settings.json, stored in checkpoints. */
  settingsSha256: string;
  /** ORT intra-op threads (1 by default: the machine is usually shared, see ort-training.md). */
  threads: number;
  /** Most padded lengths (graph shapes) to use. */
  maxBuckets: number;
  reporter: TrainReporter;
  signal?: AbortSignal | undefined;
}

export interface BuiltinRunResult {
  output: TrainedOutput;
  steps: number;
  /** The step a resumed run continued from (null: started at 0). */
  resumedFrom: number | null;
  /** Loss of the last step run here (null when nothing was left to run). */
  lastLoss: number | null;
}

/**
 * Trains on CPU with the ONNX training graph (graph/): tokenizes the data through the base model's chat
 * template, buckets lengths, runs AdamW with gradient accumulation, clipping and a cosine warm-up schedule,
 * logs every step to `train.jsonl`, checkpoints every `saveSteps` steps and at the end, resumes from the last
 * checkpoint in `outDir` (bit for bit: same parameters, moments, step, data order and dropout masks), and writes
 * the PEFT adapter (`adapter/`) or the model folder (`model/`, full fine-tuning).
 */
export async function trainBuiltin(s: TrainSettings, base: BaseModel, o: BuiltinRunOptions): Promise<BuiltinRunResult> {
  const baseDir = requireLocalBase(base);
  const model = loadTrainingModel(baseDir);
  const { weights, config } = model;
  const chatTemplate = base.spec?.model_config?.custom_chat_template;
  const tok = await loadChatTokenizer(baseDir, chatTemplate === undefined ? {} : { chatTemplate });
  const data = readTrainingData(s.kind, s.data, tok, s.maxLength);
  if (data.truncated > 0) {
    if (s.kind === 'dpo' && data.examples.some((e) => e.kind === 'pair' && e.ref !== null)) {
      throw new ConfigError(`${s.data}: ${data.truncated} pairs are longer than --max-length ${s.maxLength}, but their stored reference log-probs cover the whole replies; raise --max-length.`);
    }
    o.reporter.note(`${data.truncated} of ${data.examples.length} rows are longer than ${s.maxLength} tokens and were cut.`);
  }
  const lengths = data.examples.map(exampleLength);
  const buckets = chooseBuckets(lengths, s.maxLength, o.maxBuckets);
  let memo: { epoch: number; batches: MicroBatch[] } | null = null;
  const batchesOf = (epoch: number): MicroBatch[] => {
    if (memo?.epoch !== epoch) memo = { epoch, batches: epochBatches(lengths, buckets, s.batchSize, s.seed, epoch) };
    return memo.batches;
  };
  const perEpoch = stepsPerEpoch(batchesOf(0).length, s.gradAccum);
  const total = s.maxSteps ?? perEpoch * s.epochs;
  const warmup = warmupSteps(total, s.warmupRatio);
  if (learnsNothing(s.learningRate, warmup, total)) throw new ConfigError(learnsNothingMessage(s.data, data.examples.length, total, s.batchSize, s.gradAccum));

  const tensors = s.lora ? initLoraTensors(config, s.lora, s.seed) : fullTensors(weights);
  const slots: NamedSlot[] = tensors.map((t) => ({ ...adamWSlot(t.data, t.decay), name: t.name, shape: t.shape }));
  const checkpointDir = join(o.outDir, 'checkpoint');
  const logPath = join(o.outDir, 'train.jsonl');
  let start = 0;
  const index = readCheckpointIndex(checkpointDir);
  if (index !== null) {
    if (index.settingsSha256 !== o.settingsSha256) throw new ConfigError(`${checkpointDir}: the checkpoint belongs to other settings; delete it or choose another output folder.`);
    restoreCheckpoint(checkpointDir, index, slots);
    start = index.step;
  }
  truncateTrainLog(logPath, start);

  const refLogps =
    s.kind === 'dpo'
      ? await referenceLogps({
          config, weights, examples: data.examples, batchSize: s.batchSize, seqBuckets: buckets, padId: tok.padId, threads: o.threads,
          cacheFile: join(o.outDir, 'ref-logps.json'), key: o.settingsSha256,
        })
      : null;
  // DPO trains without dropout, as TRL's DPOConfig(disable_dropout=True) does: the reference pass has none either.
  const graphLora = s.lora && s.kind === 'dpo' ? { ...s.lora, dropout: 0 } : s.lora;
  const graph = new TrainingGraph(config, weights, { loss: s.kind, lora: graphLora, full: s.lora === null, threads: o.threads, seqBuckets: buckets });
  const params = new Map(tensors.map((t) => [t.name, t.data]));
  const opts = { beta1: s.adamBeta1, beta2: s.adamBeta2, eps: s.adamEpsilon, weightDecay: s.weightDecay };
  const began = performance.now();
  let lastLoss: number | null = null;
  o.reporter.start(total, start);
  try {
    for (let step = start; step < total; step++) {
      o.signal?.throwIfAborted();
      const t0 = performance.now();
      const plan = planStep(step, batchesOf, s.gradAccum, perEpoch);
      const following = step + 1 < total ? planStep(step + 1, batchesOf, s.gradAccum, perEpoch).batches[0] : undefined;
      const dropoutSeed = (st: number, k: number) => hashSeed(s.seed, 'dropout', st, k);
      const r = await runStep(
        {
          graph, params, examples: data.examples, refLogps, batchSize: s.batchSize, beta: s.beta, padId: tok.padId,
          dropoutSeed: (k) => dropoutSeed(step, k),
          ...(following ? { nextStep: { batch: following, dropoutSeed: dropoutSeed(step + 1, 0) } } : {}),
        },
        plan.batches,
      );
      const grads = slots.map((sl) => {
        const g = r.grads.get(sl.name);
        if (!g) throw new Error(`the training graph returned no gradient for ${sl.name}`);
        return g;
      });
      const norm = globalNorm(grads);
      const lr = cosineLr(step, s.learningRate, warmup, total);
      adamWStep(slots, grads, lr, step + 1, opts, clipFactor(norm, s.maxGradNorm));
      const seconds = (performance.now() - t0) / 1000;
      const line = {
        step: step + 1,
        epoch: (step + 1) / perEpoch,
        loss: r.loss,
        learning_rate: lr,
        grad_norm: norm,
        target_tokens: r.targetTokens,
        tokens: r.tokens,
        tokens_per_second: r.tokens / Math.max(seconds, 1e-9),
        elapsed_s: (performance.now() - began) / 1000,
        rewards_chosen: r.dpo?.rewardsChosen ?? null,
        rewards_rejected: r.dpo?.rewardsRejected ?? null,
        rewards_margins: r.dpo?.rewardsMargins ?? null,
        rewards_accuracies: r.dpo?.rewardsAccuracies ?? null,
        logps_chosen: r.dpo?.logpsChosen ?? null,
        logps_rejected: r.dpo?.logpsRejected ?? null,
      };
      appendTrainLog(logPath, line);
      o.reporter.step(line);
      lastLoss = r.loss;
      if ((step + 1) % s.saveSteps === 0 || step + 1 === total) saveCheckpoint(checkpointDir, step + 1, slots, o.settingsSha256);
    }
  } finally {
    o.reporter.finish();
    await graph.close();
  }
  let output: TrainedOutput;
  if (s.lora) {
    output = { kind: 'adapter', dir: join(o.outDir, 'adapter') };
    writePeftAdapter(output.dir, tensors, s.lora, base.id);
  } else {
    output = { kind: 'model', dir: join(o.outDir, 'model') };
    writeModelFolder(output.dir, baseDir, model.rawConfig, tensors);
  }
  return { output, steps: total, resumedFrom: start > 0 ? start : null, lastLoss };
}
