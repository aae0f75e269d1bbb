import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Backend } from '../backends/backend.js';
import { createNodeTransport, joinUrl } from '../backends/http/index.js';
import { createModel } from '../backends/index.js';
import { KeyRing } from '../registry/keys.js';
import { ModelSpecSchema } from '../registry/model-spec.js';
import type { OpenAIServerOptions } from '../test/fixtures/openai-server.js';
import { machineLoad } from './thread-cpu.js';

/** Servers on their own thread: their base URLs, their summed busy time so far (ms), and a function that stops them. */
async function servers(options: OpenAIServerOptions[]): Promise<{ urls: string[]; busyMs: () => Promise<number>; stop: () => Promise<number> }> {
  const worker = new Worker(new URL('./p5-server-worker.js', import.meta.url), { workerData: { servers: options } });
  const [urls] = (await once(worker, 'message')) as [string[]];
  const busyMs = async (): Promise<number> => {
    worker.postMessage('busy');
    const [each] = (await once(worker, 'message')) as [number[]];
    return each.reduce((a, b) => a + b, 0);
  };
  return { urls, busyMs, stop: () => worker.terminate() };
}

async function model(baseUrl: string | string[], fields: Record<string, unknown> = {}): Promise<Backend> {
  const spec = ModelSpecSchema.parse({ model_name: 'bench', backend: 'openai_compatible', base_url: baseUrl, ...fields });
  return createModel(spec, { keys: KeyRing.empty({}), cacheDir: '/nonexistent' }, { retry: false, outage: false });
}

/** `callers` loops calling in turn until `total` calls are done; returns the wall time and every call's time (ms). */
async function drive(backend: Pick<Backend, 'generate'>, callers: number, total: number): Promise<{ wallMs: number; callMs: number[] }> {
  let next = 0;
  const callMs: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await backend.generate({ messages: [{ role: 'user', content: `Is it an animal? (${i})` }], args: { temperature: 0, maxTokens: 20 } });
        callMs.push(performance.now() - t0);
      }
    }),
  );
  return { wallMs: performance.now() - start, callMs };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const f = (ms: number, digits = 1): string => ms.toFixed(digits);

/**
 * P5: connection handling and replicas, each figure measured side by side in this run.
 * 1. llama.cpp's stall: a server that writes headers and body in two segments without TCP_NODELAY; median call
 *    time with keep-alive (the client delays its ACK: ~40 ms) and with `http.keep_alive: false`.
 * 2. A server that, like llama-server's defaults, serves 3 connections (an idle keep-alive connection holds its
 *    thread for 5 s) and computes one request at a time (10 ms each): the runner's -c 1/2/4/8 as callers of a
 *    model with max_concurrency 2, wall against the server's own time; and -c 8 without max_concurrency.
 * 3. Replicas: 4 servers with 100 ms latency against 1, 8 calls in flight per replica: calls per second.
 */
export async function runP5(): Promise<void> {
  console.log(`P5: ${machineLoad()} at the start (a loaded machine adds its wait for a core to every sequential call)`);
  // 1. keep-alive stall
  {
    const { urls, stop } = await servers([{ splitWrites: true, connections: { noDelay: false } }]);
    const url = urls[0] as string;
    const rows: [string, number][] = [];
    for (const [label, http] of [['keep-alive (default)', {}], ['http.keep_alive false', { keep_alive: false }]] as const) {
      const backend = await model(url, { model_config: { http } });
      await drive(backend, 1, 10);
      rows.push([label, median((await drive(backend, 1, 200)).callMs)]);
      await backend.close();
    }
    await stop();
    const [alive, closed] = rows as [[string, number], [string, number]];
    console.log('P5.1 server writing its reply in two segments without TCP_NODELAY (llama.cpp), 200 sequential calls:');
    console.log(`  median call: keep-alive ${f(alive[1], 2)} ms, keep_alive false ${f(closed[1], 2)} ms; stall/fix ${f(alive[1] / closed[1])}×`);
  }

  // 2. fixed number of connections
  {
    const SERVER_MS = 10;
    const CALLS = 200;
    const { urls, busyMs, stop } = await servers([{ latencyMs: SERVER_MS, slots: 1, connections: { maxConnections: 3 }, keepAliveTimeoutMs: 5_000 }]);
    const url = urls[0] as string;
    console.log(`P5.2 server with 3 connection threads and 1 compute slot (${SERVER_MS} ms a call; llama-server defaults), ${CALLS} calls, max_concurrency 2:`);
    const walls: number[] = [];
    for (const c of [1, 2, 4, 8]) {
      const backend = await model(url, { max_concurrency: 2 });
      const busyBefore = await busyMs();
      const { wallMs, callMs } = await drive(backend, c, CALLS);
      // The server computes one call at a time, so its own time is its busy time (timer overshoot included).
      const serverMs = (await busyMs()) - busyBefore;
      await backend.close();
      walls.push(wallMs);
      console.log(
        `  -c ${c}: wall ${f(wallMs / 1000, 2)} s, wall/-c 1 ${f(wallMs / (walls[0] as number), 3)} (target ≤ 1), overhead ${f((wallMs - serverMs) / CALLS, 2)} ms a call over the server's own ${f(serverMs / CALLS, 2)} ms (target ≤ 2), worst call ${f(Math.max(...callMs), 0)} ms`,
      );
    }
    // The same -c 1 with h11's bare client (node:http, no SDK, no wrappers), side by side: what of the overhead
    // is the client's, and what the machine's (thread wake-ups on a loaded machine).
    const transport = createNodeTransport({ maxSockets: 2 });
    const endpoint = joinUrl(url, 'chat/completions');
    const bare = {
      generate: async (request: { messages: unknown }) => {
        const res = await transport.request({ method: 'POST', url: endpoint, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'bench', messages: request.messages, temperature: 0, max_tokens: 20 }) });
        if (res.status !== 200) throw new Error(`P5: bare client got HTTP ${res.status}`);
        return JSON.parse(res.body) as never;
      },
    };
    const bareBefore = await busyMs();
    const bareRun = await drive(bare, 1, CALLS);
    const bareServerMs = (await busyMs()) - bareBefore;
    transport.close();
    console.log(
      `  -c 1 with the bare node:http client (no SDK, no wrappers): overhead ${f((bareRun.wallMs - bareServerMs) / CALLS, 2)} ms a call over the server's own ${f(bareServerMs / CALLS, 2)} ms; ${machineLoad()}`,
    );
    const unbounded = await model(url);
    const { wallMs, callMs } = await drive(unbounded, 8, 60);
    await unbounded.close();
    console.log(
      `  -c 8 without max_concurrency (pool grows to 8 sockets, idle ones pin server threads), 60 calls: wall ${f(wallMs / 1000, 2)} s against ${f((60 * SERVER_MS) / 1000, 2)} s of server time, worst call ${f(Math.max(...callMs), 0)} ms`,
    );
    await stop();
  }

  // 3. replicas
  {
    const PER_REPLICA = 8;
    const { urls, stop } = await servers(Array.from({ length: 4 }, () => ({ latencyMs: 100 })));
    const one = await model(urls[0] as string, { max_concurrency: PER_REPLICA });
    await drive(one, PER_REPLICA, 16);
    const a = await drive(one, PER_REPLICA, 160);
    await one.close();
    const four = await model(urls, { max_concurrency: PER_REPLICA });
    await drive(four, 4 * PER_REPLICA, 64);
    const b = await drive(four, 4 * PER_REPLICA, 640);
    await four.close();
    await stop();
    const rateA = 160 / (a.wallMs / 1000);
    const rateB = 640 / (b.wallMs / 1000);
    console.log(`P5.3 replicas with 100 ms latency, ${PER_REPLICA} calls in flight per replica:`);
    console.log(`  1 replica ${f(rateA)} calls/s, 4 replicas ${f(rateB)} calls/s: ${f(rateB / rateA, 2)}× (target ≥ 3.5); ${machineLoad()} at the end`);
  }
}
