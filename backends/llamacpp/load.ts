import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp';
import { ConfigError } from '../../base/errors.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { BackendDeps } from '../deps.js';
import { downloadForBackend, isHubId } from '../hub/index.js';
import { assertFitsInMemory, availableMemoryBytes, formatGiB } from '../memory.js';
import { readPeftAdapter, writeLoraGguf, type LlamaConfig } from '../onnx/index.js';
import { selectAdapterFiles } from '../transformers/hub-files.js';
import { type Llama, type NodeLlamaCpp, importNodeLlamaCpp, llamaInstance } from './binding.js';
import { createGgufChat, type GgufChat, type GgufVocab } from './chat.js';
import type { LlamaCppModelConfig } from './config.js';
import { SequencePool } from './sequence-pool.js';
import { locateGguf } from './source.js';

/** A loaded GGUF model with its context of parallel sequences. */
export interface LoadedGguf {
  lib: NodeLlamaCpp;
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  pool: SequencePool<LlamaContextSequence>;
  chat: GgufChat;
  grammar: LlamaGrammar | undefined;
  /** The file loaded and the LoRA adapter files applied. */
  path: string;
  loras: string[];
  /** Tokens per sequence (prompt + reply). */
  contextTokens: number;
  threads: number;
}

const DEFAULT_SEQUENCES = 8;
const DEFAULT_CONTEXT = 4096;

/**
 * Threads for evaluation: the configured number, else one less than the CPU cores llama.cpp counts (at least 1).
 * llama.cpp's threads spin while they wait; on a busy machine a thread per core stalls everything (on the
 * project's shared 2-core machine 4×20 tokens of the tiny model took 114 s with the library default, 0.04 s with 1).
 */
export function defaultThreads(cpuMathCores: number): number {
  return Math.max(1, cpuMathCores - 1);
}

/** A PEFT adapter (folder or hub id) as a llama.cpp LoRA GGUF in the cache, converted once (keyed by its contents). */
async function peftAsGguf(spec: ModelSpec, cfg: LlamaCppModelConfig, model: LlamaModel, deps: BackendDeps): Promise<string> {
  const id = cfg.peft_model as string;
  const local = [join(deps.modelsDir ?? '.', id), id].find((p) => existsSync(join(p, 'adapter_config.json')));
  const dir = local ?? (isHubId(id) ? (await downloadForBackend(deps, id, cfg.peft_revision, selectAdapterFiles)).dir : undefined);
  if (dir === undefined) throw new ConfigError(`${spec.model_name}: PEFT adapter '${id}' not found: point model_config.peft_model at a folder with adapter_config.json and adapter_model.safetensors, or at a hub id.`);
  const md = model.fileInfo.metadata as unknown as { general?: { architecture?: string }; llama?: { attention?: { head_count?: number; head_count_kv?: number } } };
  const heads = md.llama?.attention?.head_count;
  if (md.general?.architecture !== 'llama' || heads === undefined) {
    throw new ConfigError(`${spec.model_name}: a PEFT adapter can be applied to llama-architecture GGUFs only (this one is ${md.general?.architecture ?? 'unknown'}); convert it with llama.cpp's convert_lora_to_gguf.py and list it in model_config.lora.`);
  }
  const hash = createHash('sha256').update(readFileSync(join(dir, 'adapter_config.json'))).update(readFileSync(join(dir, 'adapter_model.safetensors'))).digest('hex').slice(0, 20);
  const out = join(deps.cacheDir, 'gguf-lora', `${hash}.gguf`);
  if (!existsSync(out)) {
    mkdirSync(join(deps.cacheDir, 'gguf-lora'), { recursive: true });
    const kv = md.llama?.attention?.head_count_kv ?? heads;
    writeLoraGguf(out, { numHeads: heads, numKvHeads: kv } as LlamaConfig, readPeftAdapter(dir));
  }
  return out;
}

/**
 * Loads the GGUF model of a registry entry through node-llama-cpp: finds or downloads the file (locateGguf),
 * checks its memory estimate (node-llama-cpp's own, for the weights and the KV cache of every sequence) against
 * the available memory, loads it (GPU layers per `execute_on` / `gpu_layers_offloaded`), and creates one context
 * with `max_batch_size` parallel sequences of `n_ctx` tokens, the LoRA adapters applied, and `threads` threads.
 */
export async function loadGguf(spec: ModelSpec, cfg: LlamaCppModelConfig, deps: BackendDeps): Promise<LoadedGguf> {
  const id = spec.huggingface_id;
  if (id === undefined || id === '') throw new ConfigError(`${spec.model_name}: the llamacpp backend needs huggingface_id (a .gguf file, a folder, or a hub id with model_config.filename).`);
  const lib = await importNodeLlamaCpp(spec.model_name);
  const path = await locateGguf(spec, id, cfg.filename, cfg.revision, deps);
  const llama = await llamaInstance(lib, cfg.execute_on === 'cpu' ? false : 'auto');
  const onGpu = llama.gpu !== false && cfg.execute_on !== 'cpu';
  const gpuLayers = !onGpu ? 0 : (cfg.gpu_layers_offloaded ?? 'auto');
  const sequences = cfg.max_batch_size ?? DEFAULT_SEQUENCES;
  const info = await lib.readGgufFileInfo(path, { logWarnings: false });
  const insights = await lib.GgufInsights.from(info, llama);
  const contextTokens = Math.min(cfg.n_ctx ?? DEFAULT_CONTEXT, insights.trainContextSize ?? DEFAULT_CONTEXT);
  if (cfg.memory_check !== false && !onGpu) {
    const weights = await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 });
    const kv = await insights.estimateContextResourceRequirementsV2({ contextSize: contextTokens, modelGpuLayers: 0, sequences });
    const bytes = weights.cpuRam + kv.cpuRam;
    const parts = `weights ${formatGiB(weights.cpuRam)} + context of ${sequences} × ${contextTokens} tokens ${formatGiB(kv.cpuRam)}`;
    assertFitsInMemory(spec.model_name, { bytes, parts }, (deps.availableMemory ?? availableMemoryBytes)(), 'Use a smaller quantization, or lower model_config.max_batch_size or n_ctx.');
  }
  const model = await llama.loadModel({ modelPath: path, gpuLayers });
  try {
    const loraFiles: { filePath: string; scale: number }[] = [];
    for (const l of cfg.lora ?? []) loraFiles.push({ filePath: await locateGguf(spec, l.path, l.file, l.revision, deps, 'LoRA adapter'), scale: l.scale ?? 1 });
    if (cfg.peft_model !== undefined) loraFiles.push({ filePath: await peftAsGguf(spec, cfg, model, deps), scale: 1 });
    const threads = cfg.threads ?? defaultThreads(llama.cpuMathCores);
    const context = await model.createContext({
      sequences,
      contextSize: contextTokens,
      threads,
      ...(loraFiles.length > 0 ? { lora: { adapters: loraFiles } } : {}),
    });
    const meta = model.fileInfo.metadata as unknown as { tokenizer?: { chat_template?: string } };
    const vocab: GgufVocab = {
      tokenize: (text, special) => model.tokenize(text, special),
      detokenize: (ids, special) => model.detokenize(ids as Token[], special),
      isEogToken: (id) => model.isEogToken(id as Token),
      tokens: model.tokens,
    };
    const chat = createGgufChat(vocab, meta.tokenizer?.chat_template, cfg.custom_chat_template, `${spec.model_name} (${path})`);
    let grammar: LlamaGrammar | undefined;
    if (cfg.grammar !== undefined) grammar = await llama.createGrammar({ grammar: cfg.grammar });
    else if (cfg.json_schema !== undefined) grammar = await llama.createGrammarForJsonSchema(cfg.json_schema as Parameters<Llama['createGrammarForJsonSchema']>[0]);
    const pool = new SequencePool(Array.from({ length: sequences }, () => context.getSequence()));
    return { lib, llama, model, context, pool, chat, grammar, path, loras: loraFiles.map((f) => f.filePath), contextTokens: context.contextSize, threads };
  } catch (e) {
    await model.dispose();
    throw e instanceof ConfigError ? e : new ConfigError(`${spec.model_name}: could not set up ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
