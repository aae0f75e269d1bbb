import { episodeConversations, messagesBeforeReply } from '../../core/conversations.js';
import type { RecordedEpisode } from '../../core/replay.js';
import type { PlayerState } from '../../core/rewards.js';

/**
 * Every state at which a player of the episode replied: one per reply, in play order, each with the messages
 * the player had been given up to the context it answered (re-prompts are states of their own). Selects the
 * players by `role` ("Questioner") or by name ("Player 1"); with neither, every player's states.
 */
export function playerStates(episode: RecordedEpisode, select: { role?: string; player?: string } = {}): PlayerState[] {
  const states: PlayerState[] = [];
  for (const c of episodeConversations(episode.interactions)) {
    if (select.role !== undefined && c.role !== select.role) continue;
    if (select.player !== undefined && c.player !== select.player) continue;
    c.turns.forEach((t, k) => {
      if (t.reply === null || t.forgotten === true) return;
      states.push({
        episode,
        player: c.player,
        role: c.role,
        playerTurn: t.playerTurn,
        turn: t.turn,
        round: t.round,
        messages: messagesBeforeReply(c, k),
        recordedReply: t.reply,
      });
    });
  }
  return states.sort((a, b) => a.turn - b.turn);
}
