import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { createOpenAIBackend, type ProviderProfile } from '../openai/index.js';

/**
 * Mistral's API (api.mistral.ai/v1/chat/completions), which is itself in the OpenAI chat format. Chosen over
 * the official @mistralai/mistralai SDK, which would add a client (with zod-to-json-schema and ws) for the
 * same request. The one difference: Mistral spells the seed `random_seed` and refuses unknown fields (422).
 * Key: MISTRAL_API_KEY, else key.json "mistral".
 */
export const MISTRAL_PROFILE: ProviderProfile = {
  label: 'Mistral',
  defaultBaseUrl: 'https://api.mistral.ai/v1',
  chatPath: 'chat/completions',
  adaptBody(body) {
    if ('seed' in body) {
      body.random_seed = body.seed;
      delete body.seed;
    }
  },
};

export function createMistralBackend(spec: ModelSpec, deps: BackendDeps): Backend {
  return createOpenAIBackend(spec, deps, { keyName: 'mistral', profile: MISTRAL_PROFILE });
}
