import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { createOpenAIBackend, type ProviderProfile } from '../openai/index.js';

/**
 * Azure OpenAI, which speaks OpenAI's chat format: through the openai backend (the openai SDK on the pooled
 * transport) rather than the SDK's AzureOpenAI client, whose only differences are the ones below. The entry's
 * `base_url` (or key.json "azure".base_url) is either a deployment,
 * `https://<resource>.openai.azure.com/openai/deployments/<deployment>?api-version=2024-10-21`, or the v1
 * endpoint `https://<resource>.openai.azure.com/openai/v1` with the deployment as `model_id`; the query is kept
 * on every request. The key travels in Azure's `api-key` header (model_config.http.api_key_header can name
 * another) and is always required. Key: AZURE_OPENAI_API_KEY, else key.json "azure".
 */
export const AZURE_PROFILE: ProviderProfile = {
  label: 'Azure OpenAI',
  chatPath: 'chat/completions',
  apiKeyHeader: 'api-key',
  requiresKey: true,
};

export function createAzureBackend(spec: ModelSpec, deps: BackendDeps): Backend {
  return createOpenAIBackend(spec, deps, { keyName: 'azure', profile: AZURE_PROFILE });
}
