import type { Backend } from '../../backends/backend.js';
import { createOpenAIBackend } from '../../backends/openai/index.js';
import { KeyRing } from '../../registry/keys.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';

/**
 * The bare openai backend for a registry entry `fake-model` (backend openai_compatible) served at `baseURL`,
 * e.g. test/fixtures/openai-server.ts's; `fields` are added to the entry, `env` is where the keys come from.
 */
export function fakeModelBackend(baseURL: string, fields: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): Backend {
  const spec = ModelSpecSchema.parse({ model_name: 'fake-model', backend: 'openai_compatible', base_url: baseURL, ...fields });
  return createOpenAIBackend(spec, { keys: KeyRing.empty(env), cacheDir: '/nonexistent' });
}
