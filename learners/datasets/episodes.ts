import { type PlayerConversation, episodeConversations } from '../../core/conversations.js';
import type { JsonValue } from '../../registry/json.js';
import { episodesForLearning } from './recorded.js';

/** One completed episode of a results folder, read and parsed, with the conversation of one role's player. */
export interface RoleEpisode {
  /** The episode folder relative to the results folder, with `/` separators (stable across machines). */
  episode: string;
  game: string;
  experiment: string;
  gameId: number;
  /** instance.json as recorded. */
  instance: Readonly<Record<string, JsonValue>>;
  conversation: PlayerConversation;
  /** The episode's Main Score, null when it has none (aborted, or not scored). */
  mainScore: number | null;
}

/**
 * Every completed episode of `game` under `resultsDir` (through the results store's reader; errored and
 * unfinished ones are skipped) with the conversation of the player in `role`, in the reader's order. Episodes
 * without a player in the role are left out. Files are parsed by their schemas; a malformed one throws
 * FileFormatError naming it, a game with no episodes UnknownNameError naming the games there are.
 */
export async function readRoleEpisodes(resultsDir: string, game: string, role: string): Promise<RoleEpisode[]> {
  const out: RoleEpisode[] = [];
  for (const e of await episodesForLearning(resultsDir, game)) {
    const conversation = episodeConversations(e.recorded.interactions).find((c) => c.role === role);
    if (!conversation) continue;
    out.push({
      episode: e.rel,
      game,
      experiment: e.recorded.experimentName,
      gameId: e.recorded.gameId,
      instance: e.recorded.instance as Record<string, JsonValue>,
      conversation: { ...conversation, outcome: e.outcome },
      mainScore: e.mainScore,
    });
  }
  return out;
}
