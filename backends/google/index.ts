import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { createOpenAIBackend, type ProviderProfile } from '../openai/index.js';

/**
 * Google Gemini through its OpenAI-compatible endpoint (Google's own, documented alongside the native API).
 * Chosen over the official @google/genai SDK, which needs Node 22 (clem-ts supports Node 20) and brings
 * google-auth-library, protobufjs and ws; the endpoint takes the same key, and the openai backend's transport,
 * retries, limits and usage apply unchanged. Google's 429 carries its wait as RetryInfo in the body, which
 * the error mapping reads. Key: GOOGLE_API_KEY or GEMINI_API_KEY, else key.json "google".
 */
export const GOOGLE_PROFILE: ProviderProfile = {
  label: 'Google Gemini',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
  chatPath: 'chat/completions',
};

export function createGoogleBackend(spec: ModelSpec, deps: BackendDeps): Backend {
  return createOpenAIBackend(spec, deps, { keyName: 'google', profile: GOOGLE_PROFILE });
}
