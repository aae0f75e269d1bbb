import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createNodeTransport, joinUrl, type HttpTransport } from '../backends/http/index.js';
import { createOpenAIBackend, resolveOpenAIConfig } from '../backends/openai/index.js';
import { requestHeaders } from '../backends/openai/config.js';
import { buildChatBody } from '../backends/openai/request.js';
import { ChatCompletionSchema, normaliseChoices } from '../backends/openai/response.js';
import { createSdkClient } from '../backends/openai/sdk-client.js';
import { KeyRing } from '../registry/keys.js';
import { ModelSpecSchema } from '../registry/model-spec.js';
import { mainThreadTimes, timesSince } from './thread-cpu.js';

const CALLS = 3000;
const IN_FLIGHT = 64;
const ROUNDS = 3;

/** One way of making a chat call: returns the reply text. */
type Call = (i: number) => Promise<string>;

/** A 20q-sized conversation: the game's rules and a few turns, about 2 KB of JSON. */
function messages(i: number): { role: 'system' | 'user' | 'assistant'; content: string }[] {
  const turns = Array.from({ length: 3 }, (_, t) => [
    { role: 'assistant' as const, content: `QUESTION: Is it a kind of ${['animal', 'tool', 'food'][t]}?` },
    { role: 'user' as const, content: 'ANSWER: no' },
  ]).flat();
  return [{ role: 'user', content: `Let us play 20 questions. ${'Ask one yes/no question per turn, starting with QUESTION:. '.repeat(12)}(${i})` }, ...turns];
}

/**
 * h11's shim: a fetch over the transport that resolves with `new Response(text)` (a web stream around the
 * body, read back by text()), the usual way to give an SDK a custom transport.
 */
function streamingFetch(request: HttpTransport['request']): typeof fetch {
  return async (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const res = await request({ method: 'POST', url: String(input), headers, body: init?.body as string }, init?.signal ?? undefined);
    return new Response(res.body, { status: res.status, headers: res.headers });
  };
}

/**
 * The per-call main-thread cost of the HTTP client stacks, side by side on one loopback server (its own
 * thread, answering at once), 64 calls in flight: h11's direct client on node:http, the openai SDK on the
 * global fetch, on the transport with a streaming Response shim, and on the transport's buffered fetch (what
 * the backend ships), the whole openai backend (the SDK on the buffered fetch, plus body building and the
 * reply's schema), and the SDK on the buffered fetch in a worker thread, the main thread paying only the two
 * messages, the body's copy and the reply's parse (what spreading calls over threads would save). Each variant sends the same body and parses the reply; rounds are interleaved and the
 * median is printed. CPU: the main thread's own (schedstat); busy: the event loop's busy time, which also
 * counts time the thread waited for a core on a loaded machine.
 */
export async function measureClientCost(): Promise<void> {
  const worker = new Worker(new URL('./p5-server-worker.js', import.meta.url), { workerData: { servers: [{}] } });
  const [[baseURL]] = (await once(worker, 'message')) as [[string]];
  const spec = ModelSpecSchema.parse({ model_name: 'bench', backend: 'openai_compatible', model_id: 'q', base_url: baseURL, max_concurrency: IN_FLIGHT });
  const keys = KeyRing.empty({});
  const config = resolveOpenAIConfig(spec, keys);
  const transport = createNodeTransport({ maxSockets: IN_FLIGHT });
  const body = (i: number): Record<string, unknown> => buildChatBody(config, messages(i), { temperature: 0, maxTokens: 30 }).body;
  const textOf = (json: unknown): string => normaliseChoices(ChatCompletionSchema.parse(json))[0]?.text ?? '';
  const endpoint = joinUrl(baseURL, 'chat/completions');
  const headers = requestHeaders(config);
  const sdk = (fetchFn: typeof fetch): Call => {
    const client = createSdkClient(config, baseURL, { ...transport, fetch: fetchFn });
    return async (i) => textOf(JSON.parse(await (await client.post('/chat/completions', { body: body(i) }).asResponse()).text()));
  };
  const backend = createOpenAIBackend(spec, { keys, cacheDir: '/nonexistent' });
  const sdkWorker = await startSdkWorker(baseURL);
  const variants: [string, Call][] = [
    ["h11's direct client (node:http, no SDK)", async (i) => textOf(JSON.parse((await transport.request({ method: 'POST', url: endpoint, headers, body: JSON.stringify(body(i)) })).body))],
    ['openai SDK + global fetch', sdk(globalThis.fetch)],
    ['openai SDK + node:http, streaming Response', sdk(streamingFetch(transport.request))],
    ['openai SDK + node:http, buffered Response', sdk(transport.fetch)],
    ['openai backend as shipped (SDK + buffered)', async (i) => (await backend.generate({ messages: messages(i), args: { temperature: 0, maxTokens: 30 } })).choices[0]?.text ?? ''],
    ['SDK + buffered in a worker thread (main: messages)', async (i) => textOf(JSON.parse(await sdkWorker.call(body(i))))],
  ];
  const drive = async (call: Call, total: number): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < total) await call(next++);
      }),
    );
  };
  try {
    for (const [, call] of variants) await drive(call, 500); // warm-up: JIT, sockets
    const cpu = new Map<string, number[]>();
    const busy = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, call] of variants) {
        const elu = performance.eventLoopUtilization();
        const t0 = mainThreadTimes();
        await drive(call, CALLS);
        const used = timesSince(t0);
        if (used !== undefined) cpu.set(name, [...(cpu.get(name) ?? []), (used.cpuMs / CALLS) * 1000]);
        busy.set(name, [...(busy.get(name) ?? []), (performance.eventLoopUtilization(elu).active / CALLS) * 1000]);
      }
    }
    const median = (xs: number[] | undefined): number | undefined => (xs && xs.length > 0 ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined);
    const direct = median(cpu.get(variants[0]![0]));
    console.log(`  HTTP client cost per call, ${IN_FLIGHT} in flight, median of ${ROUNDS} × ${CALLS} calls (main-thread CPU; event-loop busy):`);
    for (const [name] of variants) {
      const c = median(cpu.get(name));
      const b = median(busy.get(name)) as number;
      const ratio = c !== undefined && direct !== undefined ? `, ${(c / direct).toFixed(1)}× direct` : '';
      console.log(`    ${name.padEnd(50)} CPU ${c === undefined ? 'n/a' : `${c.toFixed(0)} µs`}${ratio}; busy ${b.toFixed(0)} µs`);
    }
  } finally {
    transport.close();
    await backend.close();
    await sdkWorker.stop();
    await worker.terminate();
  }
}

/**
 * The SDK on the transport in a worker thread (p1-sdk-worker.ts): `call` posts a chat body and resolves with
 * the raw reply, so the main thread's cost is the messages, the body's copy and the reply's parse.
 */
async function startSdkWorker(baseURL: string): Promise<{ call: (body: Record<string, unknown>) => Promise<string>; stop: () => Promise<number> }> {
  const worker = new Worker(new URL('./p1-sdk-worker.js', import.meta.url), { workerData: { baseURL, inFlight: IN_FLIGHT } });
  await once(worker, 'message');
  const pending = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  worker.on('message', (reply: { id: number; text?: string; error?: string }) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.text !== undefined) waiter?.resolve(reply.text);
    else waiter?.reject(new Error(reply.error));
  });
  return {
    call: (body) =>
      new Promise<string>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, body });
      }),
    stop: () => worker.terminate(),
  };
}
