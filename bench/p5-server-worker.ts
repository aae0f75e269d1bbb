import { parentPort, workerData } from 'node:worker_threads';
import { startOpenAIServer, type OpenAIServerOptions } from '../test/fixtures/openai-server.js';

/**
 * P5's servers, on their own thread as real servers would be in their own processes, so the client's cost is
 * what the main thread measures. Starts one OpenAI-compatible loopback server per options object, posts their
 * base URLs, then serves until terminated; any message asks for the servers' busy times.
 */
const { servers } = workerData as { servers: OpenAIServerOptions[] };
const started = await Promise.all(servers.map((options) => startOpenAIServer({ recordRequests: false, ...options })));
parentPort?.postMessage(started.map((s) => s.baseURL));
// Asked for 'busy', answers with each server's own time so far (ms spent computing replies).
parentPort?.on('message', () => parentPort?.postMessage(started.map((s) => s.busyMs())));
