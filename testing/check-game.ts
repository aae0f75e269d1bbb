import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ClemError } from '../base/errors.js';
import type { GameModule } from '../core/game.js';
import { loadInstances, type LoadedGame } from '../core/game-loader.js';
import { resolveGames, type GameSource } from '../core/game-source.js';
import { readRecordedEpisode } from '../core/recorded-episode.js';
import { replayEpisode } from '../core/replay.js';
import { rescore } from '../core/rescore.js';
import { readResults } from '../core/results-store/index.js';
import { run } from '../core/runner.js';
import { checkGarbage } from './check-garbage.js';
import type { GameCheck } from './game-check.js';

export interface CheckGameOptions {
  /** Models that play (one per role, or one for every role); default `mock` (the game's own mock when it has one). */
  models?: string[];
  /** At most this many instances are played; default 6. */
  limit?: number;
  /** Run seed; default 0. */
  seed?: number;
  /** Where the episodes are written; default a temporary folder, removed afterwards. */
  resultsDir?: string;
  /** Folder that game names, paths and model_registry.json are found from; default the working folder. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Throw {@link GameCheckError} when a check fails (default); with false, return the report either way. */
  throwOnFailure?: boolean;
}

export type { GameCheck } from './game-check.js';

export interface GameCheckReport {
  game: string;
  passed: boolean;
  checks: GameCheck[];
  /** Episodes played by the `plays` check. */
  episodes: number;
}

/** A game failed the shared suite: the message lists every failed check. */
export class GameCheckError extends ClemError {
  readonly code = 'game_check';
  constructor(readonly report: GameCheckReport) {
    super(`game '${report.game}' fails the shared game suite:\n${report.checks.filter((c) => !c.passed).map((c) => `  ${c.name}: ${c.detail}`).join('\n')}`);
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The shared suite every game must pass, for a registered game's name, a game folder or code file, or a game
 * module defined in code: its instances validate against its schemas; its generator is reproducible from its seed
 * and writes valid instances; garbage replies from every player end an episode as aborted or lost, never as an
 * error or a win, with request counts that add up (testing/check-garbage.ts); it plays with `models` (default
 * `mock`) to an outcome in every episode; every
 * recorded episode scores (the scores written at play time are the ones `score` computes again); and every
 * episode replays deterministically (core/replay.ts: the same contexts from the recorded replies, and the same
 * outcome). Works under any test runner: it throws {@link GameCheckError} listing the failed checks.
 */
export async function checkGame(source: GameSource, opts: CheckGameOptions = {}): Promise<GameCheckReport> {
  const place = { ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.env ? { env: opts.env } : {}) };
  const [loaded] = await resolveGames([source], place);
  if (!loaded) throw new Error('checkGame: the source names no game');
  const resultsDir = opts.resultsDir ?? mkdtempSync(join(tmpdir(), 'clem-ts-check-'));
  const checks: GameCheck[] = [checkInstances(loaded), checkGenerator(loaded), await checkGarbage(loaded)];
  let episodes = 0;
  try {
    const played = await checkPlays(loaded, source, resultsDir, opts, place);
    checks.push(played.check);
    episodes = played.episodes;
    if (played.check.passed) checks.push(await checkScores(loaded, resultsDir, place), await checkReplays(loaded, resultsDir));
  } finally {
    if (opts.resultsDir === undefined) rmSync(resultsDir, { recursive: true, force: true });
  }
  const report: GameCheckReport = { game: loaded.spec.game_name, passed: checks.every((c) => c.passed), checks, episodes };
  if (!report.passed && opts.throwOnFailure !== false) throw new GameCheckError(report);
  return report;
}

function attempt(name: GameCheck['name'], body: () => string): GameCheck {
  try {
    return { name, passed: true, detail: body() };
  } catch (e) {
    return { name, passed: false, detail: message(e) };
  }
}

function checkInstances(loaded: LoadedGame): GameCheck {
  return attempt('instances', () => {
    const rows = loadInstances(loaded);
    if (rows.length === 0) throw new Error('the instances file holds no instance');
    return `${rows.length} instance(s) validate`;
  });
}

function checkGenerator(loaded: LoadedGame): GameCheck {
  return attempt('generator', () => {
    const generate = loaded.module.generateInstances;
    if (!generate) return 'no instance generator';
    const first = generate.call(loaded.module, 7);
    if (!isDeepStrictEqual(first, generate.call(loaded.module, 7))) throw new Error('generateInstances(7) gave two different results: use the seeded generator (createRng), not Math.random');
    const rows = loadInstances({ ...loaded, instances: first });
    return `generateInstances(7) is reproducible and writes ${rows.length} valid instance(s)`;
  });
}

async function checkPlays(loaded: LoadedGame, source: GameSource, resultsDir: string, opts: CheckGameOptions, place: object): Promise<{ check: GameCheck; episodes: number }> {
  const models = opts.models ?? ['mock'];
  try {
    const summary = await run({ games: [typeof source === 'string' ? source : loaded.module], models, resultsDir, limit: opts.limit ?? 6, seed: opts.seed ?? 0, ...place });
    const errored = summary.episodes.filter((e) => e.status === 'errored');
    if (errored.length > 0) throw new Error(`${errored.length} of ${summary.episodes.length} episode(s) errored, e.g. ${errored[0]?.dir}: ${errored[0]?.error ?? ''}`);
    if (summary.played === 0) throw new Error('no episode was played');
    const outcomes = ['success', 'lose', 'aborted'].map((s) => `${summary.episodes.filter((e) => e.status === s).length} ${s}`).join(', ');
    return { check: { name: 'plays', passed: true, detail: `${summary.played} episode(s) with ${models.join(', ')}: ${outcomes}` }, episodes: summary.played };
  } catch (e) {
    return { check: { name: 'plays', passed: false, detail: message(e) }, episodes: 0 };
  }
}

async function checkScores(loaded: LoadedGame, resultsDir: string, place: object): Promise<GameCheck> {
  try {
    const read = await readResults(resultsDir);
    const recorded = new Map(read.episodes.map((e) => [e.dir, readFileSync(e.file('scores.json'), 'utf8')]));
    const module: GameModule = { ...loaded.module, spec: { game_name: loaded.spec.game_name, roles: loaded.spec.roles } };
    const summary = await rescore({ resultsDir, modules: [module], ...place });
    if (summary.failed.length > 0) throw new Error(summary.failed.map((f) => `${f.file}: ${f.message}`).join('; '));
    if (summary.scored !== read.episodes.length) throw new Error(`scored ${summary.scored} of ${read.episodes.length} episode(s)`);
    const changed = [...recorded].filter(([dir, text]) => readFileSync(join(dir, 'scores.json'), 'utf8') !== text).map(([dir]) => dir);
    if (changed.length > 0) throw new Error(`scoring again changed scores.json of ${changed.length} episode(s), e.g. ${changed[0]}: score() must read only the recorded episode`);
    return { name: 'scores', passed: true, detail: `${summary.scored} recorded episode(s) score again to the same scores.json` };
  } catch (e) {
    return { name: 'scores', passed: false, detail: message(e) };
  }
}

async function checkReplays(loaded: LoadedGame, resultsDir: string): Promise<GameCheck> {
  try {
    const read = await readResults(resultsDir);
    for (const e of read.episodes) replayEpisode(await readRecordedEpisode(e), { game: loaded.module.game, templates: loaded.templates });
    return { name: 'replays', passed: true, detail: `${read.episodes.length} episode(s) replay to the same contexts and outcome` };
  } catch (e) {
    return { name: 'replays', passed: false, detail: message(e) };
  }
}
