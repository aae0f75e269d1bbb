import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliIsBuilt } from './helpers/cli.js';
import { helloRequests, helloWorkspace, hostReply, spawnCli, walkFiles } from './helpers/hello-workspace.js';
import { startOpenAIServer, type OpenAIServer } from './fixtures/openai-server.js';

/**
 * Many processes, one results folder (issue 8): any number of `clem-ts run` processes started with the same
 * command on the same folder share the work; every episode is played exactly once and every process exits 0.
 */
const EPISODES = 24;
const ARGS = ['run', '-g', 'hello', '-m', 'fake-host', '-c', '3', '-r', 'results'];
/** A short stale time for claim locks, so a dead worker's episodes are taken over within seconds. */
const FAST_STALE = { CLEM_TS_LOCK_STALE_MS: '2000' };

let server: OpenAIServer;
const folders: string[] = [];

beforeAll(async () => {
  if (!cliIsBuilt()) throw new Error(`${CLI} is missing: run \`npm run build\``);
  server = await startOpenAIServer({ latencyMs: 20, reply: ({ messages }) => hostReply(messages) });
});
afterAll(() => server.close());
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function workspace(): string {
  const cwd = helloWorkspace(server.baseURL, EPISODES);
  folders.push(cwd);
  server.resetStats();
  return cwd;
}

/** From a worker's summary line: played here, done before it started, done by other workers meanwhile. */
function counts(stdout: string): { played: number; skipped: number; others: number } {
  const played = /played (\d+) episode/.exec(stdout);
  const skipped = /skipped (\d+) already done/.exec(stdout);
  const others = /(\d+) done by other workers/.exec(stdout);
  return { played: Number(played?.[1] ?? NaN), skipped: Number(skipped?.[1] ?? NaN), others: Number(others?.[1] ?? 0) };
}

/** Every episode folder holds exactly one outcome (completed.json), no error.json, no temporary file. */
function expectEveryEpisodeDoneOnce(cwd: string): void {
  const files = walkFiles(join(cwd, 'results'));
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  expect(files.filter((f) => f.endsWith('error.json'))).toEqual([]);
  const episodes = files.filter((f) => f.endsWith('instance.json')).map((f) => dirname(f));
  expect(episodes).toHaveLength(EPISODES);
  for (const dir of episodes) {
    expect(readdirSync(dir).sort(), dir).toEqual(['completed.json', 'instance.json', 'interactions.json', 'player_1.requests.json', 'player_2.requests.json', 'scores.json']);
  }
  for (const f of files.filter((x) => x.endsWith('.json'))) expect(() => JSON.parse(readFileSync(f, 'utf8')), f).not.toThrow();
  // Every lock was released, a dead worker's included (taken over, or removed once stale).
  expect(walkDirs(join(cwd, 'results', '.locks')).filter((d) => d.endsWith('.lock'))).toEqual([]);
}

function walkDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => [join(dir, e.name), ...walkDirs(join(dir, e.name))]);
}

describe.each([2, 3])('%i workers started with the same command on one folder', (workers) => {
  it('share the work: every episode played exactly once, every worker exits 0', async () => {
    const cwd = workspace();
    const results = await Promise.all(Array.from({ length: workers }, () => spawnCli(cwd, ARGS).done));
    for (const r of results) expect(r.code, r.stdout + r.stderr).toBe(0);
    // The server answered each episode's requests once: no episode was played twice.
    expect(server.requestCount()).toBe(helloRequests(EPISODES));
    const played = results.map((r) => counts(r.stdout));
    expect(played.reduce((a, b) => a + b.played, 0)).toBe(EPISODES);
    for (const p of played) expect(p.played + p.skipped + p.others).toBe(EPISODES);
    expectEveryEpisodeDoneOnce(cwd);
    const run = JSON.parse(readFileSync(join(cwd, 'results', 'fake-host', 'run.json'), 'utf8')) as { current: { workers: unknown[]; ended_at: unknown }; history: unknown[] };
    expect(run.current.workers.length + run.history.length).toBeGreaterThanOrEqual(1);
  });
});

describe('a worker killed with SIGKILL while another goes on', () => {
  it("the survivor takes over the dead worker's claimed episodes once their locks go stale", async () => {
    const cwd = workspace();
    const doomed = spawnCli(cwd, ARGS, FAST_STALE);
    await server.waitForRequests(4);
    const survivor = spawnCli(cwd, ARGS, FAST_STALE);
    await server.waitForRequests(10);
    doomed.child.kill('SIGKILL');
    expect((await doomed.done).signal).toBe('SIGKILL');
    const r = await survivor.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/took over [1-9]\d* episode\(s\) that a stopped worker had claimed/);
    expectEveryEpisodeDoneOnce(cwd);
  });

  it('Ctrl-C releases every claim at once: exit 130, one line, and a rerun finishes without waiting', async () => {
    const cwd = workspace();
    const stopped = spawnCli(cwd, ARGS);
    await server.waitForRequests(4);
    stopped.child.kill('SIGINT');
    const r = await stopped.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/(^|\n)clem-ts: interrupted by SIGINT: finished episodes are kept; run the same command again to resume\n$/);
    const rerun = await spawnCli(cwd, ARGS).done;
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).not.toMatch(/took over/);
    expectEveryEpisodeDoneOnce(cwd);
  });

  it('a rerun after every worker died takes over the stale claims and finishes', async () => {
    const cwd = workspace();
    const doomed = spawnCli(cwd, ARGS, FAST_STALE);
    await server.waitForRequests(6);
    doomed.child.kill('SIGKILL');
    await doomed.done;
    const r = await spawnCli(cwd, ARGS, FAST_STALE).done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expectEveryEpisodeDoneOnce(cwd);
  });
});
