import { hashSeed } from '../base/rng.js';
import type { Interactions } from '../registry/interactions.js';
import type { PlayerConversation, RecordedTurn } from './conversations.js';

/**
 * What replay and branching work on and give back (core/replay.ts does the work): a recorded episode with what
 * replay needs, and a branched episode. Kept apart from the game master so that the reward interface
 * (core/rewards.ts), which the game module names, can speak of them without a loop of imports.
 */

/** A recorded episode with what replay needs besides its events. */
export interface RecordedEpisode {
  gameName: string;
  experimentName: string;
  gameId: number;
  interactions: Interactions;
  /** instance.json of the episode. */
  instance: Record<string, unknown>;
  /** The experiment's fields (experiment.json, or the instances file's experiment). */
  experiment: Record<string, unknown>;
  /** The episode's seed: {@link episodeSeed} of the run seed recorded in run.json. */
  seed: number;
  /** The episode folder, when read from disk (named in error messages). */
  dir?: string;
  /**
   * Why the episode cannot be replayed (a clemcore episode: no seed, another game master); replay and branching
   * refuse it with this reason. Its states can still be read and scored by rewards that play no future.
   */
  notReplayable?: string;
}

/** The seed the runner gives an episode: `hashSeed(runSeed, game, experiment, game_id)` (run.json records the run seed). */
export function episodeSeed(runSeed: number, gameName: string, experimentName: string, gameId: number): number {
  return hashSeed(runSeed, gameName, experimentName, gameId);
}

/** How messages name an episode: its folder when read from disk, else game/experiment/game_id. */
export const episodeLabel = (e: RecordedEpisode): string => e.dir ?? `${e.gameName}/${e.experimentName}/${e.gameId}`;

/** A branched episode: the recorded prefix, the reply at the branch point, then what live players did. */
export interface Branch {
  /** interactions.json of the branch (`meta.completed` false when the window stopped it). */
  interactions: Interactions;
  /** How the branch ended; null when the window stopped it first. */
  outcome: 'success' | 'lose' | 'aborted' | null;
  /** Every turn of the branch; `turns[from]` is the branch point. */
  turns: RecordedTurn[];
  from: number;
  /** Each player's conversation at the end of the branch (a truncated branch ends with the next, unanswered context). */
  conversations: PlayerConversation[];
  /** The context the game sent next when the window stopped the branch; null when the game ended. */
  next: { player: string; context: string } | null;
}

