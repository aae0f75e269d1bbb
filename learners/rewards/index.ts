/**
 * Proxy rewards for learners: the interface (defined in core/rewards.ts, because games implement it too), the
 * generic rewards (CollabLLM's multiturn-aware reward, the log-prob reward, the rubric judge, RefEval) and the
 * machinery that runs any reward a game gives on the states of recorded episodes.
 */
export type {
  FutureMetric,
  GameRewardHooks,
  GameRewards,
  LogprobTarget,
  ModelPurpose,
  PlayerState,
  Reward,
  RewardCache,
  RewardContext,
  RewardDefinition,
  RewardModels,
  RewardResult,
} from '../../core/rewards.js';
export { defineReward } from '../../core/rewards.js';
export { playerStates } from './states.js';
export { sampleReplies } from './sample.js';
export { availableRewards, GENERIC_REWARDS, resolveReward } from './registry.js';
export { rewardContexts, type RewardContextOptions } from './context.js';
export { diskRewardCache } from './cache.js';
export { multiturnReward, MultiturnOptionsSchema } from './multiturn.js';
export { logprobReward, logprobRewardDefinition, LogprobOptionsSchema } from './logprob.js';
export { rubricJudgeReward, RubricOptionsSchema } from './rubric-judge.js';
export { labelLogprobs, meanWinProbabilities, refevalReward, RefevalOptionsSchema, verdictProbability } from './refeval.js';
export { annotateRewards, type AnnotateOptions, type AnnotateSummary, type EpisodeEvent, type EpisodeToAnnotate } from './annotate.js';
export { learnRewards, type LearnRewardsOptions, type LearnRewardsSummary } from './learn-rewards.js';
export { learnerModels, type LearnerModels } from './models.js';
export { assertCanScore, openRewardRun, runEnvironment, type ModelSelectors, type RewardRun, type RewardRunOptions, type RunEnvironment } from './reward-run.js';
