import type { Backend, GenerationArgs } from '../../backends/backend.js';
import { ConfigError } from '../../base/errors.js';
import { loadGame, type LoadedGame } from '../../core/game-loader.js';
import type { ModelPurpose, PlayerState, Reward, RewardContext, RewardModels } from '../../core/rewards.js';
import { discoverGames, selectGames } from '../../registry/game-registry.js';
import type { KeyRing } from '../../registry/keys.js';
import { rewardContexts } from './context.js';
import { learnerModels } from './models.js';
import { resolveReward } from './registry.js';

/** The models of a reward run by purpose: registry names or JSON specs, as `-m` takes them. */
export type ModelSelectors = Partial<Record<ModelPurpose, string>>;

/** What `learn dpo-data` and `learn rewards` share: one game, one reward, its models, contexts per state. */
export interface RewardRunOptions {
  game: string;
  /** A reward of the game (20q: eig, uot) or a generic one (mr, logprob, judge, refeval). */
  reward: string;
  rewardOptions?: Record<string, unknown>;
  /** The role whose replies are scored; default: the game's (`GameRewards.defaultRole`), else `all` where allowed. */
  role?: string;
  /** Whether `all` (every player's replies) is a valid role. */
  allowAll?: boolean;
  models: ModelSelectors;
  /** Purposes needed beyond the reward's own, and the flag that needs them (e.g. `--alternatives`). */
  alsoNeeds?: { purposes: readonly ModelPurpose[]; by?: string };
  /** Models of the other seats in sampled futures, by role (default: the recorded ones). */
  roleModels?: Readonly<Record<string, string>>;
  /** The policy's generation args in sampled futures (default: temperature 1, the seat's recorded token budget). */
  policyArgs?: GenerationArgs;
  /** Seeds every state's context (its rng and the futures' generation seeds). */
  seed: number;
}

/** Where models and games are looked up (default: the process's), the keys, and the signal that stops a run. */
export interface RunEnvironment {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  keys?: KeyRing;
  signal?: AbortSignal;
}

/** The {@link RunEnvironment} fields of a verb's options, the ones that are set. */
export function runEnvironment(o: RunEnvironment): RunEnvironment {
  return Object.fromEntries(Object.entries({ cwd: o.cwd, env: o.env, keys: o.keys, signal: o.signal }).filter(([, v]) => v !== undefined)) as RunEnvironment;
}

/** A reward ready to run: the game, the configured reward, its models and a context factory. Close it when done. */
export interface RewardRun {
  game: LoadedGame;
  reward: Reward;
  /** The role scored (`all`: every role the reward scores). */
  role: string;
  /** The models given, created once through the registry with the runner's wrappers. */
  backends: RewardModels;
  /** Their model names by purpose (recorded in files, compared on resume). */
  names: Record<string, string>;
  contextFor: (state: PlayerState) => RewardContext;
  /** Another model through the same registry and wrappers (e.g. a reference model), closed with the run. */
  model(selector: string): Promise<Backend>;
  close(): Promise<void>;
}

const FLAGS: Record<ModelPurpose, string> = { policy: '-m POLICY', judge: '--judge MODEL', scorer: '--scorer MODEL', labeler: '--labeler MODEL' };

/**
 * Throws ConfigError unless `backend` can score continuations (`score()`: log-probabilities of a given reply), naming
 * the flag that chose it. Checked before any work, so a run does not stop at its first state.
 */
export function assertCanScore(flag: string, backend: Backend): void {
  if (backend.capabilities.score && backend.score) return;
  throw new ConfigError(
    `${flag} ${backend.name} cannot score a given reply (its backend gives no log-probabilities of prompt tokens); use a transformers model or a vLLM server (backend "vllm").`,
  );
}

/** Throws ConfigError unless `role` is one of the game's roles (or `all` where allowed) and one the reward scores. */
function checkRole(game: LoadedGame, reward: Reward, role: string, allowAll: boolean): void {
  const spec = game.spec;
  const isAll = allowAll && role === 'all';
  if (!isAll && !spec.roles.includes(role)) throw new ConfigError(`${spec.game_name} has no role '${role}' (roles: ${[...spec.roles, ...(allowAll ? ['all'] : [])].join(', ')})`);
  if (reward.roles && !isAll && !reward.roles.includes(role)) throw new ConfigError(`reward '${reward.name}' scores ${reward.roles.join(', ')} replies, not ${role}`);
}

/**
 * Opens a reward run: loads the game, resolves the reward with its options (errors list the game's rewards) and
 * the role, checks that every model the reward needs was given (one message naming each missing flag), creates the models, checks
 * that a scorer can score, and builds the per-state contexts. Throws ConfigError or UnknownNameError before any
 * model is called.
 */
export async function openRewardRun(o: RewardRunOptions & RunEnvironment): Promise<RewardRun> {
  const cwd = o.cwd ?? process.cwd();
  const env = o.env ?? process.env;
  const [spec] = selectGames(o.game, discoverGames({ cwd, env }));
  if (!spec) throw new ConfigError(`no game '${o.game}'`);
  const game = await loadGame(spec);
  const reward = resolveReward(o.reward, game.module.rewards, o.rewardOptions ?? {}, spec.game_name);
  const role = o.role ?? game.module.rewards?.defaultRole ?? (o.allowAll ? 'all' : '');
  checkRole(game, reward, role, o.allowAll === true);
  const needed = [...reward.needs, ...(o.alsoNeeds?.purposes ?? [])];
  const missing = [...new Set(needed.filter((p) => o.models[p] === undefined))];
  if (missing.length > 0)
    throw new ConfigError(`reward '${reward.name}'${o.alsoNeeds?.by ? ` with ${o.alsoNeeds.by}` : ''} needs ${missing.map((p) => FLAGS[p]).join(' and ')}`);

  const learner = learnerModels({ game, cwd, env, ...(o.keys ? { keys: o.keys } : {}) });
  try {
    const backends: RewardModels = {};
    const names: Record<string, string> = {};
    for (const [purpose, selector] of Object.entries(o.models) as [ModelPurpose, string | undefined][]) {
      if (selector === undefined) continue;
      const b = await learner.byName(selector);
      backends[purpose] = b;
      names[purpose] = b.name;
    }
    if (backends.scorer) assertCanScore('--scorer', backends.scorer);
    const contextFor = rewardContexts({
      game: { game: game.module.game, templates: game.templates, rewards: game.module.rewards },
      models: backends,
      players: learner.seats(o.roleModels ?? {}),
      ...(o.policyArgs ? { policyArgs: o.policyArgs } : {}),
      cacheDir: learner.cacheDir,
      seed: o.seed,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return { game, reward, role, backends, names, contextFor, model: (s) => learner.byName(s), close: () => learner.close() };
  } catch (e) {
    await learner.close();
    throw e;
  }
}
