import type { z } from 'zod';
import type { Backend, ChatMessage } from '../backends/backend.js';
import type { Rng } from '../base/rng.js';
import type { JsonValue } from '../registry/json.js';
import type { Branch, RecordedEpisode } from './branch.js';

/**
 * The proxy-reward interface: a reward scores candidate replies at a player state. It lives in the core because
 * games implement it (a game exports its own rewards as it exports its programs, and games never import
 * learners/); learners/rewards/ re-exports it with the generic rewards and the machinery that runs them.
 *
 * Every score is "higher is better" and comes with JSON details saying what it is made of.
 */

/** The moment just before player P's k-th reply in a recorded episode: what a policy would be given. */
export interface PlayerState {
  episode: RecordedEpisode;
  /** "Player 1", … */
  player: string;
  role: string;
  /** k: the reply's index among this player's replies (0-based). */
  playerTurn: number;
  /** The reply's index among all turns of the episode (0-based), as in core/conversations.ts. */
  turn: number;
  round: number;
  /** The player's messages up to and including the context it must answer now (ends with a `user` message). */
  messages: ChatMessage[];
  /** What the player replied there in the recorded episode; null when it never did. */
  recordedReply: string | null;
}

/** What a reward may ask a model to do for it. */
export type ModelPurpose = 'policy' | 'judge' | 'scorer' | 'labeler';

/**
 * The models a reward may call, by purpose: `policy` plays the state's player in sampled futures (MR),
 * `judge` answers judge prompts (rubric, RefEval, interactivity), `scorer` gives log-probabilities through
 * `score()` (log-prob reward), `labeler` answers yes/no about candidate words (information gain where the
 * game's knowledge base cannot). The other players of a future are the episode's own (see `RewardContext.branch`).
 */
export type RewardModels = Partial<Record<ModelPurpose, Backend>>;

/**
 * A JSON key-value store on disk shared by rewards (e.g. LLM labels keyed on the model and the question), so a
 * second run makes no call. Keys are any JSON value (hashed); values must be JSON.
 */
export interface RewardCache {
  get(namespace: string, key: JsonValue): Promise<JsonValue | undefined>;
  set(namespace: string, key: JsonValue, value: JsonValue): Promise<void>;
}

/** Everything a reward may use besides the state and the candidates. Games do no I/O: the cache does it for them. */
export interface RewardContext {
  models: RewardModels;
  /** Seeded per state by the caller: the same seed gives the same futures with deterministic backends. */
  rng: Rng;
  /** A folder the reward may keep files in (the cache lives there). */
  cacheDir: string;
  cache: RewardCache;
  signal?: AbortSignal;
  /**
   * Plays `candidate` at the state, then `window` live turns (default: to the end), stopping earlier when
   * `untilOwnTurn` and the game asks the state's player again (that context is then `Branch.next`). The
   * `policy` model plays the state's player, the episode's recorded models (or those the caller configured)
   * the others; `seed` is the generation seed of every live call. Throws ReplayDivergedError for a game that
   * does not replay, and a ConfigError when no policy was given but the future needs one.
   */
  branch(state: PlayerState, candidate: string, options?: { window?: number; untilOwnTurn?: boolean; seed?: number }): Promise<Branch>;
  /** Renders a Handlebars prompt: the game's `prompts/` first, then the shared `prompts/` (judge prompts). */
  render(template: string, vars: Record<string, unknown>): string;
  /** The hooks the game gives generic rewards (empty when it gives none). */
  game: GameRewardHooks;
}

/** Scores, one per candidate in the order given. */
export interface RewardResult {
  /** Higher is better; null where the reward is undefined for a candidate (the details say why). */
  scores: (number | null)[];
  /** One JSON object per candidate: what its score is made of (components, model answers, warnings). */
  details: JsonValue[];
}

/** A configured reward, ready to score. */
export interface Reward {
  /** As given on the command line (`eig`, `mr`, …). */
  readonly name: string;
  readonly description: string;
  /** The roles it can score; undefined: any role. */
  readonly roles?: readonly string[];
  /** Models it cannot work without (checked before anything is scored). */
  readonly needs: readonly ModelPurpose[];
  /** The options it was created with, defaults filled in (set by learners' resolveReward; recorded with its scores). */
  readonly options?: Readonly<Record<string, JsonValue>>;
  /**
   * Scores every candidate reply at `state` (at least one; some rewards, e.g. RefEval, need two). Never changes
   * the state; failures of a model call propagate (after the backend's own retries), outcome-like problems
   * (an unreadable judge verdict) become a null score with the reason in the details.
   */
  score(state: PlayerState, candidates: readonly string[], ctx: RewardContext): Promise<RewardResult>;
}

/** A reward by name with its options (validated and defaulted by `options`), as games and learners register them. */
export interface RewardDefinition<O = unknown> {
  readonly name: string;
  readonly description: string;
  /** Game hooks it cannot work without (e.g. the log-prob reward: `logprobTarget`); a game without them does not offer it. */
  readonly needsHooks?: readonly (keyof GameRewardHooks)[];
  /** Options with their defaults; `parse({})` gives the defaults. */
  readonly options: z.ZodType<O>;
  create(options: O): Reward;
}

/** What the log-prob reward should score: `continuation` after `messages`, under the scoring model. */
export type LogprobTarget =
  | { kind: 'score'; messages: ChatMessage[]; continuation: string }
  /** The branch itself already settles it (e.g. the candidate named the hidden word and won): probability 1 or 0. */
  | { kind: 'certain'; probability: 0 | 1; reason: string };

/** A conversation-level metric a game computes on a sampled future (MR), with its unit and default weight. */
export interface FutureMetric {
  description: string;
  /** Weight used when the caller gives none; each weighted term is clamped to [−1, 1] by MR. */
  defaultWeight: number;
}

/**
 * What a game gives generic rewards, so learners never branch on a game's name. Every hook is optional; a
 * reward that needs a missing hook says so.
 */
export interface GameRewardHooks {
  /** The role rewards score by default (20q: the Questioner). */
  readonly defaultRole?: string;
  /** One or two sentences for a judge: what the player at this state is trying to achieve. */
  task?(state: PlayerState): string;
  /** The reference a judge compares with (20q: the hidden word); null when there is none at this state. */
  reference?(state: PlayerState): string | null;
  /**
   * Log-prob reward: what a scoring model should find likely once the candidate was played and the game went
   * on until the state's player is asked again (`after`; 20q: naming the hidden word). Null: not defined here.
   */
  logprobTarget?(state: PlayerState, after: Branch): LogprobTarget | null;
  /** MR: the game's own conversation-level metrics of a future (20q: `information_gain` in bits), by name. */
  readonly futureMetrics?: Readonly<Record<string, FutureMetric>>;
  /** Measures `futureMetrics` on a sampled future that starts at the state (`future.turns[future.from]` is the candidate). */
  measureFuture?(state: PlayerState, future: Branch): Record<string, number | null>;
}

/** What a game module exports as `rewards`: its own rewards and the hooks for the generic ones. */
export interface GameRewards extends GameRewardHooks {
  /** Rewards only this game can compute (20q: `eig`, `uot`); they take precedence over generic ones of the same name. */
  readonly definitions?: readonly RewardDefinition[];
}

/** Keeps a reward definition's option type checked (`create` is a method, so it assigns to `RewardDefinition<unknown>`). */
export function defineReward<O>(definition: RewardDefinition<O>): RewardDefinition<O> {
  return definition;
}
