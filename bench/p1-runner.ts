import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../registry/package-root.js';
import { run } from '../core/runner.js';
import { readResults } from '../core/results-store/index.js';
import { kbGreedy } from '../games/20q/programs.js';

const EPISODES = 200;
const LATENCY_MS = 100;

interface Measured {
  concurrency: number;
  /** Share of the wall time the main thread's event loop was busy. */
  busy: number;
  wallMs: number;
  calls: number;
  longest: number;
  /** Makespan in calls of list scheduling these episodes in run order (no overhead). */
  scheduled: number;
}

/** Questioner calls per episode in the order the runner scheduled them (by game_id; kb-oracle answers free). */
async function callsPerEpisode(resultsDir: string): Promise<number[]> {
  const rows: [string, number][] = [];
  for (const episode of (await readResults(resultsDir)).episodes) {
    const file = episode.file('player_1.requests.json');
    if (existsSync(file)) rows.push([file, (JSON.parse(readFileSync(file, 'utf8')) as { calls: unknown[] }).calls.length]);
  }
  return rows.sort((a, b) => a[0].localeCompare(b[0])).map(([, n]) => n);
}

/**
 * The makespan, in calls, of the best an episode-level scheduler can do without knowing episode lengths:
 * list scheduling in run order, each episode taking the first free slot, with zero overhead per call.
 */
function listScheduleCalls(calls: readonly number[], concurrency: number): number {
  const slots = new Array<number>(Math.min(concurrency, calls.length)).fill(0);
  for (const n of calls) {
    let best = 0;
    for (let i = 1; i < slots.length; i++) if ((slots[i] as number) < (slots[best] as number)) best = i;
    slots[best] = (slots[best] as number) + n;
  }
  return Math.max(...slots);
}

/**
 * One timed run. `episodes`: -c = concurrency (episodes in flight; each episode waits on one call at a time).
 * `calls`: every episode in flight and the model's max_concurrency = concurrency (calls in flight), so the
 * limiter interleaves episodes call by call instead of leaving slots idle at the end of a wave.
 */
async function measure(cwd: string, model: string, concurrency: number, mode: 'episodes' | 'calls' = 'episodes'): Promise<Measured> {
  const resultsDir = mkdtempSync(join(tmpdir(), 'clem-p1-results-'));
  try {
    const elu = performance.eventLoopUtilization();
    const start = performance.now();
    const summary =
      mode === 'episodes'
        ? await run({ games: ['20q'], models: [model], concurrency, resultsDir, cwd, seed: 1 })
        : await run({ games: ['20q'], models: [JSON.stringify({ model_name: model, max_concurrency: concurrency })], concurrency: EPISODES, resultsDir, cwd, seed: 1 });
    const wallMs = performance.now() - start;
    const busy = performance.eventLoopUtilization(elu).utilization;
    if (summary.errored > 0 || summary.played !== EPISODES) throw new Error(`P1: expected ${EPISODES} played episodes, got ${summary.played} (${summary.errored} errored)`);
    const calls = await callsPerEpisode(resultsDir);
    return { concurrency, busy, wallMs, calls: calls.reduce((a, b) => a + b, 0), longest: Math.max(...calls), scheduled: listScheduleCalls(calls, concurrency) };
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

/**
 * A copy of the 20q game whose one experiment holds 200 instances (the 158 words, then the first 42 again),
 * registered in the bench's working directory; its code is the compiled packaged game's.
 */
function writeBenchGame(cwd: string): void {
  const root = packageRoot();
  const game = join(cwd, 'twenty-q');
  mkdirSync(join(game, 'in'), { recursive: true });
  cpSync(join(root, 'games', '20q', 'clemgame.json'), join(game, 'clemgame.json'));
  cpSync(join(root, 'games', '20q', 'prompts'), join(game, 'prompts'), { recursive: true });
  writeFileSync(join(game, 'master.js'), `export { default } from ${JSON.stringify(join(root, 'dist', 'games', '20q', 'master.js'))};\n`);
  const file = JSON.parse(readFileSync(join(root, 'games', '20q', 'in', 'instances.json'), 'utf8')) as {
    experiments: { name: string; game_instances: Record<string, unknown>[] }[];
  };
  const all = file.experiments.find((e) => e.name === 'all_words');
  if (!all) throw new Error('P1: 20q has no all_words experiment');
  const words = all.game_instances;
  const instances = Array.from({ length: EPISODES }, (_, i) => ({ ...words[i % words.length], game_id: i }));
  writeFileSync(join(game, 'in', 'instances.json'), JSON.stringify({ experiments: [{ ...all, name: 'bench', game_instances: instances }] }));
  writeFileSync(join(cwd, 'game_registry.json'), JSON.stringify([{ game_path: './twenty-q' }]));
}

/**
 * P1: 200 20q episodes whose Questioner is an OpenAI-compatible model on a loopback server answering after
 * 100 ms (it plays kb-greedy's questions), against the kb-oracle. Wall time at concurrency 1, 32 and 64 versus
 * the ideal max(longest episode's calls, total calls / concurrency) × latency, and the framework's own overhead
 * per turn from a run with programmatic players only.
 */
export async function runP1(): Promise<void> {
  const worker = new Worker(new URL('./p1-server-worker.js', import.meta.url), { workerData: { latencyMs: LATENCY_MS } });
  const [baseURL] = (await once(worker, 'message')) as [string];
  const instantWorker = new Worker(new URL('./p1-server-worker.js', import.meta.url), { workerData: { latencyMs: 0 } });
  const [instantURL] = (await once(instantWorker, 'message')) as [string];
  const cwd = mkdtempSync(join(tmpdir(), 'clem-p1-'));
  try {
    writeBenchGame(cwd);
    writeFileSync(
      join(cwd, 'model_registry.json'),
      JSON.stringify([
        { model_name: 'loopback-questioner', backend: 'openai_compatible', model_id: 'q', base_url: baseURL },
        { model_name: 'instant-questioner', backend: 'openai_compatible', model_id: 'q', base_url: instantURL },
      ]),
    );
    console.log(`P1: ${EPISODES} 20q episodes, Questioner over HTTP with ${LATENCY_MS} ms per call, Answerer kb-oracle`);
    await measure(cwd, 'loopback-questioner', 64); // warm-up, untimed: fills the simulated model's memo
    const rows: Measured[] = [];
    const levels = process.env.P1_CONCURRENCY ? process.env.P1_CONCURRENCY.split(',').map(Number) : [1, 32, 64];
    for (const c of levels) {
      const m = await measure(cwd, 'loopback-questioner', c);
      rows.push(m);
      const idealMs = Math.max(m.longest, m.calls / c) * LATENCY_MS;
      console.log(
        `  -c ${String(c).padStart(2)}: wall ${(m.wallMs / 1000).toFixed(2)} s, ideal ${(idealMs / 1000).toFixed(2)} s, ` +
          `wall/ideal ${(m.wallMs / idealMs).toFixed(3)} (target ≤ 1.2); ${m.calls} calls, longest episode ${m.longest}; ` +
          `event loop busy ${(100 * m.busy).toFixed(0)}%; list-scheduling bound ${((m.scheduled * LATENCY_MS) / 1000).toFixed(2)} s, ` +
          `wall/bound ${(m.wallMs / (m.scheduled * LATENCY_MS)).toFixed(3)}`,
      );
      if (c > 1) {
        const k = await measure(cwd, 'loopback-questioner', c, 'calls');
        console.log(
          `  max_concurrency ${c}, all episodes in flight: wall ${(k.wallMs / 1000).toFixed(2)} s, wall/ideal ${(k.wallMs / idealMs).toFixed(3)}; ` +
            `event loop busy ${(100 * k.busy).toFixed(0)}%`,
        );
      }
    }
    const seq = rows.find((r) => r.concurrency === 1);
    if (seq) for (const r of rows.filter((x) => x !== seq)) console.log(`  speed-up at concurrency ${r.concurrency} over sequential: ${(seq.wallMs / r.wallMs).toFixed(1)}×`);

    // Overhead: the same episodes with programmatic players only (no network, no latency), so nearly all of
    // the time is the framework's (turn loop, recording, scoring, atomic writes) plus the KB players' own work.
    // The Questioner's own search is timed and taken out; the Answerer (kb-oracle), the game's scoring and the
    // fsync'd result files stay in, so the figure is an upper bound on the framework's share.
    const respond = kbGreedy.respond.bind(kbGreedy);
    let questionerMs = 0;
    kbGreedy.respond = (request, signal) => {
      const start = performance.now();
      const reply = respond(request, signal);
      questionerMs += performance.now() - start;
      return reply;
    };
    const programmatic = await measure(cwd, 'kb-greedy', 1);
    kbGreedy.respond = respond;
    const turns = programmatic.calls * 2; // every question is answered by the kb-oracle
    const overheadMs = programmatic.wallMs - questionerMs;
    console.log(
      `  framework overhead: ${(overheadMs / turns).toFixed(3)} ms per turn (target ≤ 1 ms; includes the kb-oracle, 20q's ` +
        `scoring and fsync'd result files), ${turns} turns in ${(programmatic.wallMs / 1000).toFixed(2)} s of which ` +
        `${(questionerMs / 1000).toFixed(2)} s were kb-greedy's own search`,
    );
    // The same with the Questioner over HTTP to a server that answers at once (on its own thread): the main
    // thread's busy time per turn, which now includes the HTTP client (request building, transport, parsing).
    await measure(cwd, 'instant-questioner', 1); // warm-up: fills the server's memo
    const overHttp = await measure(cwd, 'instant-questioner', 1);
    const httpTurns = overHttp.calls * 2;
    console.log(
      `  framework overhead with the HTTP path: ${((overHttp.busy * overHttp.wallMs) / httpTurns).toFixed(3)} ms of main-thread time per turn ` +
        `(target ≤ 1 ms; Questioner over HTTP to a server answering at once on its own thread, kb-oracle, scoring and result files included), ` +
        `${httpTurns} turns in ${(overHttp.wallMs / 1000).toFixed(2)} s`,
    );
  } finally {
    await instantWorker.terminate();
    await worker.terminate();
    rmSync(cwd, { recursive: true, force: true });
  }
}
