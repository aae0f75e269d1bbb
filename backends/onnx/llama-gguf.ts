import { type GgmlTypeName, type GgufTensor, type GgufValue, ggmlByteLength, gguf, writeGguf } from './gguf-file.js';
import { QUANT_BLOCK, encodeGgml } from './gguf-quant.js';
import { ggufTokenizerMetadata, type HfTokenizerFiles } from './gguf-tokenizer.js';
import { type F32Tensor, type LlamaConfig, type LlamaWeights, ropeInvFreq } from './llama-config.js';
import type { PeftAdapter } from './peft-adapter.js';

/** Weight types a Llama GGUF can be written in (norms stay F32, as llama.cpp's converter keeps them). */
export type LlamaGgufType = 'F32' | 'F16' | 'Q8_0' | 'Q4_0';

/** llama.cpp's `general.file_type` (enum llama_ftype) for each weight type. */
const FILE_TYPE: Record<LlamaGgufType, number> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 7 };

/** HF module names of a Llama layer → llama.cpp tensor names (llama-arch.cpp). */
const LAYER_TENSORS: ReadonlyArray<readonly [string, string]> = [
  ['input_layernorm', 'attn_norm'],
  ['self_attn.q_proj', 'attn_q'],
  ['self_attn.k_proj', 'attn_k'],
  ['self_attn.v_proj', 'attn_v'],
  ['self_attn.o_proj', 'attn_output'],
  ['post_attention_layernorm', 'ffn_norm'],
  ['mlp.gate_proj', 'ffn_gate'],
  ['mlp.up_proj', 'ffn_up'],
  ['mlp.down_proj', 'ffn_down'],
];

/** The GGUF name of an HF module (`model.layers.3.self_attn.q_proj` → `blk.3.attn_q`), or undefined. */
export function ggufModuleName(module: string): string | undefined {
  const m = /^model\.layers\.(\d+)\.(.+)$/.exec(module);
  if (!m) return undefined;
  const found = LAYER_TENSORS.find(([hf]) => hf === m[2]);
  return found ? `blk.${m[1]}.${found[1]}` : undefined;
}

/**
 * Reorders the output rows of a q or k projection from HF's rotate-half RoPE layout to llama.cpp's interleaved
 * one (as convert_hf_to_gguf.py's `permute`): within each head, row `two·D/2 + j` moves to `2j + two`.
 * `data` is row-major [heads·D, cols].
 */
export function permuteRopeRows(data: Float32Array, heads: number, cols: number): Float32Array {
  const rows = data.length / cols;
  const d = rows / heads;
  const out = new Float32Array(data.length);
  for (let h = 0; h < heads; h++) {
    for (let two = 0; two < 2; two++) {
      for (let j = 0; j < d / 2; j++) {
        const from = h * d + two * (d / 2) + j;
        const to = h * d + 2 * j + two;
        out.set(data.subarray(from * cols, (from + 1) * cols), to * cols);
      }
    }
  }
  return out;
}

/** llama.cpp's `rope_freqs` factors for Llama-3 rope scaling: the plain frequency divided by the scaled one. */
function ropeFactors(config: LlamaConfig): Float32Array {
  const plain = ropeInvFreq({ ...config, ropeScaling: null });
  const scaled = ropeInvFreq(config);
  return Float32Array.from(plain, (f, i) => f / (scaled[i] as number));
}

/** Norms (1-D) stay F32; a quantized type needs rows of whole 32-value blocks, else the tensor is written F16. */
function storedType(t: F32Tensor, type: GgmlTypeName): GgmlTypeName {
  if (t.shape.length === 1) return 'F32';
  const blockable = (t.shape.at(-1) ?? 0) % QUANT_BLOCK === 0;
  return (type === 'Q8_0' || type === 'Q4_0') && !blockable ? 'F16' : type;
}

function tensor(name: string, t: F32Tensor, type: GgmlTypeName, transform?: (d: Float32Array) => Float32Array): GgufTensor {
  const use = storedType(t, type);
  return { name, ne: [...t.shape].reverse(), type: use, byteLength: ggmlByteLength(use, t.data.length), data: () => encodeGgml(transform ? transform(t.data) : t.data, use) };
}

export interface LlamaGgufOptions {
  /** Weight type of the 2-D tensors (default F32). A quantized type falls back to F16 for a tensor whose rows are not a multiple of 32. */
  type?: LlamaGgufType;
  /** `general.name`. */
  name?: string;
  /** `tokenizer.ggml.pre` (llama.cpp's pre-tokenizer); default `gpt-2`, which is what the project's byte-level BPE uses. */
  preTokenizer?: string;
}

function weight(weights: LlamaWeights, name: string): F32Tensor {
  const t = weights.get(name);
  if (!t) throw new Error(`weight ${name} is missing`);
  return t;
}

/**
 * Writes a Llama model as a GGUF v3 file that llama.cpp loads (architecture `llama`): the hyper-parameters under
 * `llama.*`, the byte-level BPE tokenizer with its chat template (from the HF tokenizer files), and the weights in
 * llama.cpp's names and layout (q/k rows permuted for its RoPE; Llama-3 rope scaling as `rope_freqs.weight`).
 * Returns the file size in bytes. Same inputs → same bytes.
 */
export function writeLlamaGguf(path: string, config: LlamaConfig, weights: LlamaWeights, tokenizer: HfTokenizerFiles, options: LlamaGgufOptions = {}): number {
  const type = options.type ?? 'F32';
  const c = config;
  const metadata: [string, GgufValue][] = [
    ['general.architecture', gguf.string('llama')],
    ['general.type', gguf.string('model')],
    ['general.name', gguf.string(options.name ?? 'clem-ts llama')],
    ['general.file_type', gguf.u32(FILE_TYPE[type])],
    ['general.quantization_version', gguf.u32(2)],
    ['llama.vocab_size', gguf.u32(c.vocabSize)],
    ['llama.context_length', gguf.u32(c.maxPositionEmbeddings)],
    ['llama.embedding_length', gguf.u32(c.hiddenSize)],
    ['llama.block_count', gguf.u32(c.numLayers)],
    ['llama.feed_forward_length', gguf.u32(c.intermediateSize)],
    ['llama.attention.head_count', gguf.u32(c.numHeads)],
    ['llama.attention.head_count_kv', gguf.u32(c.numKvHeads)],
    ['llama.attention.key_length', gguf.u32(c.headDim)],
    ['llama.attention.value_length', gguf.u32(c.headDim)],
    ['llama.rope.dimension_count', gguf.u32(c.headDim)],
    ['llama.rope.freq_base', gguf.f32(c.ropeTheta)],
    ['llama.attention.layer_norm_rms_epsilon', gguf.f32(c.rmsNormEps)],
    ...ggufTokenizerMetadata(tokenizer, c.vocabSize, options.preTokenizer ?? 'gpt-2'),
  ];
  // A tokenizer config without a bos_token (ChatML models) still names one in config.json.
  if (!metadata.some(([k]) => k === 'tokenizer.ggml.bos_token_id') && typeof c.bosTokenId === 'number') metadata.push(['tokenizer.ggml.bos_token_id', gguf.u32(c.bosTokenId)]);
  const tensors: GgufTensor[] = [tensor('token_embd.weight', weight(weights, 'model.embed_tokens.weight'), type)];
  if (c.ropeScaling) {
    const factors = ropeFactors(c);
    tensors.push(tensor('rope_freqs.weight', { shape: [factors.length], data: factors }, 'F32'));
  }
  for (let l = 0; l < c.numLayers; l++) {
    for (const [hf, gg] of LAYER_TENSORS) {
      const t = weight(weights, `model.layers.${l}.${hf}.weight`);
      const heads = gg === 'attn_q' ? c.numHeads : gg === 'attn_k' ? c.numKvHeads : 0;
      const cols = t.shape[1] ?? 1;
      tensors.push(tensor(`blk.${l}.${gg}.weight`, t, type, heads > 0 ? (d) => permuteRopeRows(d, heads, cols) : undefined));
    }
  }
  tensors.push(tensor('output_norm.weight', weight(weights, 'model.norm.weight'), type));
  if (!c.tieWordEmbeddings) tensors.push(tensor('output.weight', weight(weights, 'lm_head.weight'), type));
  return writeGguf(path, metadata, tensors);
}

/**
 * Writes a PEFT LoRA adapter as a llama.cpp LoRA GGUF (`general.type` adapter, `adapter.type` lora,
 * `adapter.lora.alpha`), as convert_lora_to_gguf.py does: for each adapted module `blk.N.<name>.weight.lora_a`
 * (A as [r, in]: ne [in, r]) and `.lora_b` (B as [out, r]: ne [r, out], rows permuted like the base weight for
 * q and k). llama.cpp scales by alpha/r, so the adapter's own scale (alpha/r, or alpha/√r with rsLoRA) is kept
 * by writing alpha = scale·r. Throws for a module llama.cpp has no tensor for.
 */
export function writeLoraGguf(path: string, config: LlamaConfig, adapter: PeftAdapter, options: { type?: 'F32' | 'F16' } = {}): number {
  const type = options.type ?? 'F32';
  const r = adapter.config.r;
  const metadata: [string, GgufValue][] = [
    ['general.architecture', gguf.string('llama')],
    ['general.type', gguf.string('adapter')],
    ['general.name', gguf.string('clem-ts lora')],
    ['adapter.type', gguf.string('lora')],
    ['adapter.lora.alpha', gguf.f32(adapter.scale * r)],
  ];
  const tensors: GgufTensor[] = [];
  for (const [module, { a, b }] of [...adapter.pairs].sort(([x], [y]) => x.localeCompare(y, 'en'))) {
    const name = ggufModuleName(module);
    if (!name) throw new Error(`${adapter.dir}: LoRA module ${module} has no llama.cpp tensor`);
    const heads = name.endsWith('.attn_q') ? config.numHeads : name.endsWith('.attn_k') ? config.numKvHeads : 0;
    tensors.push(tensor(`${name}.weight.lora_a`, a, type));
    tensors.push(tensor(`${name}.weight.lora_b`, b, type, heads > 0 ? (d) => permuteRopeRows(d, heads, r) : undefined));
  }
  return writeGguf(path, metadata, tensors);
}
