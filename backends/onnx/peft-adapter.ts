import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import type { F32Tensor, LlamaConfig, LlamaWeights } from './llama-config.js';
import { linearShapes } from './llama-config.js';
import { readJson, writeJson } from './model-folder.js';
import { SeededRandom } from './random.js';
import { SafetensorsFile, f32Entry, writeSafetensors } from './safetensors.js';

/** PEFT `adapter_config.json` (LoRA); unknown keys are kept (PEFT writes many). */
export const PeftAdapterConfigSchema = z.looseObject({
  peft_type: z.string().optional(),
  r: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  target_modules: z.union([z.array(z.string()), z.string()]).describe('Module names (suffix match) or one regex (full match).'),
  use_rslora: z.boolean().optional(),
  use_dora: z.boolean().optional(),
  fan_in_fan_out: z.boolean().optional(),
  bias: z.string().optional(),
  base_model_name_or_path: z.string().nullable().optional(),
});
export type PeftAdapterConfig = z.infer<typeof PeftAdapterConfigSchema>;

export interface PeftAdapter {
  dir: string;
  config: PeftAdapterConfig;
  /** alpha/r (or alpha/√r with rsLoRA). */
  scale: number;
  /** Module name (`model.layers.0.self_attn.q_proj`) → A [r, in] and B [out, r]. */
  pairs: Map<string, { a: F32Tensor; b: F32Tensor }>;
}

const KEY = /^base_model\.model\.(.+)\.lora_([AB])(?:\.default)?\.weight$/;

function isTarget(module: string, targets: string[] | string): boolean {
  if (typeof targets === 'string') return new RegExp(`^(?:${targets})$`).test(module);
  return targets.some((t) => module === t || module.endsWith(`.${t}`));
}

/**
 * Reads a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors). Throws ConfigError
 * naming the folder when files are missing, and for LoRA variants that cannot be merged here (DoRA,
 * fan_in_fan_out, biases).
 */
export function readPeftAdapter(dir: string): PeftAdapter {
  const configPath = join(dir, 'adapter_config.json');
  const weightsPath = join(dir, 'adapter_model.safetensors');
  if (!existsSync(configPath) || !existsSync(weightsPath)) {
    throw new ConfigError(
      `PEFT adapter folder '${dir}' has no adapter_config.json and adapter_model.safetensors. ` +
        `Download the adapter, e.g. \`huggingface-cli download <adapter-id> --local-dir ${dir}\`, and point model_config.peft_model at that folder.`,
    );
  }
  const parsed = PeftAdapterConfigSchema.safeParse(readJson(configPath));
  if (!parsed.success) {
    throw new ConfigError(`${configPath}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const config = parsed.data;
  if (config.use_dora === true || config.fan_in_fan_out === true || (config.bias !== undefined && config.bias !== 'none')) {
    throw new ConfigError(`${configPath}: only plain LoRA can be merged (no DoRA, fan_in_fan_out or bias).`);
  }
  const file = SafetensorsFile.open(weightsPath);
  const halves = new Map<string, { a?: F32Tensor; b?: F32Tensor }>();
  for (const name of file.entries.keys()) {
    const m = KEY.exec(name);
    if (!m) continue;
    const [, module, which] = m as unknown as [string, string, 'A' | 'B'];
    if (!isTarget(module, config.target_modules)) continue;
    const entry = halves.get(module) ?? {};
    entry[which === 'A' ? 'a' : 'b'] = file.readF32(name);
    halves.set(module, entry);
  }
  const pairs = new Map<string, { a: F32Tensor; b: F32Tensor }>();
  for (const [module, { a, b }] of halves) {
    if (!a || !b) throw new ConfigError(`${weightsPath}: ${module} has only one of lora_A / lora_B.`);
    pairs.set(module, { a, b });
  }
  if (pairs.size === 0) throw new ConfigError(`${weightsPath}: no LoRA tensors for the target modules ${JSON.stringify(config.target_modules)}.`);
  const scale = config.use_rslora === true ? config.lora_alpha / Math.sqrt(config.r) : config.lora_alpha / config.r;
  return { dir, config, scale, pairs };
}

/**
 * Merges the adapter into `weights` in place: W ← W + scale·B·A for each adapted module. Throws ConfigError
 * when a module is not in the base model or the shapes do not fit (adapter made for another base).
 */
export function mergeLoraInto(weights: LlamaWeights, adapter: PeftAdapter): void {
  for (const [module, { a, b }] of adapter.pairs) {
    const w = weights.get(`${module}.weight`);
    const [r, inp] = a.shape as [number, number];
    const [out, rb] = b.shape as [number, number];
    if (!w || w.shape[0] !== out || w.shape[1] !== inp || rb !== r) {
      throw new ConfigError(
        `${adapter.dir}: adapter module ${module} (A [${a.shape.join(', ')}], B [${b.shape.join(', ')}]) does not fit the base model` +
          (w ? ` weight [${w.shape.join(', ')}]` : ' (no such weight)') + '; was the adapter trained on another base?',
      );
    }
    const rowB = new Float64Array(r);
    for (let o = 0; o < out; o++) {
      for (let k = 0; k < r; k++) rowB[k] = adapter.scale * (b.data[o * r + k] as number);
      for (let i = 0; i < inp; i++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += (rowB[k] as number) * (a.data[k * inp + i] as number);
        w.data[o * inp + i] = (w.data[o * inp + i] as number) + s;
      }
    }
  }
}

export interface RandomAdapterOptions {
  r?: number;
  alpha?: number;
  targetModules?: string[];
  seed?: number;
  /** Write B = 0 (PEFT's initial state: the adapter changes nothing). */
  zeroB?: boolean;
}

/** Writes a random PEFT LoRA adapter for a Llama config into `dir` (for tests). Returns the adapter as read back. */
export function writeRandomPeftAdapter(dir: string, config: LlamaConfig, options: RandomAdapterOptions = {}): PeftAdapter {
  const r = options.r ?? 4;
  const targets = options.targetModules ?? ['q_proj', 'v_proj', 'o_proj', 'down_proj'];
  const rng = new SeededRandom(options.seed ?? 7);
  const tensors = new Map<string, ReturnType<typeof f32Entry>>();
  for (let l = 0; l < config.numLayers; l++) {
    for (const [key, [out, inp]] of Object.entries(linearShapes(config))) {
      if (!targets.some((t) => key.endsWith(t))) continue;
      const p = `base_model.model.model.layers.${l}.${key}`;
      tensors.set(`${p}.lora_A.weight`, f32Entry({ shape: [r, inp], data: rng.normals(r * inp, 1 / Math.sqrt(inp)) }));
      const b = options.zeroB === true ? new Float32Array(out * r) : rng.normals(out * r, 0.5);
      tensors.set(`${p}.lora_B.weight`, f32Entry({ shape: [out, r], data: b }));
    }
  }
  mkdirSync(dir, { recursive: true });
  writeSafetensors(join(dir, 'adapter_model.safetensors'), tensors, { format: 'pt' });
  writeJson(join(dir, 'adapter_config.json'), {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    r,
    lora_alpha: options.alpha ?? 2 * r,
    lora_dropout: 0,
    target_modules: targets,
    bias: 'none',
    fan_in_fan_out: false,
    base_model_name_or_path: null,
  });
  return readPeftAdapter(dir);
}
