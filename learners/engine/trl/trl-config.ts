import { z } from 'zod';
import { warmupSteps } from '../schedule.js';
import type { TrainSettings } from '../train-settings.js';

/**
 * The keys clem-ts writes into the YAML file that `trl sft|dpo --config FILE` reads, grouped by the TRL
 * dataclass that owns them (TrlParser refuses keys no dataclass has). Every name is one TRL ≥ 0.20 documents
 * (test/fixtures/trl/documented-args.json lists the sources).
 */
export const TrlScriptArgumentsSchema = z.strictObject({
  dataset_name: z.string().describe('ScriptArguments: a local folder holding train.jsonl (datasets.load_dataset reads a folder of JSON lines).'),
  dataset_train_split: z.literal('train'),
});

export const TrlModelArgumentsSchema = z.strictObject({
  model_name_or_path: z.string(),
  use_peft: z.boolean(),
  lora_r: z.number().int().positive().optional(),
  lora_alpha: z.number().positive().optional(),
  lora_dropout: z.number().min(0).optional(),
  lora_target_modules: z.array(z.string()).optional(),
  use_rslora: z.literal(true).optional().describe('Rank-stabilised scaling alpha/√r; written only when on (TRL defaults it off).'),
});

export const TrlTrainingArgumentsSchema = z.strictObject({
  output_dir: z.string(),
  learning_rate: z.number(),
  num_train_epochs: z.number(),
  max_steps: z.number().int().optional(),
  per_device_train_batch_size: z.number().int(),
  gradient_accumulation_steps: z.number().int(),
  lr_scheduler_type: z.literal('cosine'),
  warmup_steps: z.number().int().nonnegative().describe('An integer, computed here from the warm-up ratio (transformers 5 drops warmup_ratio).'),
  weight_decay: z.number(),
  adam_beta1: z.number(),
  adam_beta2: z.number(),
  adam_epsilon: z.number(),
  max_grad_norm: z.number(),
  seed: z.number().int(),
  logging_steps: z.number().int(),
  save_strategy: z.literal('steps'),
  save_steps: z.number().int(),
  report_to: z.literal('none'),
});

export const TrlSftArgumentsSchema = z.strictObject({
  max_length: z.number().int(),
  assistant_only_loss: z.boolean().optional().describe('Loss on assistant turns of `messages` rows; needs a chat template with {% generation %} blocks.'),
  completion_only_loss: z.boolean().optional().describe('Loss on the completion of prompt/completion rows.'),
});

export const TrlDpoArgumentsSchema = z.strictObject({
  beta: z.number(),
  max_length: z.number().int(),
});

export type TrlConfig = Record<string, unknown>;

/** How SFT rows reach TRL: whole conversations with assistant-only loss, or one prompt/completion row per reply. */
export type TrlSftFormat = 'messages' | 'prompt-completion';

export interface TrlConfigInput {
  settings: TrainSettings;
  /** Folder holding train.jsonl. */
  datasetDir: string;
  /** Where TRL writes checkpoints and the final adapter (or model). */
  outputDir: string;
  /** Rows in train.jsonl (to turn the warm-up ratio into steps). */
  rows: number;
  /** Processes in the whole job (GPUs × nodes). */
  worldSize: number;
  sftFormat: TrlSftFormat;
}

/** Optimizer steps TRL will run: ⌈rows / (batch · accumulation · world size)⌉ per epoch, or max_steps. */
export function trlTotalSteps(settings: TrainSettings, rows: number, worldSize: number): number {
  if (settings.maxSteps !== null) return settings.maxSteps;
  return Math.max(1, Math.ceil(rows / (settings.batchSize * settings.gradAccum * worldSize))) * settings.epochs;
}

/**
 * The TRL config (one flat object, as TRL's YAML takes it) with the same hyper-parameters as the built-in
 * engine. DPO keeps TRL's default sigmoid loss (not written: TRL 1.x made `loss_type` a list). Throws for `pg`,
 * which TRL's CLI has no offline trainer for.
 */
export function buildTrlConfig(input: TrlConfigInput): TrlConfig {
  const s = input.settings;
  if (s.kind === 'pg') throw new Error('TRL has no offline weighted policy-gradient trainer; use --engine builtin for pg');
  const script = TrlScriptArgumentsSchema.parse({ dataset_name: input.datasetDir, dataset_train_split: 'train' });
  const model = TrlModelArgumentsSchema.parse(
    s.lora === null
      ? { model_name_or_path: s.baseId, use_peft: false }
      : {
          model_name_or_path: s.baseId, use_peft: true, lora_r: s.lora.r, lora_alpha: s.lora.alpha, lora_dropout: s.lora.dropout, lora_target_modules: s.lora.targetModules,
          ...(s.lora.rslora ? { use_rslora: true } : {}),
        },
  );
  const total = trlTotalSteps(s, input.rows, input.worldSize);
  const training = TrlTrainingArgumentsSchema.parse({
    output_dir: input.outputDir,
    learning_rate: s.learningRate,
    num_train_epochs: s.epochs,
    ...(s.maxSteps === null ? {} : { max_steps: s.maxSteps }),
    per_device_train_batch_size: s.batchSize,
    gradient_accumulation_steps: s.gradAccum,
    lr_scheduler_type: 'cosine',
    warmup_steps: warmupSteps(total, s.warmupRatio),
    weight_decay: s.weightDecay,
    adam_beta1: s.adamBeta1,
    adam_beta2: s.adamBeta2,
    adam_epsilon: s.adamEpsilon,
    max_grad_norm: s.maxGradNorm,
    seed: s.seed,
    logging_steps: 1,
    save_strategy: 'steps',
    save_steps: s.saveSteps,
    report_to: 'none',
  });
  const specific =
    s.kind === 'dpo'
      ? TrlDpoArgumentsSchema.parse({ beta: s.beta, max_length: s.maxLength })
      : TrlSftArgumentsSchema.parse(
          input.sftFormat === 'messages' ? { max_length: s.maxLength, assistant_only_loss: true } : { max_length: s.maxLength, completion_only_loss: true },
        );
  return { ...script, ...model, ...training, ...specific };
}
