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
import { measureClientCost } from './p1-client-cost.js';
import { machineLoad, mainThreadTimes, timesSince, type ThreadTimes } from './thread-cpu.js';

const EPISODES = 200;
const LATENCY_MS = 100;

interface Measured {
  concurrency: number;
  /** Share of the wall time the main thread's event loop was busy. */
  busy: number;
  /** The main thread's CPU time and its wait for a core during the run, where the platform tells (thread-cpu.ts). */
  thread: ThreadTimes | undefined;
  wallMs: number;
  calls: number;
  longest: number;
  /** The machine's load when the run ended (machineLoad). */
  load: string;
}

/** Questioner calls per episode (kb-oracle answers free). */
async function callsPerEpisode(resultsDir: string): Promise<number[]> {
  const counts: number[] = [];
  for (const episode of (await readResults(resultsDir)).episodes) {
    const file = episode.file('player_1.requests.json');
    if (existsSync(file)) counts.push((JSON.parse(readFileSync(file, 'utf8')) as { calls: unknown[] }).calls.length);
  }
  return counts;
}

/** One timed run at `-c concurrency` (episodes in flight: the runner's default, or as given). */
async function measure(cwd: string, model: string, concurrency: number, episodesInFlight?: number): Promise<Measured> {
  const resultsDir = mkdtempSync(join(tmpdir(), 'clem-p1-results-'));
  try {
    const elu = performance.eventLoopUtilization();
    const t0 = mainThreadTimes();
    const start = performance.now();
    const summary = await run({ games: ['20q'], models: [model], concurrency, ...(episodesInFlight ? { episodesInFlight } : {}), resultsDir, cwd, seed: 1 });
    const wallMs = performance.now() - start;
    const thread = timesSince(t0);
    const busy = performance.eventLoopUtilization(elu).utilization;
    if (summary.errored > 0 || summary.played !== EPISODES) throw new Error(`P1: expected ${EPISODES} played episodes, got ${summary.played} (${summary.errored} errored)`);
    const calls = await callsPerEpisode(resultsDir);
    return { concurrency, busy, thread, wallMs, calls: calls.reduce((a, b) => a + b, 0), longest: Math.max(...calls), load: machineLoad() };
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

/**
 * The main thread's CPU per call, the share of the ideal wall time that CPU fills (near 1, the main thread
 * alone caps the run at the ideal time, whatever the machine), how long it waited for a core in all (the
 * machine's load, not clem-ts), and the load itself: on a quiet machine wait is near 0 and wall follows CPU.
 */
const threadFigures = (m: Measured, idealMs: number): string =>
  m.thread === undefined
    ? `main-thread CPU n/a; ${m.load}`
    : `main-thread CPU ${((1000 * m.thread.cpuMs) / m.calls).toFixed(0)} µs per call (${(m.thread.cpuMs / idealMs).toFixed(2)} of the ideal time), ` +
      `waited ${(m.thread.waitMs / 1000).toFixed(2)} s for a core; ${m.load}`;

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
 * 100 ms (it plays kb-greedy's questions), against the kb-oracle. First the HTTP client's cost per call, side
 * by side for h11's direct client, the openai SDK on the global fetch and on clem-ts's transport. Then wall
 * time at -c 1, 32 and 64 against the ideal max(longest episode's calls, total calls / c) × latency, the
 * speed-up over sequential, the main thread's busy share and CPU per call, and -c 64 with only 64 episodes in
 * flight (what -c meant before it counted requests). Last, the framework's own overhead per turn: with
 * programmatic players only, and with the Questioner over HTTP to a server that answers at once.
 */
export async function runP1(): Promise<void> {
  console.log(`P1: ${EPISODES} 20q episodes, Questioner over HTTP with ${LATENCY_MS} ms per call, Answerer kb-oracle (${machineLoad()} at the start)`);
  await measureClientCost();
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
    await measure(cwd, 'loopback-questioner', 64); // warm-up, untimed: fills the simulated model's memo
    const rows: Measured[] = [];
    const levels = process.env.P1_CONCURRENCY ? process.env.P1_CONCURRENCY.split(',').map(Number) : [1, 32, 64];
    const idealMs = (m: Measured): number => Math.max(m.longest, m.calls / m.concurrency) * LATENCY_MS;
    for (const c of levels) {
      const m = await measure(cwd, 'loopback-questioner', c);
      rows.push(m);
      console.log(
        `  -c ${String(c).padStart(2)}: wall ${(m.wallMs / 1000).toFixed(2)} s, ideal ${(idealMs(m) / 1000).toFixed(2)} s, ` +
          `wall/ideal ${(m.wallMs / idealMs(m)).toFixed(3)} (target ≤ 1.2); ${m.calls} calls, longest episode ${m.longest}; ` +
          `event loop busy ${(100 * m.busy).toFixed(0)}%, ${threadFigures(m, idealMs(m))}`,
      );
    }
    const seq = rows.find((r) => r.concurrency === 1);
    if (seq)
      for (const r of rows.filter((x) => x !== seq))
        console.log(`  speed-up at -c ${r.concurrency} over sequential: ${(seq.wallMs / r.wallMs).toFixed(1)}×${r.concurrency === 64 ? ' (target ≥ 50)' : ''}`);
    const top = Math.max(...levels);
    if (top > 1) {
      const old = await measure(cwd, 'loopback-questioner', top, top);
      console.log(
        `  -c ${top} with ${top} episodes in flight (what -c meant before it counted requests): wall ${(old.wallMs / 1000).toFixed(2)} s, ` +
          `wall/ideal ${(old.wallMs / idealMs(old)).toFixed(3)}; ${threadFigures(old, idealMs(old))}`,
      );
    }

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
    // thread's time per turn, which now includes the HTTP client (the SDK's request building, the transport,
    // parsing) and the wrappers (retry, outage, limits).
    await measure(cwd, 'instant-questioner', 1); // warm-up: fills the server's memo
    const overHttp = await measure(cwd, 'instant-questioner', 1);
    const httpTurns = overHttp.calls * 2;
    const cpuPerTurn = overHttp.thread === undefined ? 'n/a' : `${(overHttp.thread.cpuMs / httpTurns).toFixed(3)} ms`;
    console.log(
      `  framework overhead with the HTTP path: ${((overHttp.busy * overHttp.wallMs) / httpTurns).toFixed(3)} ms of event-loop busy time ` +
        `and ${cpuPerTurn} of main-thread CPU per turn (target ≤ 1 ms; Questioner over HTTP to a server answering at once on its own ` +
        `thread, kb-oracle, scoring and result files included), ${httpTurns} turns in ${(overHttp.wallMs / 1000).toFixed(2)} s`,
    );
  } finally {
    await instantWorker.terminate();
    await worker.terminate();
    rmSync(cwd, { recursive: true, force: true });
  }
}
/** The bench's game copy, for profiling one run outside the bench (`node --cpu-prof`). */
export { writeBenchGame as writeBenchGameForProfile };
