import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startOpenAIServer } from '../test/fixtures/openai-server.js';
import { helloRequests, helloWorkspace, hostReply, spawnCli, walkFiles } from '../test/helpers/hello-workspace.js';

/**
 * Many workers on one results folder (issue 8): the same `clem-ts run` command started by 1 and by 3
 * processes at once on one fresh folder, with the built CLI. Prints per trial: workers, episodes completed,
 * duplicates (episodes played more than once: played counts summed over workers minus episodes, and for the
 * loopback model requests beyond one play each), error.json files, wall time and its ratio to one worker.
 *
 * - 20q with kb-greedy (programmatic, CPU-bound: extra workers pay only with idle cores);
 * - hello with a slow OpenAI-compatible loopback model (LATENCY_MS per reply, -c 2 per worker: I/O-bound,
 *   where parallel workers should pay about their number).
 */
const LATENCY_MS = 250;
const HELLO_EPISODES = 48;

interface Trial {
  workers: number;
  episodes: number;
  played: number;
  duplicates: number;
  errors: number;
  failedWorkers: number;
  wallMs: number;
  requests?: number;
}

async function trial(cwd: string, workers: number, args: readonly string[], requests?: () => number): Promise<Trial> {
  const start = performance.now();
  const results = await Promise.all(Array.from({ length: workers }, () => spawnCli(cwd, args).done));
  const wallMs = performance.now() - start;
  const all = walkFiles(join(cwd, 'results'));
  const completed = new Set(all.filter((f) => basename(f) === 'completed.json').map((f) => dirname(f)));
  const played = results.reduce((sum, r) => sum + Number(/played (\d+) episode/.exec(r.stdout)?.[1] ?? 0), 0);
  return {
    workers,
    episodes: completed.size,
    played,
    duplicates: played - completed.size,
    errors: all.filter((f) => basename(f) === 'error.json').length,
    failedWorkers: results.filter((r) => r.code !== 0).length,
    wallMs,
    ...(requests ? { requests: requests() } : {}),
  };
}

function print(name: string, trials: readonly Trial[], expectedRequests?: number): void {
  const one = trials[0]?.wallMs ?? NaN;
  console.log(name);
  for (const t of trials) {
    const extra = t.requests !== undefined && expectedRequests !== undefined ? `, requests ${t.requests} (one play each: ${expectedRequests})` : '';
    console.log(
      `  ${t.workers} worker(s): ${t.episodes} episodes completed, played ${t.played}, duplicates ${t.duplicates}, error.json ${t.errors}, ` +
        `workers failed ${t.failedWorkers}${extra}; wall ${(t.wallMs / 1000).toFixed(2)} s (${(one / t.wallMs).toFixed(2)}× one worker)`,
    );
  }
}

export async function runWorkers(): Promise<void> {
  const twentyQ: Trial[] = [];
  for (const workers of [1, 3]) {
    const cwd = mkdtempSync(join(tmpdir(), 'clem-bench-workers-'));
    try {
      twentyQ.push(await trial(cwd, workers, ['run', '-g', '20q', '-m', 'kb-greedy', '-r', 'results']));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }
  print('20q, kb-greedy (programmatic), -c 1 per worker:', twentyQ);

  const server = await startOpenAIServer({ latencyMs: LATENCY_MS, reply: ({ messages }) => hostReply(messages), recordRequests: false });
  const hello: Trial[] = [];
  try {
    for (const workers of [1, 3]) {
      const cwd = helloWorkspace(server.baseURL, HELLO_EPISODES);
      server.resetStats();
      try {
        hello.push(await trial(cwd, workers, ['run', '-g', 'hello', '-m', 'fake-host', '-c', '2', '-r', 'results'], () => server.requestCount()));
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  print(`hello, loopback OpenAI-compatible model answering in ${LATENCY_MS} ms, -c 2 per worker:`, hello, helloRequests(HELLO_EPISODES));
}
