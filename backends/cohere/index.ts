import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { createOpenAIBackend, type ProviderProfile } from '../openai/index.js';

/**
 * Cohere through its Compatibility API (api.cohere.ai/compatibility/v1, Cohere's own OpenAI-compatible
 * endpoint). Chosen over the official cohere-ai SDK, which brings readable-stream and three form-data
 * packages for what is one JSON request here; the endpoint takes the same key and reports usage in the
 * OpenAI shape. Key: COHERE_API_KEY or CO_API_KEY, else key.json "cohere".
 */
export const COHERE_PROFILE: ProviderProfile = {
  label: 'Cohere',
  defaultBaseUrl: 'https://api.cohere.ai/compatibility/v1',
  chatPath: 'chat/completions',
};

export function createCohereBackend(spec: ModelSpec, deps: BackendDeps): Backend {
  return createOpenAIBackend(spec, deps, { keyName: 'cohere', profile: COHERE_PROFILE });
}
