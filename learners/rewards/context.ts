import { join } from 'node:path';
import type { Backend, GenerationArgs, GenerateRequest, GenerateResult } from '../../backends/backend.js';
import { ConfigError } from '../../base/errors.js';
import { createRng, hashSeed } from '../../base/rng.js';
import { branchEpisode, episodeLabel, recordedArgs, type RecordedEpisode, type ReplayableGame } from '../../core/replay.js';
import type { GameRewards, PlayerState, RewardContext, RewardModels } from '../../core/rewards.js';
import { TemplateSet } from '../../core/templates.js';
import { packageRoot } from '../../registry/package-root.js';
import { diskRewardCache } from './cache.js';

/** What rewards run against: one game, the models by purpose, who plays the other seats of a future. */
export interface RewardContextOptions {
  /** The game's hooks and templates (a LoadedGame's `module.game`, `module.rewards` and `templates`). */
  game: ReplayableGame & { rewards?: GameRewards | undefined };
  models: RewardModels;
  /** The backends of an episode's seats, in turn order (default for futures: the models that played it). */
  players: (episode: RecordedEpisode) => Promise<readonly Backend[]>;
  /** The policy's generation args in futures (default: temperature 1, futures are samples; the seat's recorded max tokens). */
  policyArgs?: GenerationArgs;
  /** Where the reward cache lives (`<cacheDir>/…`). */
  cacheDir: string;
  /** Seeds every state's rng and the futures' generation seeds. */
  seed: number;
  signal?: AbortSignal;
  clock?: () => Date;
}

/** Stands in for the policy when none was given: a future that needs one says so instead of guessing. */
function missingPolicy(state: PlayerState): Backend {
  const fail = (): never => {
    throw new ConfigError(`${episodeLabel(state.episode)}: this reward plays ${state.player} (${state.role}) in sampled futures, but no policy model was given (pass -m POLICY)`);
  };
  return {
    name: 'no-policy',
    capabilities: { score: false, logprobs: false, n: false, seed: false, batching: false },
    generate: (_r: GenerateRequest): Promise<GenerateResult> => Promise.resolve().then(fail),
    close: () => Promise.resolve(),
  };
}

/** The shared judge prompts (`prompts/*.hbs` of the package), loaded once per context factory. */
function sharedPrompts(): TemplateSet {
  const folder = join(packageRoot(), 'prompts');
  return TemplateSet.fromFolder(folder, folder);
}

/**
 * A factory of reward contexts, one per state: its rng is seeded from the run seed and the state's identity
 * (game, experiment, game_id, turn), so a rerun scores the same way; `branch` replays the episode and plays the
 * candidate with the policy in the state's seat and the episode's players in the others.
 */
export function rewardContexts(opts: RewardContextOptions): (state: PlayerState) => RewardContext {
  const cache = diskRewardCache(join(opts.cacheDir, 'rewards'));
  const shared = sharedPrompts();
  const hooks = opts.game.rewards ?? {};
  const render = (template: string, vars: Record<string, unknown>): string =>
    opts.game.templates.names().includes(template) ? opts.game.templates.render(template, vars) : shared.render(template, vars);
  return (state) => {
    const e = state.episode;
    const rng = createRng(hashSeed(opts.seed, e.gameName, e.experimentName, e.gameId, state.turn));
    return {
      models: opts.models,
      rng,
      cacheDir: opts.cacheDir,
      cache,
      ...(opts.signal ? { signal: opts.signal } : {}),
      render,
      game: hooks,
      async branch(at, candidate, o = {}) {
        const seats = await opts.players(at.episode);
        const seat = Object.keys(at.episode.interactions.players).filter((n) => n !== 'GM').indexOf(at.player);
        const backends = seats.map((b, i) => (i === seat ? (opts.models.policy ?? missingPolicy(at)) : b));
        // the policy samples (temperature 1 unless given) with the seat's recorded token budget unless given
        const policy = { ...recordedArgs(at.episode.interactions, seat), temperature: 1, ...opts.policyArgs, ...(o.seed !== undefined ? { seed: o.seed } : {}) };
        const args = seats.map((_, i) => (i === seat ? policy : undefined));
        return branchEpisode(at.episode, opts.game, {
          at: { turn: at.turn },
          candidate,
          backends,
          args,
          ...(o.window !== undefined ? { window: o.window } : {}),
          ...(o.untilOwnTurn ? { stopBefore: at.player } : {}),
          ...(opts.clock ? { clock: opts.clock } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
      },
    };
  };
}
