import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type LlamaConfig, type LlamaWeights, linearShapes, parameterCount, toHfConfig } from './llama-config.js';
import { type LlamaGgufType, writeLlamaGguf } from './llama-gguf.js';
import { type OnnxFolderOptions, writeJson, writeOnnxModelFolder } from './model-folder.js';
import { SeededRandom } from './random.js';
import { f32Entry, writeSafetensors } from './safetensors.js';
import { buildByteBpeTokenizer } from './tokenizer-writer.js';

/**
 * Sizes of the models this writer makes by name. `bench100m` has ~100M parameters (tied embeddings); `llama1b` has
 * the shape of Llama-3.2-1B (1.24B parameters: vocabulary 128256, 16 layers of 2048, 32/8 heads, MLP 8192, tied),
 * for measuring memory and speed at that size with random weights.
 */
export const TINY_LLAMA_PRESETS = {
  tiny: { vocabSize: 384, hiddenSize: 64, numLayers: 2, numHeads: 4, numKvHeads: 2, intermediateSize: 128, tieWordEmbeddings: false },
  bench100m: { vocabSize: 32000, hiddenSize: 768, numLayers: 12, numHeads: 12, numKvHeads: 4, intermediateSize: 2048, tieWordEmbeddings: true },
  llama1b: { vocabSize: 128256, hiddenSize: 2048, numLayers: 16, numHeads: 32, numKvHeads: 8, intermediateSize: 8192, tieWordEmbeddings: true },
} as const;
export type TinyLlamaPreset = keyof typeof TINY_LLAMA_PRESETS;

export interface TinyLlamaOptions extends Pick<OnnxFolderOptions, 'externalData' | 'chunkBytes'> {
  preset?: TinyLlamaPreset;
  vocabSize?: number;
  hiddenSize?: number;
  numLayers?: number;
  numHeads?: number;
  numKvHeads?: number;
  intermediateSize?: number;
  tieWordEmbeddings?: boolean;
  /** RNG seed of the weights; the same options give byte-identical files. Default 0. */
  seed?: number;
  /** Also write `model.safetensors` (HF names and layout). Default true. */
  safetensors?: boolean;
  /** Also write the same weights as GGUF files for llama.cpp, one per type: `model-f32.gguf`, `model-q8_0.gguf`, … Default none. */
  gguf?: readonly LlamaGgufType[];
  /** Skip the ONNX export (a GGUF-only model, e.g. for llama.cpp benchmarks). Default false. */
  skipOnnx?: boolean;
}

export interface TinyLlamaModel {
  dir: string;
  config: LlamaConfig;
  parameterCount: number;
  /** Special token ids of the tokenizer. */
  tokenIds: { endOfText: number; imStart: number; imEnd: number };
  /** The GGUF files written, by type. */
  ggufFiles: Partial<Record<LlamaGgufType, string>>;
}

/** The file name of the tiny model's GGUF of `type` (`model-q8_0.gguf`). */
export function tinyGgufName(type: LlamaGgufType): string {
  return `model-${type.toLowerCase()}.gguf`;
}

/** Random weights for `config`, deterministic in `seed`, scaled so logits are peaked (stable greedy choices). */
export function randomLlamaWeights(config: LlamaConfig, seed: number): LlamaWeights {
  const rng = new SeededRandom(seed);
  const H = config.hiddenSize;
  const w: LlamaWeights = new Map();
  w.set('model.embed_tokens.weight', { shape: [config.vocabSize, H], data: rng.normals(config.vocabSize * H, 1) });
  for (let l = 0; l < config.numLayers; l++) {
    const p = `model.layers.${l}`;
    w.set(`${p}.input_layernorm.weight`, { shape: [H], data: rng.normals(H, 0.1, 1) });
    for (const [key, [out, inp]] of Object.entries(linearShapes(config))) {
      if (key === 'mlp.gate_proj') w.set(`${p}.post_attention_layernorm.weight`, { shape: [H], data: rng.normals(H, 0.1, 1) });
      w.set(`${p}.${key}.weight`, { shape: [out, inp], data: rng.normals(out * inp, 1 / Math.sqrt(inp)) });
    }
  }
  w.set('model.norm.weight', { shape: [H], data: rng.normals(H, 0.1, 1) });
  if (!config.tieWordEmbeddings) w.set('lm_head.weight', { shape: [config.vocabSize, H], data: rng.normals(config.vocabSize * H, 4 / Math.sqrt(H)) });
  return w;
}

/**
 * Writes a random Llama-architecture model into `dir` from TypeScript alone: `onnx/model.onnx` (KV cache,
 * transformers.js layout), `model.safetensors` (same weights, HF names), a byte-level BPE `tokenizer.json`,
 * `tokenizer_config.json` with a ChatML chat template, `config.json` and `generation_config.json`; with `gguf`, the
 * same weights and tokenizer as GGUF files for llama.cpp.
 * Explicit sizes override the preset (default `tiny`). Same options → same bytes.
 */
export function writeTinyLlama(dir: string, options: TinyLlamaOptions = {}): TinyLlamaModel {
  const p = { ...TINY_LLAMA_PRESETS[options.preset ?? 'tiny'] };
  const pick = <K extends keyof typeof p>(k: K): (typeof p)[K] => (options[k] ?? p[k]) as (typeof p)[K];
  const numHeads = pick('numHeads');
  const hiddenSize = pick('hiddenSize');
  if (hiddenSize % numHeads !== 0 || numHeads % pick('numKvHeads') !== 0) throw new Error('hiddenSize must divide by numHeads, and numHeads by numKvHeads');
  const tok = buildByteBpeTokenizer(pick('vocabSize'));
  const config: LlamaConfig = {
    vocabSize: pick('vocabSize'),
    hiddenSize,
    numLayers: pick('numLayers'),
    numHeads,
    numKvHeads: pick('numKvHeads'),
    headDim: hiddenSize / numHeads,
    intermediateSize: pick('intermediateSize'),
    rmsNormEps: 1e-5,
    ropeTheta: 10000,
    ropeScaling: null,
    tieWordEmbeddings: pick('tieWordEmbeddings'),
    maxPositionEmbeddings: 2048,
    bosTokenId: tok.ids.endOfText,
    eosTokenId: tok.ids.imEnd,
    padTokenId: tok.ids.endOfText,
  };
  const weights = randomLlamaWeights(config, options.seed ?? 0);
  mkdirSync(dir, { recursive: true });
  const folderOptions: OnnxFolderOptions = { externalData: options.externalData ?? false };
  if (options.chunkBytes !== undefined) folderOptions.chunkBytes = options.chunkBytes;
  if (options.skipOnnx !== true) writeOnnxModelFolder(dir, config, weights, folderOptions);
  else writeJson(join(dir, 'config.json'), toHfConfig(config));
  if (options.safetensors ?? true) {
    writeSafetensors(join(dir, 'model.safetensors'), new Map([...weights].map(([k, t]) => [k, f32Entry(t)])), { format: 'pt' });
  }
  writeJson(join(dir, 'tokenizer.json'), tok.tokenizerJson);
  writeJson(join(dir, 'tokenizer_config.json'), tok.tokenizerConfig);
  writeJson(join(dir, 'generation_config.json'), {
    bos_token_id: tok.ids.endOfText,
    eos_token_id: [tok.ids.imEnd, tok.ids.endOfText],
    pad_token_id: tok.ids.endOfText,
  });
  const ggufFiles: Partial<Record<LlamaGgufType, string>> = {};
  for (const type of options.gguf ?? []) {
    const path = join(dir, tinyGgufName(type));
    writeLlamaGguf(path, config, weights, { tokenizerJson: tok.tokenizerJson, tokenizerConfig: tok.tokenizerConfig }, { type, name: 'clem-ts tiny llama' });
    ggufFiles[type] = path;
  }
  return { dir, config, parameterCount: parameterCount(config), tokenIds: tok.ids, ggufFiles };
}
