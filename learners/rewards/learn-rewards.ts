import type { Backend } from '../../backends/backend.js';
import { ConfigError } from '../../base/errors.js';
import { readRecordedEpisode } from '../../core/recorded-episode.js';
import { readResults } from '../../core/results-store/index.js';
import type { KeyRing } from '../../registry/keys.js';
import { annotateRewards, type AnnotateSummary, type EpisodeEvent } from './annotate.js';
import { openRewardRun, runEnvironment } from './reward-run.js';

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
  onEpisode?: (event: EpisodeEvent) => void;
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
  const seed = o.seed ?? 0;
  const policyArgs = { ...(o.temperature !== undefined ? { temperature: o.temperature } : {}), ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}) };
  const run = await openRewardRun({
    game: o.game,
    reward: o.reward,
    rewardOptions: o.rewardOptions ?? {},
    ...(o.role !== undefined ? { role: o.role } : {}),
    allowAll: true,
    models: { policy: o.policy, judge: o.judge, scorer: o.scorer, labeler: o.labeler },
    ...(o.alternatives ? { alsoNeeds: { purposes: ['policy'], by: '--alternatives' } } : {}),
    ...(o.roleModels ? { roleModels: o.roleModels } : {}),
    policyArgs,
    seed,
    ...runEnvironment(o),
  });
  try {
    const { reward, role } = run;
    const gameName = run.game.spec.game_name;
    const read = await readResults(o.resultsDir, { games: [gameName], ...(o.models ? { models: o.models } : {}), ...(o.experiments ? { experiments: o.experiments } : {}) });
    const completed = read.episodes.filter((e) => e.status === 'completed' && e.has('interactions.json'));
    if (completed.length === 0) throw new ConfigError(`no completed ${gameName} episode in ${read.root}`);
    const episodes = completed.map((e) => ({ load: () => readRecordedEpisode(e), dir: e.dir, rel: e.rel, group: e.modelsFolder }));
    // `all`: every role the reward can score
    const roles = role === 'all' ? reward.roles : [role];
    const summary = await annotateRewards({
      episodes,
      reward,
      options: { ...(reward.options ?? {}) },
      models: run.names,
      contextFor: run.contextFor,
      ...(roles ? { roles } : {}),
      seed,
      ...(o.alternatives ? { alternatives: { policy: run.backends.policy as Backend, k: o.alternatives, ...policyArgs } } : {}),
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      ...(o.onEpisode ? { onEpisode: o.onEpisode } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return { ...summary, game: gameName, reward: reward.name, role, models: run.names };
  } finally {
    await run.close();
  }
}
