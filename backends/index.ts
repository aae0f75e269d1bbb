import { ConfigError, UnknownNameError } from '../base/errors.js';
import { closestNames } from '../registry/closest.js';
import { ModelSpecSchema, type ModelSpec } from '../registry/model-spec.js';
import { parseData } from '../registry/parse.js';
import type { Backend } from './backend.js';
import type { BackendDeps } from './deps.js';
import { importLocalRuntime } from './local-runtimes.js';
import { createProgrammaticBackend, type FallbackBackend } from './programmatic/index.js';
import { composeBackend, limitsFromSpec, type ComposeOptions } from './wrappers/index.js';

export type * from './backend.js';
export type { BackendDeps } from './deps.js';
export type { Program } from './programmatic/program.js';
export { withGenerationDefaults } from './generation-defaults.js';
export { LOCAL_RUNTIMES, LOCAL_RUNTIMES_INSTALL, importLocalRuntime } from './local-runtimes.js';

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

/**
 * Backend names accepted in model_registry.json. clemcore's names map onto ours: every OpenAI-compatible
 * provider goes through the `openai` package; `huggingface_local` runs locally through transformers.js.
 */
export const BACKENDS: Readonly<Record<string, { factory: Factory; description: string; keyName?: string }>> = {
  openai: { factory: openai, description: 'OpenAI API (openai package)', keyName: 'openai' },
  openai_compatible: { factory: openai, description: 'any OpenAI-compatible server: vLLM, Ollama, llama.cpp, TGI (base_url)', keyName: 'openai_compatible' },
  openrouter: { factory: openai, description: 'OpenRouter (OpenAI-compatible)', keyName: 'openrouter' },
  vllm: { factory: openai, description: 'vLLM server (OpenAI-compatible, base_url)', keyName: 'openai_compatible' },
  ollama: { factory: openai, description: 'Ollama /v1 (OpenAI-compatible, base_url)', keyName: 'openai_compatible' },
  transformers: { factory: transformers, description: 'local models through @huggingface/transformers (ONNX, CPU)' },
  huggingface_local: { factory: transformers, description: "clemcore's local backend name, run through transformers.js", keyName: 'huggingface' },
  programmatic: { factory: programmatic, description: 'programs: mock, human, oracles and baselines' },
  _player_programmed: { factory: programmatic, description: "clemcore's name for programmatic players" },
  _player_human: { factory: programmatic, description: "clemcore's name for the human player" },
};

/** Creates the bare backend for a registry entry (no wrappers). */
export async function createBackend(spec: ModelSpec, deps: BackendDeps): Promise<Backend> {
  const entry = BACKENDS[spec.backend];
  if (!entry) throw new UnknownNameError('backend', spec.backend, closestNames(spec.backend, Object.keys(BACKENDS)), `Model '${spec.model_name}' names it.`);
  if (spec.model_config?.fallback_model !== undefined && entry.factory !== programmatic)
    throw new ConfigError(`model '${spec.model_name}' (backend ${spec.backend}) has a fallback model, but only a program (backend programmatic, e.g. kb-oracle) can hand turns to one`);
  return entry.factory(spec, deps);
}

/** Creates a backend with the run's wrappers (retry, the model's concurrency and rate limits) applied once. */
export async function createModel(spec: ModelSpec, deps: BackendDeps, options: ComposeOptions = {}): Promise<Backend> {
  return composeBackend(await createBackend(spec, deps), { ...limitsFromSpec(spec), ...options });
}
