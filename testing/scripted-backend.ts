import type { Backend, GenerateRequest, GenerateResult } from '../backends/backend.js';

/** What a scripted backend answers: a fixed list (in order), or a function of the request. */
export type Script = readonly string[] | ((request: GenerateRequest, call: number) => string);

/**
 * A programmatic backend for turn-loop tests: answers from a script, records every request it received
 * (a copy of the messages), and reports zero latency so result files are byte-stable.
 */
export function scriptedBackend(name: string, script: Script): Backend & { requests: GenerateRequest[] } {
  const requests: GenerateRequest[] = [];
  return {
    name,
    isProgrammatic: true,
    capabilities: { score: false, logprobs: false, n: false, seed: true, batching: false },
    requests,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const call = requests.length;
      requests.push({ ...request, messages: request.messages.map((m) => ({ ...m })) });
      const text = typeof script === 'function' ? script(request, call) : script[call];
      if (text === undefined) throw new Error(`${name}: the script has no reply for call ${call}`);
      return {
        choices: [{ text, finish: 'stop' }],
        usage: { inputTokens: 0, outputTokens: 0 },
        latencyMs: 0,
        call: { request: { last: request.messages[request.messages.length - 1]?.content ?? null }, response: { text } },
        warnings: [],
        costUsd: null,
      };
    },
    async close() {},
  };
}

/** A clock that starts at `start` and moves 1 ms per reading: deterministic timestamps. */
export function fixedClock(start = Date.UTC(2025, 0, 1)): () => Date {
  let t = start;
  return () => new Date(t++);
}
