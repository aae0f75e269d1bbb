import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '../backends/backend.js';
import { run } from '../core/runner.js';
import { findFiles } from '../core/rescore.js';
import { kbGreedy } from '../games/20q/programs.js';
import { startOpenAIServer } from '../test/fixtures/openai-server.js';

const EPISODES = 200;
const LATENCY_MS = 100;

interface Measured {
  concurrency: number;
  wallMs: number;
  calls: number;
  longest: number;
}

/** Questioner calls per episode, from the recorded request counts (the Answerer is the programmatic kb-oracle). */
async function callsPerEpisode(resultsDir: string): Promise<number[]> {
  const out: number[] = [];
  for await (const file of findFiles(resultsDir, 'player_1.requests.json')) {
    out.push((JSON.parse(readFileSync(file, 'utf8')) as { calls: unknown[] }).calls.length);
  }
  return out;
}

async function measure(cwd: string, model: string, concurrency: number): Promise<Measured> {
  const resultsDir = mkdtempSync(join(tmpdir(), 'clem-p1-results-'));
  try {
    const start = performance.now();
    const summary = await run({ games: ['20q'], models: [model], limit: EPISODES, concurrency, resultsDir, cwd, seed: 1 });
    const wallMs = performance.now() - start;
    if (summary.errored > 0 || summary.played !== EPISODES) throw new Error(`P1: expected ${EPISODES} played episodes, got ${summary.played} (${summary.errored} errored)`);
    const calls = await callsPerEpisode(resultsDir);
    return { concurrency, wallMs, calls: calls.reduce((a, b) => a + b, 0), longest: Math.max(...calls) };
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

/**
 * P1: 200 20q episodes whose Questioner is an OpenAI-compatible model on a loopback server answering after
 * 100 ms (it plays kb-greedy's questions), against the kb-oracle. Wall time at concurrency 1, 32 and 64 versus
 * the ideal max(longest episode's calls, total calls / concurrency) × latency, and the framework's own overhead
 * per turn from a run with programmatic players only.
 */
export async function runP1(): Promise<void> {
  const server = await startOpenAIServer({
    latencyMs: LATENCY_MS,
    recordRequests: false,
    reply: ({ messages }) => String(kbGreedy.respond({ messages: messages as ChatMessage[], args: {} })),
  });
  const cwd = mkdtempSync(join(tmpdir(), 'clem-p1-'));
  try {
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'loopback-questioner', backend: 'openai_compatible', model_id: 'q', base_url: server.baseURL }]));
    console.log(`P1: ${EPISODES} 20q episodes, Questioner over HTTP with ${LATENCY_MS} ms per call, Answerer kb-oracle`);
    const rows: Measured[] = [];
    for (const c of [1, 32, 64]) {
      const m = await measure(cwd, 'loopback-questioner', c);
      rows.push(m);
      const idealMs = Math.max(m.longest, m.calls / c) * LATENCY_MS;
      console.log(
        `  concurrency ${String(c).padStart(2)}: wall ${(m.wallMs / 1000).toFixed(2)} s, ideal ${(idealMs / 1000).toFixed(2)} s, ` +
          `wall/ideal ${(m.wallMs / idealMs).toFixed(3)} (target ≤ 1.2); ${m.calls} calls, longest episode ${m.longest}`,
      );
    }
    const seq = rows[0] as Measured;
    for (const r of rows.slice(1)) console.log(`  speed-up at concurrency ${r.concurrency} over sequential: ${(seq.wallMs / r.wallMs).toFixed(1)}×`);

    // Overhead: the same episodes with programmatic players only (no network, no latency), so nearly all of
    // the time is the framework's (turn loop, recording, scoring, atomic writes) plus the KB players' own work.
    const programmatic = await measure(cwd, 'kb-greedy', 1);
    const turns = programmatic.calls * 2; // every question is answered by the kb-oracle
    console.log(
      `  framework overhead: ${(programmatic.wallMs / turns).toFixed(3)} ms per turn (target ≤ 1 ms; upper bound: includes the ` +
        `kb-greedy search and fsync'd result files), ${turns} turns in ${(programmatic.wallMs / 1000).toFixed(2)} s`,
    );
  } finally {
    await server.close();
    rmSync(cwd, { recursive: true, force: true });
  }
}
