import type { ChatMessage } from '../backends/backend.js';
import type { JsonValue } from '../registry/json.js';
import type { ScoresRead } from '../registry/scores.js';

/**
 * What conversations are read from: interactions.json of clem-ts or any clemcore version (the strict and the
 * tolerant schema both fit). `players` maps "Player N" to its entry (clemcore < 2.4: the model name alone).
 */
export interface EpisodeEvents {
  players?: Readonly<Record<string, string | { game_role?: string | undefined; model_name?: string | undefined }>> | undefined;
  turns: readonly (readonly EventLike[])[];
  Aborted?: unknown;
  Lose?: unknown;
  Success?: unknown;
}

interface EventLike {
  from: string;
  to: string;
  action: { type: string; content?: unknown; label?: string | undefined; reasoning?: unknown; model?: unknown };
}

/**
 * One turn of a recorded episode: a context the game master sent to a player and the reply it got back
 * (clemcore's `send message` / `get message` event pair). Re-prompts are turns of their own.
 */
export interface RecordedTurn {
  /** Position among all turns of the episode, 0-based, in the order they were played. */
  turn: number;
  /** Position among this player's turns, 0-based (its k-th reply). */
  playerTurn: number;
  /** The round (index into interactions.json's `turns`). */
  round: number;
  /** "Player 1", … */
  player: string;
  /** The new message the player was sent (only the new context, not its history). */
  context: string;
  /** Its reply; null when the episode ended before the player answered (an errored episode). */
  reply: string | null;
  /** Reasoning text the model returned apart from the reply, when recorded. */
  reasoning?: string;
  /** The model that produced the reply for the player (a program's fallback model), when recorded. */
  model?: string;
  /** The context was labelled `forget` (clemcore's `memorize=False`): it never entered the player's history. */
  forgotten?: boolean;
}

/** One player's side of a recorded episode: its messages exactly as it saw them, with the scores. */
export interface PlayerConversation {
  /** "Player 1", … */
  player: string;
  role: string;
  modelName: string;
  /**
   * What the player's model was given, in order: a `system` message when the game sent one, every context as
   * `user`, every reply as `assistant` (re-prompts and the replies that caused them included). Equal to the
   * live `Player.history` at the end of the episode.
   */
  messages: ChatMessage[];
  /** The player's turns, in order; `turns[k]` is its k-th reply, at `messages[replyIndex[k]]`. */
  turns: RecordedTurn[];
  /** Index in `messages` of each reply (the assistant message of `turns[k]`). */
  replyIndex: number[];
  /** The episode's scores (scores.json "episode scores"); `{}` when none were given. */
  episodeScores: Record<string, JsonValue>;
  /** Each round's scores, indexed by round ("round scores", or clemcore's legacy "turn scores"); `{}` where none. */
  roundScores: Record<string, JsonValue>[];
  /** The episode's outcome as recorded. */
  outcome: 'success' | 'lose' | 'aborted' | 'unknown';
}

const isContext = (e: EventLike): boolean => e.from === 'GM' && e.to !== 'GM' && e.action.type === 'send message';
const isReply = (e: EventLike): boolean => e.to === 'GM' && e.from !== 'GM' && e.action.type === 'get message';
const text = (content: unknown): string => (typeof content === 'string' ? content : content === undefined ? '' : JSON.stringify(content));

/**
 * Every turn of a recorded episode in play order: each `send message` (GM → player) paired with that player's
 * next `get message` (player → GM). A context with no reply (an episode that failed mid-turn) is the last
 * turn of its player, with `reply: null`. Contexts labelled `forget` (clemcore's `memorize=False`) are turns
 * too; {@link episodeConversations} leaves them out of the history.
 */
export function recordedTurns(interactions: Pick<EpisodeEvents, 'turns'>): RecordedTurn[] {
  const out: RecordedTurn[] = [];
  const open = new Map<string, RecordedTurn>();
  const counts = new Map<string, number>();
  interactions.turns.forEach((events, round) => {
    for (const e of events) {
      if (isContext(e)) {
        const playerTurn = counts.get(e.to) ?? 0;
        counts.set(e.to, playerTurn + 1);
        const t: RecordedTurn = { turn: out.length, playerTurn, round, player: e.to, context: text(e.action.content), reply: null };
        if (e.action.label === 'forget') t.forgotten = true;
        out.push(t);
        open.set(e.to, t);
      } else if (isReply(e)) {
        const t = open.get(e.from);
        if (!t) continue; // a reply with no context (hand-written logs): nothing to pair it with
        t.reply = text(e.action.content);
        const reasoning = e.action.reasoning;
        if (typeof reasoning === 'string') t.reasoning = reasoning;
        if (typeof e.action.model === 'string') t.model = e.action.model;
        open.delete(e.from);
      }
    }
  });
  return out;
}

/** The system message a game sent a player, if any: a GM → player event of type `system` (first one wins). */
function systemPrompt(interactions: Pick<EpisodeEvents, 'turns'>, player: string): string | undefined {
  for (const events of interactions.turns)
    for (const e of events) if (e.from === 'GM' && e.to === player && e.action.type === 'system') return text(e.action.content);
  return undefined;
}

function roundScoresOf(scores: ScoresRead | undefined, rounds: number): Record<string, JsonValue>[] {
  const byRound = scores?.['round scores'] ?? scores?.['turn scores'] ?? {};
  return Array.from({ length: rounds }, (_, r) => ({ ...(byRound[String(r)] ?? {}) }));
}

function outcomeOf(interactions: EpisodeEvents): PlayerConversation['outcome'] {
  const on = (v: unknown) => v === 1 || v === true;
  if (on(interactions.Aborted)) return 'aborted';
  if (on(interactions.Success)) return 'success';
  if (on(interactions.Lose)) return 'lose';
  return 'unknown';
}

/** The players in seat order with their role and model: from `players`, else in order of first appearance. */
function playersOf(interactions: EpisodeEvents): { player: string; role: string; modelName: string }[] {
  if (interactions.players) {
    return Object.entries(interactions.players)
      .filter(([name]) => name !== 'GM')
      .map(([player, entry]) => (typeof entry === 'string' ? { player, role: '', modelName: entry } : { player, role: entry.game_role ?? '', modelName: entry.model_name ?? '' }));
  }
  const names = [...new Set(interactions.turns.flat().flatMap((e) => [e.from, e.to]).filter((n) => n !== 'GM'))];
  return names.map((player) => ({ player, role: '', modelName: '' }));
}

/**
 * Turns a recorded episode into one conversation per player (in `players` order, the game master left out),
 * exactly as each player saw it: what `Player.history` held when the episode ended. A turn whose context is
 * labelled `forget` is left out (the player never remembered it). The scores come from scores.json when
 * given (clem-ts's "round scores" or clemcore's "turn scores").
 */
export function episodeConversations(interactions: EpisodeEvents, scores?: ScoresRead): PlayerConversation[] {
  const turns = recordedTurns(interactions);
  const episodeScores: Record<string, JsonValue> = { ...(scores?.['episode scores'] ?? {}) };
  const roundScores = roundScoresOf(scores, interactions.turns.length);
  const outcome = outcomeOf(interactions);
  return playersOf(interactions).map(({ player, role, modelName }) => {
    const messages: ChatMessage[] = [];
    const system = systemPrompt(interactions, player);
    if (system !== undefined) messages.push({ role: 'system', content: system });
    const own = turns.filter((t) => t.player === player && t.forgotten !== true);
    const replyIndex: number[] = [];
    for (const t of own) {
      messages.push({ role: 'user', content: t.context });
      if (t.reply === null) continue;
      replyIndex.push(messages.length);
      messages.push({ role: 'assistant', content: t.reply });
    }
    return {
      player,
      role,
      modelName,
      messages,
      turns: own,
      replyIndex,
      episodeScores: { ...episodeScores },
      roundScores: roundScores.map((r) => ({ ...r })),
      outcome,
    };
  });
}

/**
 * The messages a player had been given just before its k-th reply (0-based): its history up to and including
 * the context it answers with that reply. Throws a RangeError when the player made fewer than k + 1 replies.
 */
export function messagesBeforeReply(conversation: PlayerConversation, k: number): ChatMessage[] {
  const at = conversation.replyIndex[k];
  if (at === undefined) throw new RangeError(`${conversation.player} made ${conversation.replyIndex.length} replies; there is no reply ${k}`);
  return conversation.messages.slice(0, at);
}
