import { z } from 'zod';
import { type LlamaConfig, linearShapes } from '../../../backends/onnx/llama-config.js';
import type { Precision } from './tape.js';

/** The seven Llama projections LoRA can target, by PEFT's module names. */
export const LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
export type LoraTarget = (typeof LORA_TARGETS)[number];

/** LoRA hyper-parameters (PEFT's meaning). Defaults: r 32, alpha 16, dropout 0.1 on all seven projections. */
export const LoraOptionsSchema = z.strictObject({
  r: z.number().int().positive().default(32).describe('LoRA rank.'),
  alpha: z.number().positive().default(16).describe('LoRA alpha; the update is scaled by alpha/r (alpha/√r with rslora).'),
  dropout: z.number().min(0).lt(1).default(0.1).describe('Dropout on the LoRA branch input (masks fed by the host).'),
  dropoutPerModule: z
    .boolean()
    .default(false)
    .describe(
      'One dropout mask per projection, as PEFT draws them. Default false: projections reading the same input (q, k, v; gate, up) ' +
        'share one mask, as PEFT does for a fused qkv projection, so their A products run as one matrix multiply (faster; each ' +
        "adapter's dropout is the same, only the masks of q, k and v are no longer independent of each other).",
    ),
  targetModules: z.array(z.enum(LORA_TARGETS)).min(1).default([...LORA_TARGETS]).describe('Projections that get an adapter.'),
  rslora: z.boolean().default(false).describe('Rank-stabilised scaling alpha/√r (PEFT use_rslora).'),
});
export type LoraOptions = z.infer<typeof LoraOptionsSchema>;

/** Fills LoRA defaults (r 32, alpha 16, dropout 0.1, all seven projections). */
export function loraOptions(partial: Partial<LoraOptions> = {}): LoraOptions {
  return LoraOptionsSchema.parse(partial);
}

/** The scale of the LoRA update: alpha/r, or alpha/√r with rslora. */
export function loraScale(lora: LoraOptions): number {
  return lora.rslora ? lora.alpha / Math.sqrt(lora.r) : lora.alpha / lora.r;
}

/**
 * The loss head of a graph. `sft` and `pg` share one head, −Σ w_t·log p(target_t) with host-given token
 * weights (SFT: the assistant mask over the number of target tokens; PG: per-sequence or per-token weights,
 * negative allowed); `dpo` is the sigmoid DPO loss over (chosen, rejected) rows; `logprobs` is forward only.
 */
export type LossKind = 'sft' | 'pg' | 'dpo' | 'logprobs';

/** What a graph computes; shapes are static per (batchSize, seqLen, targetRows). */
export interface GraphSpec {
  loss: LossKind;
  /** LoRA adapters (trainable unless `loss` is `logprobs`), or null for none. */
  lora: LoraOptions | null;
  /** Full fine-tuning: every base weight is trainable and gets a gradient output. */
  full: boolean;
  precision: Precision;
  /** Rows in the batch (DPO: chosen rows first, then as many rejected rows). */
  batchSize: number;
  /** Padded sequence length of every row. */
  seqLen: number;
  /**
   * Rows of the final hidden state that reach lm_head: batchSize·seqLen (all positions), or fewer, in which
   * case the host feeds `target_rows` (the positions that predict a target) and the rest are skipped.
   */
  targetRows: number;
  /**
   * Use onnxruntime's fused float32 kernels (SimplifiedLayerNormalization, RotaryEmbedding). Default true;
   * false builds the same graph from standard ops only (float64 graphs always are), for comparing the two.
   */
  fusedOps?: boolean;
}

/** The HF module key (`self_attn.q_proj`, `mlp.up_proj`) of a LoRA target. */
export function moduleKey(target: LoraTarget): string {
  return target === 'q_proj' || target === 'k_proj' || target === 'v_proj' || target === 'o_proj' ? `self_attn.${target}` : `mlp.${target}`;
}

/** A tensor the graph reads from the host or emits a gradient for: HF / PEFT name and shape. */
export interface TensorShape {
  name: string;
  shape: number[];
}

/**
 * LoRA tensors in PEFT layout and names without PEFT's `base_model.model.` prefix:
 * `model.layers.{l}.self_attn.q_proj.lora_A.weight` [r, in] and `….lora_B.weight` [out, r], layer by layer.
 */
export function loraTensorShapes(c: LlamaConfig, lora: LoraOptions): TensorShape[] {
  const shapes = linearShapes(c);
  const out: TensorShape[] = [];
  for (let l = 0; l < c.numLayers; l++) {
    for (const target of LORA_TARGETS) {
      if (!lora.targetModules.includes(target)) continue;
      const key = moduleKey(target);
      const [o, i] = shapes[key] as [number, number];
      out.push({ name: `model.layers.${l}.${key}.lora_A.weight`, shape: [lora.r, i] });
      out.push({ name: `model.layers.${l}.${key}.lora_B.weight`, shape: [o, lora.r] });
    }
  }
  return out;
}

/** Every base weight of the model by HF name and shape (no lm_head when embeddings are tied). */
export function baseTensorShapes(c: LlamaConfig): TensorShape[] {
  const H = c.hiddenSize;
  const out: TensorShape[] = [{ name: 'model.embed_tokens.weight', shape: [c.vocabSize, H] }];
  for (let l = 0; l < c.numLayers; l++) {
    const p = `model.layers.${l}`;
    out.push({ name: `${p}.input_layernorm.weight`, shape: [H] });
    out.push({ name: `${p}.post_attention_layernorm.weight`, shape: [H] });
    for (const [key, shape] of Object.entries(linearShapes(c))) out.push({ name: `${p}.${key}.weight`, shape: [...shape] });
  }
  out.push({ name: 'model.norm.weight', shape: [H] });
  if (!c.tieWordEmbeddings) out.push({ name: 'lm_head.weight', shape: [c.vocabSize, H] });
  return out;
}

/** The tensors a graph of `spec` emits gradients for (`grad.<name>` outputs), in a stable order. */
export function trainableShapes(c: LlamaConfig, spec: Pick<GraphSpec, 'loss' | 'lora' | 'full'>): TensorShape[] {
  if (spec.loss === 'logprobs') return [];
  return [...(spec.full ? baseTensorShapes(c) : []), ...(spec.lora ? loraTensorShapes(c, spec.lora) : [])];
}

/** The projections of a decoder layer that read the same input, in graph order. */
export const SHARED_INPUT_GROUPS: readonly (readonly LoraTarget[])[] = [['q_proj', 'k_proj', 'v_proj'], ['o_proj'], ['gate_proj', 'up_proj'], ['down_proj']];

/**
 * The LoRA groups of a layer: adapted projections that read the same input and share one dropout mask, so
 * their A products run as one (see `linearGroup`); each projection alone with `dropoutPerModule` and dropout.
 * Projections without an adapter are left out.
 */
export function loraGroups(lora: LoraOptions): LoraTarget[][] {
  const groups = SHARED_INPUT_GROUPS.map((g) => g.filter((target) => lora.targetModules.includes(target))).filter((g) => g.length > 0);
  return lora.dropoutPerModule && lora.dropout > 0 ? groups.flat().map((target) => [target]) : groups;
}

/** Suffix of the second input that feeds a dropout mask to the backward (see `LoraDropout`). */
export const DROPOUT_BACKWARD_SUFFIX = '.backward';

/** The name of a LoRA group's dropout mask input in layer `l`: `dropout.model.layers.{l}.q_proj+k_proj+v_proj`. */
export function dropoutMaskName(l: number, group: readonly LoraTarget[]): string {
  return `dropout.model.layers.${l}.${group.join('+')}`;
}

/** Dropout mask inputs (bool [N, in]) of a graph: one per LoRA group and layer when dropout > 0 and training. */
export function dropoutMaskShapes(c: LlamaConfig, spec: Pick<GraphSpec, 'loss' | 'lora' | 'batchSize' | 'seqLen'>): TensorShape[] {
  if (!spec.lora || spec.lora.dropout === 0 || spec.loss === 'logprobs') return [];
  const n = spec.batchSize * spec.seqLen;
  const shapes = linearShapes(c);
  const out: TensorShape[] = [];
  for (let l = 0; l < c.numLayers; l++) {
    for (const group of loraGroups(spec.lora)) out.push({ name: dropoutMaskName(l, group), shape: [n, (shapes[moduleKey(group[0] as LoraTarget)] as [number, number])[1]] });
  }
  return out;
}
