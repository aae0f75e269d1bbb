import { ConfigError } from '../../base/errors.js';
import { loadGame } from '../../core/game-loader.js';
import { readRecordedEpisode } from '../../core/recorded-episode.js';
import type { ModelPurpose, RewardModels } from '../../core/rewards.js';
import { readResults } from '../../core/results-store/index.js';
import { discoverGames, selectGames } from '../../registry/game-registry.js';
import type { KeyRing } from '../../registry/keys.js';
import { annotateRewards, type AnnotateSummary } from './annotate.js';
import { rewardContexts } from './context.js';
import { learnerModels } from './models.js';
import { resolveReward } from './registry.js';

export interface LearnRewardsOptions {
  resultsDir: string;
  game: string;
  /** A reward of the game (20q: eig, uot) or a generic one (mr, logprob, judge, refeval). */
  reward: string;
  rewardOptions?: Record<string, unknown>;
  /** The role whose replies are scored; default: the game's (20q: Questioner); `all`: every player's. */
  role?: string;
  /** Models by purpose (names or JSON specs, as `-m`). */
  policy?: string;
  judge?: string;
  scorer?: string;
  labeler?: string;
  /** Models of the other seats in sampled futures, by role (default: the recorded ones). */
  roleModels?: Record<string, string>;
  /** Only episodes whose `<models>` folder contains one of these. */
  models?: readonly string[];
  experiments?: readonly string[];
  /** Replies sampled from the policy at each state and scored with the recorded one (comparative rewards). */
  alternatives?: number;
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  /** States scored at once (default 4). */
  concurrency?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  keys?: KeyRing;
  onEpisode?: (event: { rel: string; status: 'scored' | 'skipped'; turns: number }) => void;
  signal?: AbortSignal;
}

export interface LearnRewardsSummary extends AnnotateSummary {
  game: string;
  reward: string;
  role: string;
  models: Record<string, string>;
}

/**
 * `clem-ts learn rewards`: scores the recorded replies of one role in the completed episodes of a game with a
 * reward and writes `rewards.<reward>.json` beside each (see annotateRewards; a rerun skips episodes done with the
 * same settings). Models are created through the registry with the runner's wrappers. Throws ConfigError when
 * the reward needs a model that was not given, does not score the role, or there is no episode to score.
 */
export async function learnRewards(o: LearnRewardsOptions): Promise<LearnRewardsSummary> {
  const cwd = o.cwd ?? process.cwd();
  const env = o.env ?? process.env;
  const [spec] = selectGames(o.game, discoverGames({ cwd, env }));
  if (!spec) throw new ConfigError(`no game '${o.game}'`);
  const loaded = await loadGame(spec);
  const hooks = loaded.module.rewards;
  const reward = resolveReward(o.reward, hooks, o.rewardOptions ?? {});
  const role = o.role ?? hooks?.defaultRole ?? 'all';
  if (role !== 'all' && !spec.roles.includes(role)) throw new ConfigError(`${spec.game_name} has no role '${role}' (roles: ${spec.roles.join(', ')})`);
  if (reward.roles && role !== 'all' && !reward.roles.includes(role)) throw new ConfigError(`reward '${reward.name}' scores ${reward.roles.join(', ')} replies, not ${role}`);

  const given: Partial<Record<ModelPurpose, string>> = { policy: o.policy, judge: o.judge, scorer: o.scorer, labeler: o.labeler };
  const needed = [...reward.needs, ...(o.alternatives ? (['policy'] as const) : [])];
  const missing = [...new Set(needed.filter((p) => given[p] === undefined))];
  if (missing.length > 0) throw new ConfigError(`reward '${reward.name}'${o.alternatives ? ' with --alternatives' : ''} needs ${missing.map((p) => (p === 'policy' ? '-m POLICY' : `--${p} MODEL`)).join(' and ')}`);

  const read = await readResults(o.resultsDir, { games: [spec.game_name], ...(o.models ? { models: o.models } : {}), ...(o.experiments ? { experiments: o.experiments } : {}) });
  const completed = read.episodes.filter((e) => e.status === 'completed' && e.has('interactions.json'));
  if (completed.length === 0) throw new ConfigError(`no completed ${spec.game_name} episode in ${read.root}`);
  const episodes = completed.map((e) => ({ load: () => readRecordedEpisode(e), dir: e.dir, rel: e.rel, group: e.modelsFolder }));

  const models = learnerModels({ game: loaded, cwd, env, ...(o.keys ? { keys: o.keys } : {}) });
  try {
    const backends: RewardModels = {};
    const names: Record<string, string> = {};
    for (const [purpose, selector] of Object.entries(given) as [ModelPurpose, string | undefined][]) {
      if (selector === undefined) continue;
      const b = await models.byName(selector);
      backends[purpose] = b;
      names[purpose] = b.name;
    }
    const seed = o.seed ?? 0;
    const policyArgs = { ...(o.temperature !== undefined ? { temperature: o.temperature } : {}), ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}) };
    const contextFor = rewardContexts({
      game: { game: loaded.module.game, templates: loaded.templates, rewards: hooks },
      models: backends,
      players: models.seats(o.roleModels),
      policyArgs,
      cacheDir: models.cacheDir,
      seed,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const summary = await annotateRewards({
      episodes,
      reward,
      options: { ...(reward.options ?? {}) },
      models: names,
      contextFor,
      ...(role !== 'all' ? { role } : {}),
      seed,
      ...(o.alternatives ? { alternatives: { policy: backends.policy as NonNullable<typeof backends.policy>, k: o.alternatives, ...policyArgs } } : {}),
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      ...(o.onEpisode ? { onEpisode: o.onEpisode } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return { ...summary, game: spec.game_name, reward: reward.name, role, models: names };
  } finally {
    await models.close();
  }
}
