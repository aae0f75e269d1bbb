import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeWriteIO, type WriteIO } from '../base/atomic.js';
import { KeyRing } from '../registry/keys.js';
import { rejectionMessage } from '../test/helpers/errors.js';
import { readResults, withoutVolatile } from '../test/helpers/result-files.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { TOY_CLEMGAME, writeToyGame } from '../test/helpers/toy-game.js';
import { episodeLockPath } from './results-store/layout.js';
import { run, type RunOptions, type RunSummary } from './runner.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

/** A working directory holding the toy game (and its game_registry.json); results go to <cwd>/results. */
function toyCwd(): string {
  const cwd = tmp.make();
  writeToyGame(cwd);
  return cwd;
}

function runIn(cwd: string, opts: Partial<RunOptions> = {}): Promise<RunSummary> {
  return run({ games: ['toy'], models: ['mock'], resultsDir: join(cwd, 'results'), cwd, env: {}, keys: KeyRing.empty(), ...opts });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function statuses(summary: RunSummary): string[] {
  return summary.episodes.map((e) => `${e.experiment}/${e.gameId}:${e.status}`);
}

const EPISODE_FILES = ['completed.json', 'instance.json', 'interactions.json', 'player_1.requests.json', 'player_2.requests.json', 'scores.json'];

function fileMap(results: Map<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(results);
}

describe('run: results layout', () => {
  it('writes every file of the layout, each parsing with its schema', async () => {
    const cwd = toyCwd();
    const summary = await runIn(cwd, { seed: 3, command: ['run', '-g', 'toy', '-m', 'mock'] });
    expect(statuses(summary)).toEqual(['basic/0:success', 'basic/1:lose', 'basic/2:aborted', 'second/7:success']);
    expect(summary).toMatchObject({ played: 4, skipped: 0, errored: 0 });

    const results = readResults(join(cwd, 'results'));
    const episodeFiles = (dir: string): string[] => EPISODE_FILES.map((f) => `mock/toy/${dir}/${f}`);
    expect([...results.keys()]).toEqual([
      'mock/run.json',
      'mock/toy/basic/experiment.json',
      ...episodeFiles('basic/instance_00000'),
      ...episodeFiles('basic/instance_00001'),
      // The aborted Listener answered once too: both players have a requests file.
      ...episodeFiles('basic/instance_00002'),
      'mock/toy/second/experiment.json',
      ...episodeFiles('second/instance_00007'),
    ]);
    const files = fileMap(results);
    expect(files['mock/toy/basic/instance_00001/completed.json']).toMatchObject({ outcome: 'lose' });
    expect(files['mock/toy/basic/instance_00001/instance.json']).toEqual({ game_id: 1, ending: 'lose' });
    expect(files['mock/toy/basic/instance_00002/scores.json']).toMatchObject({
      'episode scores': { 'Main Score': null, Aborted: 1, Lose: 0, Success: 0, 'Request Count': 2, 'Parsed Request Count': 1, 'Violated Request Count': 1 },
    });
    expect(files['mock/toy/second/instance_00007/interactions.json']).toMatchObject({
      meta: { game_name: 'toy', experiment_name: 'second', game_id: 7, results_folder: 'mock', round_count: 1, completed: true },
      players: { 'Player 1': { game_role: 'Speaker', model_name: 'mock' }, 'Player 2': { game_role: 'Listener', model_name: 'mock' } },
      'Request Count': [2],
      Success: 1,
    });
    expect(files['mock/toy/basic/instance_00000/player_2.requests.json']).toMatchObject({
      meta: { player_name: 'Player 2', game_role: 'Listener', model_name: 'mock', round_count: 1, completed: true },
      calls: [{ round: 0, call: { raw_response_obj: { text: 'SAY: win' } } }],
    });
    expect(files['mock/toy/basic/experiment.json']).toMatchObject({ name: 'basic', game_name: 'toy', player_models: ['mock', 'mock'] });
    expect(files['mock/run.json']).toMatchObject({
      current: { seed: 3, command: ['run', '-g', 'toy', '-m', 'mock'], player_models: ['mock', 'mock'], games: { toy: { game_path: join(cwd, 'toy'), num_instances: 4 } } },
      history: [],
    });
  });

  it('plays only the chosen experiment, and at most --limit instances per game', async () => {
    const cwd = toyCwd();
    expect(statuses(await runIn(cwd, { experiment: 'second' }))).toEqual(['second/7:success']);
    expect(statuses(await runIn(toyCwd(), { limit: 2 }))).toEqual(['basic/0:success', 'basic/1:lose']);
  });

  it('refuses an unknown game, model or experiment before writing anything', async () => {
    const cwd = toyCwd();
    // The packaged games are listed too, so only the first close match is fixed here (exact lists: registry tests).
    expect(await rejectionMessage(runIn(cwd, { games: ['tyo'] }))).toMatch(/^unknown game 'tyo'\. Did you mean: toy\b[^?]*\? See `clem-ts list games`\.$/);
    expect(await rejectionMessage(runIn(cwd, { models: ['mokc'] }))).toMatch(/^unknown model 'mokc'\. Did you mean: mock\b/);
    expect(await rejectionMessage(runIn(cwd, { experiment: 'secnod' }))).toBe(
      "unknown experiment 'secnod'. Did you mean: second? The selected games have: basic, second.",
    );
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });

  it('refuses a --role-model for a role no selected game has, naming the close ones', async () => {
    const cwd = toyCwd();
    const message = await rejectionMessage(runIn(cwd, { roleModels: { Listenr: 'mock' } }));
    expect(message).toMatch(/^unknown role 'Listenr'\. Did you mean: Listener\? The selected games have: /);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });

  it('refuses a model whose backend cannot be created before writing anything (not one error.json per episode)', async () => {
    const cwd = toyCwd();
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'hosted', backend: 'openai', model_id: 'x' }]));
    const message = await rejectionMessage(runIn(cwd, { models: ['hosted'] }));
    expect(message).toMatch(/^hosted: /);
    expect(message).toMatch(/OPENAI_API_KEY/);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });
});

describe('run: resume', () => {
  it('warns when resuming with other generation settings than the run in the folder', async () => {
    const cwd = toyCwd();
    const warnings: string[] = [];
    await runIn(cwd, { temperature: 0, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    await runIn(cwd, { temperature: 0.7, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      'mock: resuming a run made with temperature 0 and max tokens null, now 0.7 and null; completed episodes keep their old settings (use another -r to keep them apart)',
    ]);
  });

  it('-m mock and -m mock mock write to the same folder, so the second run skips everything', async () => {
    const cwd = toyCwd();
    await runIn(cwd, { models: ['mock'] });
    const again = await runIn(cwd, { models: ['mock', 'mock'] });
    expect(again).toMatchObject({ played: 0, skipped: 4, errored: 0 });
    expect(statuses(again).every((s) => s.endsWith(':skipped'))).toBe(true);
    expect([...readResults(join(cwd, 'results')).keys()].filter((k) => k.endsWith('run.json'))).toEqual(['mock/run.json']);
    const runJson = JSON.parse(readFileSync(join(cwd, 'results', 'mock', 'run.json'), 'utf8')) as { history: unknown[] };
    expect(runJson.history).toHaveLength(1);
  });

  it("names the folder from the assigned models: the game's default for a role equals typing it", async () => {
    const cwd = tmp.make();
    writeToyGame(cwd, { clemgame: { ...TOY_CLEMGAME, default_models: { Listener: 'listener-bot' } } });
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'listener-bot', backend: 'programmatic', model_config: { program: 'toy/mock' } }]));
    const first = await runIn(cwd, { models: ['mock'] });
    expect(first.episodes[0]?.dir).toBe(join(cwd, 'results', 'mock--listener-bot', 'toy', 'basic', 'instance_00000'));
    expect(await runIn(cwd, { models: ["{'model_name': 'mock'}", 'listener-bot'] })).toMatchObject({ played: 0, skipped: 4 });
    const interactions = fileMap(readResults(join(cwd, 'results')))['mock--listener-bot/toy/basic/instance_00000/interactions.json'];
    expect(interactions).toMatchObject({ players: { 'Player 2': { game_role: 'Listener', model_name: 'listener-bot' } } });
  });

  it("refuses to play into a folder another set of models played (a model named 'a--b' and the models a and b)", async () => {
    const cwd = tmp.make();
    writeToyGame(cwd, { clemgame: { ...TOY_CLEMGAME, default_models: { Listener: 'listener-bot' } } });
    const bot = { backend: 'programmatic', model_config: { program: 'toy/mock' } };
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'listener-bot', ...bot }, { model_name: 'mock--listener-bot', ...bot }]));
    await runIn(cwd, { models: ['mock'] });
    const runFile = join(cwd, 'results', 'mock--listener-bot', 'run.json');
    const before = readFileSync(runFile, 'utf8');
    expect(await rejectionMessage(runIn(cwd, { models: ['mock--listener-bot', 'mock--listener-bot'] }))).toBe(
      "mock--listener-bot holds a run of the models mock, listener-bot, not mock--listener-bot, mock--listener-bot: their names joined with '--' make the same folder name. Rename a model, or play into another results folder (-r).",
    );
    expect(readFileSync(runFile, 'utf8')).toBe(before);
  });

  it('plays again only the episodes without completed.json, leaving the others untouched', async () => {
    const cwd = toyCwd();
    await runIn(cwd);
    const dir = join(cwd, 'results', 'mock', 'toy', 'basic');
    rmSync(join(dir, 'instance_00001', 'completed.json'));
    writeFileSync(join(dir, 'instance_00001', '.scores.json.999.1.tmp'), '{"half');
    const untouched = statSync(join(dir, 'instance_00000', 'interactions.json')).mtimeMs;
    const again = await runIn(cwd);
    expect(statuses(again)).toEqual(['basic/0:skipped', 'basic/1:lose', 'basic/2:skipped', 'second/7:skipped']);
    expect(statSync(join(dir, 'instance_00000', 'interactions.json')).mtimeMs).toBe(untouched);
    readResults(join(cwd, 'results')); // no leftover temporary file, every file parses
  });

  it("a dead worker's stale claim is taken over on the first look, and counted as taken over", async () => {
    const cwd = toyCwd();
    const results = join(cwd, 'results');
    const lock = episodeLockPath(results, join(results, 'mock', 'toy', 'basic', 'instance_00001'));
    mkdirSync(lock, { recursive: true });
    const longAgo = (Date.now() - 60_000) / 1000;
    utimesSync(lock, longAgo, longAgo);
    const summary = await runIn(cwd, { lockStaleMs: 2000 });
    expect(statuses(summary)).toEqual(['basic/0:success', 'basic/1:lose', 'basic/2:aborted', 'second/7:success']);
    expect(summary.takenOver).toBe(1);
    expect(summary.episodes.filter((e) => e.takenOver === true).map((e) => e.gameId)).toEqual([1]);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('run: a results folder written by older versions or damaged', () => {
  it('a run.json that is not JSON, or has the wrong shape, is named with the field and left as it is', async () => {
    const cwd = toyCwd();
    const file = join(cwd, 'results', 'mock', 'run.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{garbage');
    const hint = `${file}: fix the file, or move it away to start a new run history (episodes are not affected)`;
    expect(await rejectionMessage(runIn(cwd))).toBe(`${file}: not valid JSON: expected property name or '}' at line 1, column 2\n${hint}`);
    writeFileSync(file, 'garbage\n{');
    expect(await rejectionMessage(runIn(cwd))).toBe(`${file}: not valid JSON: unexpected character "g"\n${hint}`);
    writeFileSync(file, '{"format_version": 1, "current": 5, "history": {}}');
    expect(await rejectionMessage(runIn(cwd))).toBe(`${file}: current: expected object, got number 5\n${file}: history: expected array, got an object\n${hint}`);
    expect(readFileSync(file, 'utf8')).toBe('{"format_version": 1, "current": 5, "history": {}}');
    expect(existsSync(join(cwd, 'results', 'mock', 'toy'))).toBe(false);
  });

  it("clemcore's run.json is kept in history", async () => {
    const cwd = toyCwd();
    const file = join(cwd, 'results', 'mock', 'run.json');
    mkdirSync(dirname(file), { recursive: true });
    const clemcore = { clem_version: '3.7.0', created: '2025-06-01T10:00:00', player_models: ['mock'], games: { toy: { game_path: '/x', num_instances: 4 } } };
    writeFileSync(file, JSON.stringify(clemcore));
    await runIn(cwd);
    expect(fileMap(readResults(join(cwd, 'results')))['mock/run.json']).toMatchObject({ history: [clemcore], current: { ended_at: expect.any(String) as string } });
  });

  it('an episode with both completed.json and error.json is repaired: completed wins, and the run says so', async () => {
    const cwd = toyCwd();
    await runIn(cwd);
    const dir = join(cwd, 'results', 'mock', 'toy', 'basic', 'instance_00001');
    writeFileSync(join(dir, 'error.json'), JSON.stringify({ timestamp: '2025-01-01T00:00:00.000Z', error: 'Error', message: 'ENOENT', code: null, stack: null }));
    const warnings: string[] = [];
    const again = await runIn(cwd, { onWarning: (m) => warnings.push(m) });
    expect(again).toMatchObject({ played: 0, skipped: 4, errored: 0, repaired: [dir] });
    expect(warnings).toEqual([`repaired 1 episode(s) that had both completed.json and error.json (left by an older clem-ts; completed wins, error.json removed): ${dir}`]);
    expect(existsSync(join(dir, 'error.json'))).toBe(false);
    readResults(join(cwd, 'results'));
  });
});

describe('run: a disk that fills up', () => {
  /** node:fs/promises, except that writing the temporary file of `name` in basic/instance_00001 fails with ENOSPC. */
  function fullDiskFor(name: string): WriteIO {
    return {
      ...nodeWriteIO,
      async open(path, flags) {
        const handle = await nodeWriteIO.open(path, flags);
        if (!path.includes('instance_00001') || !path.includes(`.${name}~`)) return handle;
        return {
          write: async () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })),
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
      },
    };
  }

  it('ends the run with one line naming the file and the cause; nothing half-written, no error.json; a rerun finishes', async () => {
    const cwd = toyCwd();
    const dir = join(cwd, 'results', 'mock', 'toy', 'basic', 'instance_00001');
    const message = await rejectionMessage(runIn(cwd, { io: fullDiskFor('scores.json') }));
    expect(message).toBe(`cannot write ${join(dir, 'scores.json')}: no space left on device (ENOSPC); the previous file (if any) is unchanged`);
    expect(readdirSync(dir).sort()).toEqual(['instance.json', 'interactions.json', 'player_1.requests.json', 'player_2.requests.json']);
    // The episodes before it are complete; the run recorded this worker's end; no temporary file anywhere.
    const files = fileMap(readResults(join(cwd, 'results')));
    expect(files['mock/toy/basic/instance_00000/completed.json']).toMatchObject({ outcome: 'success' });
    expect(files['mock/run.json']).toMatchObject({ current: { workers: [{ played: 1, errored: 0 }] } });
    const again = await runIn(cwd);
    expect(statuses(again)).toEqual(['basic/0:skipped', 'basic/1:lose', 'basic/2:aborted', 'second/7:success']);
  });
});

describe('run: failures', () => {
  /** Registers `flaky` in the cwd model registry, running `program`. */
  function flaky(cwd: string, program: string): void {
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'flaky', backend: 'programmatic', model_config: { program } }]));
  }

  it('an episode whose backend throws gets error.json; the others complete; --retry-errors replays it', async () => {
    const cwd = toyCwd();
    flaky(cwd, 'toy/boom');
    const first = await runIn(cwd, { models: ['flaky'] });
    expect(statuses(first)).toEqual(['basic/0:success', 'basic/1:errored', 'basic/2:aborted', 'second/7:success']);
    expect(first).toMatchObject({ played: 3, errored: 1 });
    expect(first.episodes[1]?.error).toBe('boom: the model server went away');

    const dir = join(cwd, 'results', 'flaky', 'toy', 'basic', 'instance_00001');
    const files = fileMap(readResults(join(cwd, 'results')));
    const error = files['flaky/toy/basic/instance_00001/error.json'] as { message: string; stack: string; error: string };
    expect(error).toMatchObject({ error: 'Error', message: 'boom: the model server went away', code: null });
    expect(error.stack).toMatch(/^Error: boom: the model server went away\n\s+at /);
    expect(Object.keys(files).filter((k) => k.startsWith('flaky/toy/basic/instance_00001/'))).toEqual([
      'flaky/toy/basic/instance_00001/error.json',
      'flaky/toy/basic/instance_00001/instance.json',
      'flaky/toy/basic/instance_00001/player_1.requests.json',
    ]);
    expect(files['flaky/toy/basic/instance_00001/player_1.requests.json']).toMatchObject({ meta: { round_count: null, completed: false } });

    // Without --retry-errors the errored episode stays as it is.
    const second = await runIn(cwd, { models: ['flaky'] });
    expect(statuses(second)).toEqual(['basic/0:skipped', 'basic/1:skipped-errored', 'basic/2:skipped', 'second/7:skipped']);
    expect(second).toMatchObject({ played: 0, skipped: 3, errored: 1, erroredBefore: 1 });
    expect(existsSync(join(dir, 'error.json'))).toBe(true);

    // The server is back: --retry-errors plays it, and error.json goes.
    flaky(cwd, 'toy/mock');
    const third = await runIn(cwd, { models: ['flaky'], retryErrors: true });
    expect(statuses(third)).toEqual(['basic/0:skipped', 'basic/1:lose', 'basic/2:skipped', 'second/7:skipped']);
    expect(existsSync(join(dir, 'error.json'))).toBe(false);
    expect(fileMap(readResults(join(cwd, 'results')))['flaky/toy/basic/instance_00001/completed.json']).toMatchObject({ outcome: 'lose' });
  });
});

describe('run: strict JSON', () => {
  it('an episode that would write NaN errors instead, with no interactions.json', async () => {
    const cwd = toyCwd();
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'nan', backend: 'programmatic', model_config: { replies: ['SAY: nan', 'SAY: win'] } }]));
    const summary = await runIn(cwd, { models: ['nan'], experiment: 'second' });
    expect(statuses(summary)).toEqual(['second/7:errored']);
    expect(summary.episodes[0]?.error).toBe('refusing to write the non-finite number NaN at bad as JSON; use null');
    const files = [...readResults(join(cwd, 'results')).keys()].filter((k) => k.includes('instance_00007'));
    expect(files).toEqual([
      'nan/toy/second/instance_00007/error.json',
      'nan/toy/second/instance_00007/instance.json',
      'nan/toy/second/instance_00007/player_1.requests.json',
      'nan/toy/second/instance_00007/player_2.requests.json',
    ]);
  });
});

describe('run: concurrency and seeds', () => {
  it('concurrency 4 writes the same files as concurrency 1 (timestamps and latency aside)', async () => {
    const cwd = tmp.make();
    const serial = await run({ games: ['hello', 'toy'], models: ['mock'], resultsDir: join(cwd, 'c1'), cwd: toyCwdAt(cwd), env: {}, keys: KeyRing.empty(), concurrency: 1, seed: 5 });
    const parallel = await run({ games: ['hello', 'toy'], models: ['mock'], resultsDir: join(cwd, 'c4'), cwd, env: {}, keys: KeyRing.empty(), concurrency: 4, seed: 5 });
    expect(serial.played).toBe(14);
    expect(parallel.episodes.map((e) => [e.game, e.experiment, e.gameId, e.status])).toEqual(serial.episodes.map((e) => [e.game, e.experiment, e.gameId, e.status]));
    const normalise = (dir: string): Record<string, unknown> => {
      const files = fileMap(readResults(dir));
      const runJson = files['mock/run.json'] as { current: Record<string, unknown> };
      delete runJson.current.concurrency;
      delete runJson.current.workers;
      return withoutVolatile(files) as Record<string, unknown>;
    };
    const a = normalise(join(cwd, 'c1'));
    expect(Object.keys(a)).toHaveLength(2 + 2 + 14 * 6 + 1);
    expect(normalise(join(cwd, 'c4'))).toEqual(a);
  });

  it('episode seeds derive from the run seed', async () => {
    const draws = async (seed: number): Promise<unknown[]> => {
      const cwd = toyCwd();
      await runIn(cwd, { seed });
      const files = fileMap(readResults(join(cwd, 'results')));
      return Object.entries(files).filter(([k]) => k.endsWith('interactions.json')).map(([, v]) => (v as { draw: unknown }).draw);
    };
    const one = await draws(1);
    expect(new Set(one).size).toBe(4);
    expect(await draws(1)).toEqual(one);
    expect(await draws(2)).not.toEqual(one);
  });
});

/** Writes the toy game into `cwd` and returns it (for tests that share one cwd between runs). */
function toyCwdAt(cwd: string): string {
  writeToyGame(cwd);
  return cwd;
}
