import { z } from 'zod';
import { LoraOptionsSchema, loraOptions } from './graph/spec.js';

export const LEARN_KINDS = ['sft', 'dpo', 'pg'] as const;
export type LearnKind = (typeof LEARN_KINDS)[number];
export const ENGINES = ['builtin', 'trl'] as const;
export type EngineName = (typeof ENGINES)[number];


/**
 * The hyper-parameters of one training run, shared by both engines (the TRL engine writes the same values
 * into TRL's config). Stored as `train-settings.json` in the output folder; `--resume` refuses to continue a
 * run whose settings differ. Defaults follow the seeds (shared/reference/20q-rewards.md §4.3): LoRA r 32,
 * alpha 16, dropout 0.1 on all seven projections, cosine schedule with 10% warm-up, β 0.1, clipping at 1.0.
 */
export const TrainSettingsSchema = z.strictObject({
  version: z.literal(1),
  kind: z.enum(LEARN_KINDS),
  engine: z.enum(ENGINES),
  base: z.string().min(1).describe('What --base named: a registry model name or a model folder.'),
  baseDir: z.string().nullable().describe('The base model folder (config.json, model.safetensors, tokenizer), or null for a hub id (TRL only).'),
  baseId: z.string().describe('What PEFT and TRL load the base from: the folder, or the hub id.'),
  data: z.string().describe('Absolute path of the dataset file.'),
  dataSha256: z.string().describe('SHA-256 of the dataset file, so a resume cannot silently switch data.'),
  lora: LoraOptionsSchema.nullable().describe('LoRA settings, or null for full fine-tuning (--full).'),
  learningRate: z.number().positive(),
  epochs: z.number().int().positive(),
  maxSteps: z.number().int().positive().nullable().describe('Stop after this many optimizer steps (overrides epochs).'),
  batchSize: z.number().int().positive().describe('Rows per forward/backward pass (DPO: pairs).'),
  gradAccum: z.number().int().positive().describe('Passes whose gradients are summed before one optimizer step.'),
  warmupRatio: z.number().min(0).max(1),
  weightDecay: z.number().min(0),
  adamBeta1: z.number().min(0).lt(1),
  adamBeta2: z.number().min(0).lt(1),
  adamEpsilon: z.number().positive(),
  maxGradNorm: z.number().min(0).describe('Clip the global gradient norm to this (0: no clipping).'),
  beta: z.number().positive().describe('DPO β.'),
  maxLength: z.number().int().positive().describe('Tokens per sequence; longer ones are cut at the end.'),
  seed: z.number().int().nonnegative(),
  saveSteps: z.number().int().positive().describe('Write a checkpoint every N optimizer steps.'),
});
export type TrainSettings = z.infer<typeof TrainSettingsSchema>;

/** The defaults of the settings a user can change, per kind (learning rates from the seeds: §4.3). */
export function defaultHyperParameters(kind: LearnKind, full: boolean): Pick<
  TrainSettings,
  'learningRate' | 'epochs' | 'maxSteps' | 'batchSize' | 'gradAccum' | 'warmupRatio' | 'weightDecay' | 'adamBeta1' | 'adamBeta2' | 'adamEpsilon' | 'maxGradNorm' | 'beta' | 'maxLength' | 'seed' | 'saveSteps'
> {
  const learningRate = kind === 'dpo' ? (full ? 5e-7 : 5e-6) : full ? 1e-6 : 1e-5;
  return {
    learningRate,
    epochs: 1,
    maxSteps: null,
    batchSize: 4,
    gradAccum: 4,
    warmupRatio: 0.1,
    weightDecay: 0,
    adamBeta1: 0.9,
    adamBeta2: 0.999,
    adamEpsilon: 1e-8,
    maxGradNorm: 1,
    beta: 0.1,
    maxLength: 2048,
    seed: 42,
    saveSteps: 50,
  };
}

/** LoRA defaults of the seeds: r 32, alpha 16, dropout 0.1 on q, k, v, o, gate, up, down (graph/spec.ts). */
export const defaultLora = loraOptions;
