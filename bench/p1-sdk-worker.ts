import { parentPort, workerData } from 'node:worker_threads';
import { createNodeTransport } from '../backends/http/index.js';
import { resolveOpenAIConfig } from '../backends/openai/index.js';
import { createSdkClient } from '../backends/openai/sdk-client.js';
import { KeyRing } from '../registry/keys.js';
import { ModelSpecSchema } from '../registry/model-spec.js';

/**
 * P1's "calls spread over a worker thread" variant: the openai SDK on the pooled transport, in a worker. The
 * main thread posts `{ id, body }` (the chat body as an object, as the backend builds it) and gets back
 * `{ id, text }` (the raw reply), so what the main thread pays per call is two messages and their copies.
 */
const { baseURL, inFlight } = workerData as { baseURL: string; inFlight: number };
const spec = ModelSpecSchema.parse({ model_name: 'bench', backend: 'openai_compatible', model_id: 'q', base_url: baseURL, max_concurrency: inFlight });
const config = resolveOpenAIConfig(spec, KeyRing.empty({}));
const client = createSdkClient(config, baseURL, createNodeTransport({ maxSockets: inFlight }));
parentPort?.on('message', (message: { id: number; body: Record<string, unknown> }) => {
  void client
    .post('/chat/completions', { body: message.body })
    .asResponse()
    .then((response) => response.text())
    .then(
      (text) => parentPort?.postMessage({ id: message.id, text }),
      (e: unknown) => parentPort?.postMessage({ id: message.id, error: String(e) }),
    );
});
parentPort?.postMessage('ready');
