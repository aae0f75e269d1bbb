import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Backend } from '../../backends/backend.js';
import { writeJsonAtomicAsync } from '../../base/atomic.js';
import type { RecordedEpisode } from '../../core/replay.js';
import type { PlayerState, Reward, RewardContext } from '../../core/rewards.js';
import type { JsonValue } from '../../registry/json.js';
import { REWARDS_FORMAT_VERSION, RewardsFileSchema, rewardsFileName, type RewardsFile, type RewardTurn } from '../../registry/rewards-file.js';
import { sampleReplies } from './sample.js';
import { playerStates } from './states.js';

/** One recorded episode to annotate, and the folder its rewards file goes to. */
export interface EpisodeToAnnotate {
  /** Reads the episode when its turn comes (an episode already done is never read). */
  load: () => Promise<RecordedEpisode>;
  /** The episode folder (absolute); the rewards file is written here. */
  dir: string;
  /** The folder relative to the results root, for progress and messages. */
  rel: string;
  /** What to group statistics by (learn rewards: the `<models>` folder); default: one group. */
  group?: string;
}

/** Statistics of one group of episodes over every rewards file (scored now or earlier). */
export interface GroupStats {
  episodes: number;
  turns: number;
  scored: number;
  mean: number | null;
}

/** Replies sampled from the policy at each state and scored with the recorded one (needed by comparative rewards). */
export interface AlternativesOptions {
  policy: Backend;
  k: number;
  temperature?: number;
  maxTokens?: number;
}

export interface AnnotateOptions {
  episodes: readonly EpisodeToAnnotate[];
  reward: Reward;
  /** The reward's options as resolved (defaults included), recorded in the file and compared on resume. */
  options: Record<string, JsonValue>;
  /** Model name per purpose, recorded in the file and compared on resume. */
  models: Record<string, string>;
  contextFor: (state: PlayerState) => RewardContext;
  /** Only the states of these roles; default: every player's. */
  roles?: readonly string[];
  seed: number;
  alternatives?: AlternativesOptions;
  /** States scored at once (default 4); each model's own limits apply too. */
  concurrency?: number;
  clock?: () => Date;
  /** Monotonic milliseconds, for elapsed times (default performance.now). */
  now?: () => number;
  /** Called as each episode is done: `done` of `total` episodes so far (skipped ones included). */
  onEpisode?: (event: EpisodeEvent) => void;
  signal?: AbortSignal;
}

/** One episode done by annotateRewards. */
export interface EpisodeEvent {
  rel: string;
  status: 'scored' | 'skipped';
  turns: number;
  done: number;
  total: number;
}

export interface AnnotateSummary {
  episodes: number;
  skipped: number;
  /** Turns scored in this run (skipped episodes not counted). */
  turns: number;
  /** Of those, with a numeric score. */
  scored: number;
  mean: number | null;
  /** Wall time of the run, and the mean wall time per scored turn (model calls included, turns overlapping). */
  wallMs: number;
  msPerTurn: number | null;
  files: string[];
  /** Per group (see EpisodeToAnnotate.group), over every episode's file: the ones scored now and the ones skipped. */
  groups: Record<string, GroupStats>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The existing rewards file when it was made with the same reward, options, models and seed (then the episode is skipped). */
async function upToDate(file: string, o: AnnotateOptions): Promise<RewardsFile | null> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null; // no file yet, or a torn one from an older tool: score the episode again
  }
  const parsed = RewardsFileSchema.safeParse(data);
  const ok = parsed.success && parsed.data.reward === o.reward.name && same(parsed.data.options, o.options) && same(parsed.data.models, o.models) && parsed.data.seed === o.seed;
  return ok ? parsed.data : null;
}

function groupStats(perEpisode: readonly { group: string; turns: readonly RewardTurn[] }[]): Record<string, GroupStats> {
  const groups: Record<string, GroupStats> = {};
  for (const group of [...new Set(perEpisode.map((e) => e.group))].sort()) {
    const mine = perEpisode.filter((e) => e.group === group);
    const s = summarise(mine.flatMap((e) => e.turns));
    groups[group] = { episodes: mine.length, turns: s.turns, scored: s.scored, mean: s.mean };
  }
  return groups;
}

async function scoreState(state: PlayerState, o: AnnotateOptions, now: () => number): Promise<RewardTurn> {
  const start = now();
  const ctx = o.contextFor(state);
  const reply = state.recordedReply as string;
  const a = o.alternatives;
  const args = a ? { temperature: a.temperature ?? 1, ...(a.maxTokens !== undefined ? { maxTokens: a.maxTokens } : {}) } : {};
  const alternatives = a ? await sampleReplies(a.policy, state, a.k, args, ctx.rng.int(2 ** 31), ctx.signal) : [];
  const result = await o.reward.score(state, [reply, ...alternatives], ctx);
  return {
    turn: state.turn,
    round: state.round,
    player: state.player,
    role: state.role,
    player_turn: state.playerTurn,
    reply,
    score: result.scores[0] ?? null,
    details: result.details[0] ?? null,
    ...(o.alternatives ? { alternatives: alternatives.map((alt, i) => ({ reply: alt, score: result.scores[i + 1] ?? null, details: result.details[i + 1] ?? null })) } : {}),
    elapsed_ms: now() - start,
  };
}

function summarise(turns: readonly RewardTurn[]): RewardsFile['summary'] {
  const s = turns.map((t) => t.score).filter((x): x is number => x !== null);
  return {
    turns: turns.length,
    scored: s.length,
    mean: s.length === 0 ? null : s.reduce((a, b) => a + b, 0) / s.length,
    min: s.length === 0 ? null : Math.min(...s),
    max: s.length === 0 ? null : Math.max(...s),
    elapsed_ms: turns.reduce((a, t) => a + t.elapsed_ms, 0),
  };
}

/** One episode: skipped when its file is up to date, else every state scored (through `limit`) and the file written. */
async function annotateEpisode(
  e: EpisodeToAnnotate,
  o: AnnotateOptions,
  limit: LimitFunction,
  now: () => number,
  report: (event: Omit<EpisodeEvent, 'done' | 'total'>) => void,
): Promise<{ written: string | null; turns: readonly RewardTurn[] }> {
  const file = join(e.dir, rewardsFileName(o.reward.name));
  const done = await upToDate(file, o);
  if (done) {
    report({ rel: e.rel, status: 'skipped', turns: 0 });
    return { written: null, turns: done.turns };
  }
  const recorded = await e.load();
  const states = o.roles === undefined ? playerStates(recorded) : o.roles.flatMap((role) => playerStates(recorded, { role })).sort((a, b) => a.turn - b.turn);
  const turns = await Promise.all(states.map((s) => limit(() => (o.signal?.throwIfAborted(), scoreState(s, o, now)))));
  const content: RewardsFile = {
    format_version: REWARDS_FORMAT_VERSION,
    reward: o.reward.name,
    description: o.reward.description,
    options: o.options,
    models: o.models,
    seed: o.seed,
    game_name: recorded.gameName,
    experiment_name: recorded.experimentName,
    game_id: recorded.gameId,
    created_at: (o.clock ?? (() => new Date()))().toISOString(),
    turns,
    summary: summarise(turns),
  };
  await writeJsonAtomicAsync(file, RewardsFileSchema.parse(content));
  report({ rel: e.rel, status: 'scored', turns: turns.length });
  return { written: file, turns };
}

/**
 * Scores the recorded reply of every state (of `role`) in every episode with `reward`, and writes
 * `rewards.<reward>.json` beside each episode's interactions.json (atomically, once all its turns are scored).
 * An episode whose file was made with the same reward, options, models and seed is skipped (and not read), so a
 * rerun after a crash resumes. With `alternatives`, k replies sampled from the policy at each state are scored
 * together with the recorded one (the recorded reply's score is the turn's score). Model failures propagate.
 */
export async function annotateRewards(o: AnnotateOptions): Promise<AnnotateSummary> {
  const now = o.now ?? (() => performance.now());
  const limit = pLimit(Math.max(1, o.concurrency ?? 4));
  // episodes are read and written a few at a time (a results folder may hold thousands); their states share `limit`
  const episodeLimit = pLimit(Math.max(8, 2 * (o.concurrency ?? 4)));
  const started = now();
  let done = 0;
  const report = (event: Omit<EpisodeEvent, 'done' | 'total'>): void => o.onEpisode?.({ ...event, done: ++done, total: o.episodes.length });
  const results = await Promise.all(o.episodes.map((e) => episodeLimit(() => annotateEpisode(e, o, limit, now, report))));
  const wallMs = now() - started;
  const scored = results.filter((r) => r.written !== null);
  const summary = summarise(scored.flatMap((r) => r.turns));
  return {
    episodes: o.episodes.length,
    skipped: results.length - scored.length,
    turns: summary.turns,
    scored: summary.scored,
    mean: summary.mean,
    wallMs,
    msPerTurn: summary.turns === 0 ? null : wallMs / summary.turns,
    files: scored.map((r) => r.written as string).sort(),
    groups: groupStats(results.map((r, i) => ({ group: o.episodes[i]?.group ?? '', turns: r.turns }))),
  };
}
