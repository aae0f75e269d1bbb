import { parentPort, workerData } from 'node:worker_threads';
import type { ChatMessage } from '../backends/backend.js';
import { kbGreedy } from '../games/20q/programs.js';
import { startOpenAIServer } from '../test/fixtures/openai-server.js';

/**
 * P1's model server, on its own thread as a real server would be in its own process: an OpenAI-compatible
 * loopback server answering after `latencyMs` with kb-greedy's question (memoised: the simulated model's
 * thinking is not what P1 measures). Posts its base URL, then serves until the worker is terminated.
 */
const { latencyMs } = workerData as { latencyMs: number };
const memo = new Map<string, string>();
const server = await startOpenAIServer({
  latencyMs,
  recordRequests: false,
  reply: ({ messages }) => {
    const key = JSON.stringify(messages);
    let text = memo.get(key);
    if (text === undefined) {
      text = String(kbGreedy.respond({ messages: messages as ChatMessage[], args: {} }));
      memo.set(key, text);
    }
    return text;
  },
});
parentPort?.postMessage(server.baseURL);
