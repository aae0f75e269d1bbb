import type { Backend } from '../../backends/index.js';
import type { KeyRing } from '../../registry/keys.js';
import { ConfigError } from '../../base/errors.js';
import { hashSeed } from '../../base/rng.js';
import { type ModelPurpose, assertCanScore, openRewardRun, playerStates, runEnvironment } from '../rewards/index.js';
import type { DatasetFormat } from './formats.js';
import { type DpoState, buildPairs } from './dpo-pairs.js';
import { type DpoSummary, writeDpoFiles } from './dpo-files.js';

export { DpoSummarySchema, type DpoSummary } from './dpo-files.js';
import { type DatasetPaths, datasetPaths } from './output.js';
import { type StateProgress, silentStateProgress } from './progress.js';
import { episodesForLearning } from './recorded.js';
import { instanceKey } from './split.js';
import { rowMetadata } from './sft-data.js';
import type { JsonValue } from '../../registry/json.js';

export interface DpoDataOptions {
  resultsDir: string;
  game: string;
  role: string;
  /** Model (registry name or JSON spec) that samples the candidates. */
  policy: string;
  /** Reward name: the game's own (20q: eig, uot) or a generic one (mr, logprob, judge, refeval). */
  reward: string;
  /** The reward's options (validated by its schema). */
  rewardOptions?: Record<string, unknown>;
  /** Models for the reward's other purposes (judge, scorer, labeler). */
  rewardModels?: Partial<Record<Exclude<ModelPurpose, 'policy'>, string>>;
  /** Models for the other seats in sampled futures, by role (default: the episode's recorded models). */
  roleModels?: Record<string, string>;
  k?: number;
  minGap?: number;
  temperature?: number;
  maxTokens?: number;
  /** Reference model: summed log-probabilities of chosen and rejected, computed once and stored. */
  refModel?: string;
  /** At most this many states: a seeded sample of them, kept in state order. Default: every state. */
  maxStates?: number;
  /** Only episodes whose `<models>` folder names one of these. */
  models?: readonly string[];
  /** Only these experiments. */
  experiments?: readonly string[];
  output?: string;
  format?: DatasetFormat;
  validationFraction?: number;
  splitBy?: string;
  seed?: number;
  /** States in flight at once. Default 4. */
  concurrency?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  keys?: KeyRing;
  progress?: StateProgress;
  signal?: AbortSignal;
}

/** `max` states picked by a seeded hash of their ids (the same ones on every rerun), in their original order. */
export function sampleStates(states: readonly DpoState[], max: number | undefined, seed: number): DpoState[] {
  if (max === undefined || max >= states.length) return [...states];
  const picked = new Set(
    states
      .map((s) => ({ id: s.id, h: hashSeed(seed, 'sample', s.id) }))
      .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1))
      .slice(0, max)
      .map((x) => x.id),
  );
  return states.filter((s) => picked.has(s.id));
}

/**
 * Builds a DPO dataset from the recorded episodes of one role: at every state where the role's player replied,
 * samples k candidates from the policy, scores them with the reward, and keeps best (chosen) and worst (rejected)
 * when their gap is at least minGap (see buildPairs). States are journaled as they finish, so a rerun skips the
 * done ones and the files it writes equal an uninterrupted run's. Writes train and validation (TRL conversational
 * preference, split by instance) and a summary atomically, and returns the summary. Models are created through the
 * registry with the runner's wrappers (retries, each model's concurrency and rate limits).
 * Throws ConfigError when the reward needs a model that was not given, or there is no state to work on.
 */
export async function buildDpoData(o: DpoDataOptions): Promise<DpoSummary & { paths: DatasetPaths }> {
  const seed = o.seed ?? 0;
  const policyArgs = { temperature: o.temperature ?? 1, ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}) };
  const run = await openRewardRun({
    game: o.game,
    reward: o.reward,
    rewardOptions: o.rewardOptions ?? {},
    role: o.role,
    models: { ...(o.rewardModels ?? {}), policy: o.policy },
    ...(o.roleModels ? { roleModels: o.roleModels } : {}),
    policyArgs,
    seed,
    ...runEnvironment(o),
  });
  try {
    const { reward } = run;
    const policy = run.backends.policy as Backend;
    const ref = o.refModel === undefined ? undefined : await run.model(o.refModel);
    if (ref) assertCanScore('--ref-model', ref);

    const episodes = await episodesForLearning(o.resultsDir, o.game, { ...(o.models ? { models: o.models } : {}), ...(o.experiments ? { experiments: o.experiments } : {}) });
    const allStates: DpoState[] = episodes.flatMap((e) => {
      const instance = e.recorded.instance as Record<string, JsonValue>;
      const key = instanceKey(instance, o.splitBy);
      return playerStates(e.recorded, { role: o.role }).map((state) => ({
        id: `${e.rel}#${state.player}#${state.playerTurn}`,
        state,
        metadata: rowMetadata(
          {
            episode: e.rel, game: o.game, experiment: e.recorded.experimentName, gameId: e.recorded.gameId, role: state.role, player: state.player,
            model: e.recorded.interactions.players[state.player]?.model_name ?? '', outcome: e.outcome, mainScore: e.mainScore,
          },
          key,
          'train',
        ),
      }));
    });
    const states = sampleStates(allStates, o.maxStates, o.seed ?? 0);
    if (states.length === 0) throw new ConfigError(`no state of a ${o.role} player in the completed ${o.game} episodes of ${o.resultsDir}`);

    const paths = datasetPaths(o.output, o.resultsDir, o.game, o.role, 'dpo');
    const progress = o.progress ?? silentStateProgress;
    const settings = {
      game: o.game, role: o.role, reward: reward.name, reward_options: (o.rewardOptions ?? {}) as JsonValue, policy: policy.name, ref_model: ref?.name ?? null,
      reward_models: { ...(o.rewardModels ?? {}) }, role_models: { ...(o.roleModels ?? {}) }, k: o.k ?? 4, min_gap: o.minGap ?? 0.02,
      temperature: o.temperature ?? 1, max_tokens: o.maxTokens ?? null, seed,
    };
    const journal = await buildPairs({
      states, policy, reward, contextFor: run.contextFor, seed, settings, journal: paths.journal,
      k: o.k ?? 4, minGap: o.minGap ?? 0.02, concurrency: o.concurrency ?? 4,
      ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
      ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}),
      ...(ref ? { ref } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      onStart: (total, done) => progress.start(total, done),
      onState: (entry) => progress.state(entry.pair !== null),
    });
    progress.finish();
    return { ...writeDpoFiles(o, states, journal, paths, { policy: policy.name, ref: ref?.name ?? null }), paths };
  } finally {
    await run.close();
  }
}
