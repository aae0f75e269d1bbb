import { ConfigError, UnknownNameError } from '../base/errors.js';
import { closestNames } from '../registry/closest.js';
import { baseUrlsOf, ModelSpecSchema, type ModelSpec } from '../registry/model-spec.js';
import { parseData } from '../registry/parse.js';
import type { Backend } from './backend.js';
import { parseContextSize } from './context.js';
import type { BackendDeps } from './deps.js';
import { importLocalRuntime } from './local-runtimes.js';
import { UNSUPPORTED_BACKENDS } from './listing.js';
import { createProgrammaticBackend, type FallbackBackend } from './programmatic/index.js';
import { combineReplicas, composeBackend, limitsFromSpec, withCache, type ComposeOptions } from './wrappers/index.js';

export type * from './backend.js';
export type { BackendDeps } from './deps.js';
export type { Program } from './programmatic/program.js';
export { withGenerationDefaults } from './generation-defaults.js';
export { LOCAL_RUNTIMES, LOCAL_RUNTIMES_INSTALL, importLocalRuntime } from './local-runtimes.js';
export { isLocalUrl, listBackends, UNSUPPORTED_BACKENDS, type BackendListing } from './listing.js';
export { ContextExceededError, ContextTracker, parseContextSize } from './context.js';

type Factory = (spec: ModelSpec, deps: BackendDeps) => Promise<Backend>;

const programmatic: Factory = async (spec, deps) => createProgrammaticBackend(spec, deps.programs ?? new Map(), deps.now, await fallbackFor(spec, deps));

/** The model a program hands turns to (`model_config.fallback_model`), shared with the run when it can be. */
async function fallbackFor(spec: ModelSpec, deps: BackendDeps): Promise<FallbackBackend | null> {
  const given = spec.model_config?.fallback_model;
  if (given === undefined) return null;
  if (typeof given === 'string')
    throw new ConfigError(`model '${spec.model_name}': model_config.fallback_model '${given}' is not resolved; resolve the entry with resolveModel (as -m and --role-model do)`);
  const fallback = parseData(ModelSpecSchema, `model '${spec.model_name}': model_config.fallback_model`, given);
  return deps.modelFor ? { backend: await deps.modelFor(fallback), owned: false } : { backend: await createModel(fallback, deps), owned: true };
}
const openai: Factory = async (spec, deps) => (await import('./openai/index.js')).createOpenAIBackend(spec, deps);
const transformers: Factory = async (spec, deps) =>
  (await importLocalRuntime(`model '${spec.model_name}' (backend ${spec.backend})`, () => import('./transformers/index.js'))).createTransformersBackend(spec, deps);
const llamacpp: Factory = async (spec, deps) => (await import('./llamacpp/index.js')).createLlamaCppBackend(spec, deps);
const anthropic: Factory = async (spec, deps) => (await import('./anthropic/index.js')).createAnthropicBackend(spec, deps);
const google: Factory = async (spec, deps) => (await import('./google/index.js')).createGoogleBackend(spec, deps);
const mistral: Factory = async (spec, deps) => (await import('./mistral/index.js')).createMistralBackend(spec, deps);
const cohere: Factory = async (spec, deps) => (await import('./cohere/index.js')).createCohereBackend(spec, deps);
const azure: Factory = async (spec, deps) => (await import('./azure/index.js')).createAzureBackend(spec, deps);

/**
 * Backend names accepted in model_registry.json. clemcore's names map onto ours: every OpenAI-compatible
 * server goes through the `openai` backend (google, mistral and cohere too, with their profiles);
 * `huggingface_local` runs locally through transformers.js, `llamacpp` through node-llama-cpp. clemcore's
 * slurk is in UNSUPPORTED_BACKENDS (listing.ts).
 */
export const BACKENDS: Readonly<Record<string, { factory: Factory; description: string; keyName?: string }>> = {
  openai: { factory: openai, description: 'OpenAI API', keyName: 'openai' },
  openai_compatible: { factory: openai, description: 'any OpenAI-compatible server: vLLM, Ollama, llama.cpp, TGI (base_url)', keyName: 'openai_compatible' },
  openrouter: { factory: openai, description: 'OpenRouter (OpenAI-compatible)', keyName: 'openrouter' },
  azure: { factory: azure, description: 'Azure OpenAI (a deployment URL or the /openai/v1 endpoint as base_url)', keyName: 'azure' },
  vllm: { factory: openai, description: 'vLLM server (OpenAI-compatible, base_url)', keyName: 'openai_compatible' },
  ollama: { factory: openai, description: 'Ollama /v1 (OpenAI-compatible, base_url)', keyName: 'openai_compatible' },
  anthropic: { factory: anthropic, description: "Anthropic's Messages API (official SDK)", keyName: 'anthropic' },
  google: { factory: google, description: "Google Gemini (Google's OpenAI-compatible endpoint)", keyName: 'google' },
  mistral: { factory: mistral, description: "Mistral's chat API", keyName: 'mistral' },
  cohere: { factory: cohere, description: "Cohere (Cohere's OpenAI-compatible Compatibility API)", keyName: 'cohere' },
  transformers: { factory: transformers, description: 'local models through @huggingface/transformers (ONNX, CPU)' },
  huggingface_local: { factory: transformers, description: "clemcore's local backend name, run through transformers.js", keyName: 'huggingface' },
  llamacpp: { factory: llamacpp, description: 'local GGUF models through llama.cpp (node-llama-cpp, an optional dependency)', keyName: 'huggingface' },
  programmatic: { factory: programmatic, description: 'programs: mock, human, oracles and baselines' },
  _player_programmed: { factory: programmatic, description: "clemcore's name for programmatic players" },
  _player_human: { factory: programmatic, description: "clemcore's name for the human player" },
};

/**
 * Creates the bare backend for a registry entry (no wrappers). An entry listing several base URLs gets one
 * backend per replica, combined (wrappers/replicas.ts).
 */
export async function createBackend(spec: ModelSpec, deps: BackendDeps): Promise<Backend> {
  const entry = BACKENDS[spec.backend];
  const unsupported = UNSUPPORTED_BACKENDS[spec.backend];
  if (unsupported) throw new ConfigError(`${spec.model_name}: backend '${spec.backend}' is not supported by clem-ts: ${unsupported}.`);
  if (!entry) throw new UnknownNameError('backend', spec.backend, closestNames(spec.backend, Object.keys(BACKENDS)), `Model '${spec.model_name}' names it.`);
  if (spec.model_config?.fallback_model !== undefined && entry.factory !== programmatic)
    throw new ConfigError(`model '${spec.model_name}' (backend ${spec.backend}) has a fallback model, but only a program (backend programmatic, e.g. kb-oracle) can hand turns to one`);
  const urls = baseUrlsOf(spec);
  if (urls.length <= 1) return entry.factory(spec, deps);
  return combineReplicas(await Promise.all(urls.map((url) => entry.factory({ ...spec, base_url: url }, deps))));
}

/**
 * Creates a backend with the run's wrappers applied once (the response cache when asked for, then retry,
 * outage waiting, the model's concurrency and rate limits), carrying the registry's context_size as
 * `contextTokens`.
 */
export async function createModel(spec: ModelSpec, deps: BackendDeps, options: ComposeOptions = {}): Promise<Backend> {
  const withWarnings = options.onWarning && !deps.onWarning ? { ...deps, onWarning: options.onWarning } : deps;
  const wrapped = composeBackend(await createBackend(spec, withWarnings), { ...limitsFromSpec(spec), ...options });
  const composed = options.cache ? withCache(spec, options.cache)(wrapped) : wrapped;
  const contextTokens = parseContextSize(spec.context_size);
  return contextTokens === undefined || composed.isProgrammatic ? composed : { ...composed, contextTokens };
}
