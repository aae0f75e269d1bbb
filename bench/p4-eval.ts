import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultReadThreads } from '../core/results-store/index.js';
import { evaluate } from '../eval/index.js';
import { packageRoot } from '../registry/package-root.js';
import { writeReport } from '../report/index.js';
import { EPISODES_PER_RUN, writeRealisticTree } from './p4-tree.js';

/**
 * P4: `clem-ts eval` as a user runs it (a fresh process; default options: 1000-resample bootstrap intervals,
 * results.html and index.html) on results trees shaped like clemcore's real ones (bench/p4-tree.ts): clemcore's
 * 817-episode golden fixture layout, and the same run under 12 model names (9,804 episodes), ~15 KB scores.json
 * with turn scores and bare NaN, ~44 KB interactions.json. Each size: one warm-up (the OS file cache, as on a
 * second eval), then the best and the median of RUNS. Targets (issue 8): ≤ 350 ms at 817 episodes, ≤ 800 ms at
 * 9,804; a ratio ≤ 1 meets the target. Beside wall times it prints the processes' CPU time (its ratio to the target
 * too) and the load average, so that a figure taken on a busy machine can be told apart from a slow eval, and the
 * same work in-process (no process start) with its CPU time.
 */

const TARGETS_MS: Readonly<Record<number, number>> = { 817: 350, 9804: 800 };
/** clemcore's own `clem eval` on the same two trees, as measured for issue 8 (another machine; for scale only). */
const CLEMCORE_MS: Readonly<Record<number, number>> = { 817: 17_600, 9804: 1_045_000 };
const RUNS = Number(process.env.P4_RUNS ?? 7);

/**
 * CPU time (user + system, ms) of this process's finished children, from /proc/self/stat (Linux; 10 ms steps), or
 * undefined elsewhere. On a busy machine a child's CPU time says more than its wall time.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, cutime and cstime are fields 16 and 17 (proc(5)).
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

interface Run {
  ms: number;
  cpuMs?: number;
}

function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const cli = path.join(packageRoot(), 'dist', 'cli', 'main.js');
  return new Promise((resolve, reject) => {
    const cpu0 = childrenCpuMs();
    const start = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`eval exited ${code}: ${stderr}`));
      const ms = performance.now() - start;
      const cpu1 = childrenCpuMs();
      resolve({ ms, ...(cpu0 !== undefined && cpu1 !== undefined ? { cpuMs: cpu1 - cpu0 } : {}) });
    });
  });
}

/** `best X ms, median Y ms of N runs (CPU best Z ms)` */
function describeRuns(runs: readonly Run[]): string {
  const walls = runs.map((r) => r.ms);
  const cpus = runs.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs]));
  return `best ${Math.min(...walls).toFixed(0)} ms, median ${median(walls).toFixed(0)} ms of ${runs.length} runs${cpus.length > 0 ? ` (CPU: best ${Math.min(...cpus).toFixed(0)} ms, median ${median(cpus).toFixed(0)} ms)` : ''}`;
}

async function inProcess(dir: string): Promise<{ ms: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const summary = await evaluate({ resultsDir: dir, bootstrap: { resamples: 1000, seed: 0 } });
  await writeReport({ resultsDir: dir, summary, results: summary.results, transcripts: false });
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** Runs P4 and prints its figures. `P4_COPIES=1,12` picks the sizes (model copies of the 817-episode run). */
export async function runP4(): Promise<void> {
  const copies = (process.env.P4_COPIES ?? '1,12').split(',').map(Number);
  const root = await mkdtemp(path.join(os.tmpdir(), 'clem-p4-'));
  try {
    for (const n of copies) {
      const dir = path.join(root, `x${n}`);
      const genStart = performance.now();
      const episodes = await writeRealisticTree(dir, n);
      const genMs = performance.now() - genStart;
      await runCli(['eval', '-r', dir]); // warm-up: the OS file cache, as on a second eval
      const loadBefore = os.loadavg()[0] ?? 0;
      // On the large tree the reader's worker threads (on by default with 2+ cores) are timed with the other setting
      // too, run for run in turn with the default, so that a change of load favours neither.
      const other = episodes >= 5000 ? (defaultReadThreads() > 0 ? '0' : '1') : undefined;
      const runs: Run[] = [];
      const runsOther: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(await runCli(['eval', '-r', dir]));
        if (other !== undefined) runsOther.push(await runCli(['eval', '-r', dir], { CLEM_TS_READ_THREADS: other }));
      }
      const best = Math.min(...runs.map((r) => r.ms));
      const cpus = runs.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs]));
      const target = TARGETS_MS[episodes];
      const clemcore = CLEMCORE_MS[episodes];
      const inproc = await inProcess(dir);
      console.log(
        `P4 eval ${episodes} episodes (${n} × ${EPISODES_PER_RUN}): ${describeRuns(runs)}` +
          (target !== undefined ? `; target ≤ ${target} ms: ratio ${(best / target).toFixed(2)} (${best <= target ? 'met' : 'MISSED'})` : '') +
          (clemcore !== undefined ? `; ${(clemcore / best).toFixed(0)}× clemcore's measured ${(clemcore / 1000).toFixed(1)} s` : ''),
      );
      // On a loaded machine wall time measures the queue for a core. The CPU time of a run on one thread
      // (CLEM_TS_READ_THREADS=0) is about its wall time on an idle machine; with a worker it sums both threads, and
      // the wall time on an idle machine is lower.
      if (target !== undefined && cpus.length > 0) {
        const cpuBest = Math.min(...cpus);
        console.log(`P4   CPU time against the target: best ${cpuBest.toFixed(0)} ms, ratio ${(cpuBest / target).toFixed(2)}; load average ${loadBefore.toFixed(1)} before these runs, ${(os.loadavg()[0] ?? 0).toFixed(1)} after`);
      }
      console.log(`P4   in-process (no process start): ${inproc.ms.toFixed(0)} ms wall, ${inproc.cpuMs.toFixed(0)} ms CPU; tree written in ${genMs.toFixed(0)} ms`);
      if (other !== undefined) {
        const t = Math.min(...runsOther.map((r) => r.ms));
        console.log(`P4   default read threads ${defaultReadThreads()}; with CLEM_TS_READ_THREADS=${other}: ${describeRuns(runsOther)}; ${(t / best).toFixed(2)}× the default's best wall time`);
      }
      await rm(dir, { recursive: true, force: true });
    }
    console.log(`P4 machine: ${os.availableParallelism()} cores, load average ${os.loadavg()[0]?.toFixed(1)} (targets assume a quiet machine)`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href;
if (isMain) await runP4();
