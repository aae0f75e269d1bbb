import { type PlayerConversation, episodeConversations } from '../../core/conversations.js';
import { readResults } from '../../core/results-store/index.js';
import type { JsonValue } from '../../registry/json.js';

/** One completed episode of a results folder, read and parsed, with the conversation of one role's player. */
export interface RoleEpisode {
  /** The episode folder relative to the results folder, with `/` separators (stable across machines). */
  episode: string;
  game: string;
  experiment: string;
  gameId: number;
  /** instance.json as recorded (`{}` when the folder has none). */
  instance: Readonly<Record<string, JsonValue>>;
  conversation: PlayerConversation;
  /** The episode's Main Score, null when it has none (aborted, or not scored). */
  mainScore: number | null;
}

/**
 * Every completed episode of `game` under `resultsDir` (through the results store's reader, clem-ts's and clemcore's
 * layouts; errored and unfinished ones are skipped) with the conversation of the player in `role`, in the reader's
 * order (only the `experiments` named, when given). `role` may also name a player ("Player 1"), for clemcore files that record no roles. interactions.json is
 * read tolerantly (any clemcore version): SFT data needs no replay. Episodes without such a player are left out.
 * Throws FileFormatError naming a file that does not parse, UnknownNameError when the game has no episodes there.
 */
export async function readRoleEpisodes(resultsDir: string, game: string, role: string, experiments?: readonly string[]): Promise<RoleEpisode[]> {
  const read = await readResults(resultsDir, { games: [game], ...(experiments ? { experiments } : {}) });
  const out: RoleEpisode[] = [];
  for (const e of read.episodes) {
    if (e.status !== 'completed' || !e.has('interactions.json')) continue;
    const interactions = await e.interactions();
    const conversations = episodeConversations(interactions);
    const conversation = conversations.find((c) => c.role === role) ?? conversations.find((c) => c.player === role);
    if (!conversation) continue;
    const outcome = await e.outcome();
    const main = (await e.episodeScores())?.['episode scores']['Main Score'];
    const metaId = Number(interactions.meta?.game_id);
    out.push({
      episode: e.rel,
      game,
      experiment: interactions.meta?.experiment_name ?? e.experiment,
      gameId: e.gameId ?? (Number.isInteger(metaId) ? metaId : -1),
      instance: e.has('instance.json') ? ((await e.instance()) as Record<string, JsonValue>) : {},
      conversation: { ...conversation, outcome: outcome === 'success' || outcome === 'lose' || outcome === 'aborted' ? outcome : 'unknown' },
      mainScore: typeof main === 'number' && Number.isFinite(main) ? main : null,
    });
  }
  return out;
}
