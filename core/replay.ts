import type { Backend, GenerationArgs } from '../backends/backend.js';
import { ClemError } from '../base/errors.js';
import { Player } from '../players/player.js';
import type { Interactions } from '../registry/interactions.js';
import { episodeLabel, type Branch, type RecordedEpisode } from './branch.js';
import { episodeConversations, recordedTurns, type RecordedTurn } from './conversations.js';
import type { DialogueGame, PlayerSlot } from './game.js';
import { EpisodeSession, type Outcome } from './game-master.js';

export { episodeLabel, episodeSeed, type Branch, type RecordedEpisode } from './branch.js';
import type { TemplateSet } from './templates.js';

/**
 * Replaying and branching a recorded episode.
 *
 * Replay rebuilds the game exactly as it was just before some turn: a fresh {@link EpisodeSession} with the
 * episode's instance, experiment and seed is fed the recorded replies one by one, and every context the game
 * sends is compared with the recorded one, byte for byte. A game that sends anything else is not deterministic
 * under replay (or the seed is not the episode's) and is refused with {@link ReplayDivergedError}.
 *
 * Branching continues from there with live players: a candidate reply instead of the recorded one, then a
 * window of turns (or the rest of the episode) played by backends, model-backed or programmatic alike. This is
 * what proxy rewards sample futures with, and what an online learning loop or an environment server stands on.
 */

/** What replay needs of a game: its hooks and its templates (a LoadedGame's `module.game` and `templates`). */
export interface ReplayableGame {
  game: DialogueGame<unknown, unknown, unknown, unknown>;
  templates: TemplateSet;
}

/** The game sent a context other than the recorded one during replay: branching from the episode is refused. */
export class ReplayDivergedError extends ClemError {
  readonly code = 'replay_diverged';
  constructor(
    readonly episode: string,
    readonly turn: number,
    message: string,
  ) {
    super(`${episode}: replay diverged at turn ${turn}: ${message}. The game is not deterministic under replay (or this is not the episode's seed), so it cannot be branched.`);
  }
}

/**
 * The episode cannot be replayed at all (`RecordedEpisode.notReplayable`: clemcore wrote it). Rewards that play
 * futures (sampled continuations, the other player's answer) need replay; those that read only the state do not.
 */
export class ReplayUnavailableError extends ClemError {
  readonly code = 'replay_unavailable';
  constructor(
    readonly episode: string,
    reason: string,
  ) {
    super(`${episode}: ${reason}. A reward that plays futures from a state (mr, logprob, judge) needs episodes clem-ts recorded; use one that scores the state alone (a game's own, or refeval), or play the instances with clem-ts first.`);
  }
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 20), i + 30));
  return `first difference at character ${i}: recorded ${show(a)}, replayed ${show(b)}`;
}

function slotsOf(episode: RecordedEpisode): PlayerSlot[] {
  return Object.entries(episode.interactions.players)
    .filter(([name]) => name !== 'GM')
    .map(([name, entry], index) => ({ index, name, role: entry.game_role }));
}

/** Checks that the session's next turn is the recorded one (same player, same context) and returns it. */
function expectRecorded(session: EpisodeSession, episode: RecordedEpisode, recorded: RecordedTurn) {
  const pending = session.begin();
  const where = `${recorded.player}'s reply ${recorded.playerTurn}`;
  if (pending === null) throw new ReplayDivergedError(episodeLabel(episode), recorded.turn, `the replayed game ended (${session.outcome}) before ${where}`);
  if (pending.slot.name !== recorded.player)
    throw new ReplayDivergedError(episodeLabel(episode), recorded.turn, `the replayed game asked ${pending.slot.name}, the record has ${where}`);
  if (pending.context !== recorded.context)
    throw new ReplayDivergedError(episodeLabel(episode), recorded.turn, `the context of ${where} differs (${firstDifference(recorded.context, pending.context)})`);
  return pending;
}

/** A session replayed up to (not including) turn `upTo`, with the turns it replayed. */
export interface Replayed {
  session: EpisodeSession;
  /** The recorded turns of the episode (all of them); the first `upTo` were replayed. */
  turns: RecordedTurn[];
  upTo: number;
}

/**
 * Replays the first `upTo` recorded turns (default: all) into a fresh session, checking every context the game
 * sends against the record. Throws {@link ReplayDivergedError} at the first difference, and a RangeError when
 * `upTo` is past the recorded turns, and {@link ReplayUnavailableError} for an episode marked `notReplayable`. With `upTo` = all turns of a completed episode, the session has ended with
 * the recorded outcome (else that is a divergence too).
 */
export function replayEpisode(episode: RecordedEpisode, game: ReplayableGame, opts: { upTo?: number; clock?: () => Date } = {}): Replayed {
  if (episode.notReplayable !== undefined) throw new ReplayUnavailableError(episodeLabel(episode), episode.notReplayable);
  const turns = recordedTurns(episode.interactions);
  const upTo = opts.upTo ?? turns.length;
  if (upTo < 0 || upTo > turns.length) throw new RangeError(`${episodeLabel(episode)}: turn ${upTo} is out of range (the episode has ${turns.length} turns)`);
  const session = new EpisodeSession({
    game: game.game,
    gameName: episode.gameName,
    instance: episode.instance,
    experiment: episode.experiment,
    slots: slotsOf(episode),
    templates: game.templates,
    seed: episode.seed,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  for (const recorded of turns.slice(0, upTo)) {
    expectRecorded(session, episode, recorded);
    if (recorded.reply === null) throw new ReplayDivergedError(episodeLabel(episode), recorded.turn, `the record has no reply for ${recorded.player}'s turn ${recorded.playerTurn}`);
    session.submit({ text: recorded.reply, reasoning: recorded.reasoning, model: recorded.model });
  }
  if (upTo === turns.length && episode.interactions.meta.completed) {
    const recordedOutcome: Outcome = episode.interactions.Aborted === 1 ? 'aborted' : episode.interactions.Success === 1 ? 'success' : 'lose';
    if (session.outcome !== recordedOutcome)
      throw new ReplayDivergedError(episodeLabel(episode), upTo, `after the last recorded turn the replayed game ${session.outcome ? `ended as ${session.outcome}` : 'goes on'}, the record ended as ${recordedOutcome}`);
  }
  return { session, turns, upTo };
}

/** Where a branch starts: player P's k-th reply (0-based), or a turn index over all players. */
export type BranchPoint = { player: string; playerTurn: number } | { turn: number };

export interface BranchOptions {
  at: BranchPoint;
  /** The reply played at the branch point instead of the recorded one; without it the live player replies. */
  candidate?: string;
  /** The backends that play live from the branch point on, one per seat in turn order ("Player 1" first). */
  backends: readonly Backend[];
  /** Generation args per seat; default: the recorded `player_models[i].gen_args`, else none. */
  args?: readonly (GenerationArgs | undefined)[];
  /** Live turns after the branch point's reply (any player's); default: play to the end. */
  window?: number;
  /** Stop when the game next asks this player (its context is then `next`), even within the window. */
  stopBefore?: string;
  clock?: () => Date;
  signal?: AbortSignal;
}

/** Resolves a branch point to a turn index of the record; RangeError when the player made fewer replies. */
export function branchTurn(turns: readonly RecordedTurn[], at: BranchPoint, label: string): number {
  if ('turn' in at) {
    if (at.turn < 0 || at.turn >= turns.length) throw new RangeError(`${label}: there is no turn ${at.turn} (the episode has ${turns.length})`);
    return at.turn;
  }
  const t = turns.find((x) => x.player === at.player && x.playerTurn === at.playerTurn);
  if (!t) throw new RangeError(`${label}: ${at.player} has no reply ${at.playerTurn} (it made ${turns.filter((x) => x.player === at.player).length})`);
  return t.turn;
}

/** The generation args a seat played with (interactions.json `player_models[seat].gen_args`), undefined when not recorded. */
export function recordedArgs(interactions: Interactions, seat: number): GenerationArgs | undefined {
  const entry = interactions.player_models[String(seat)];
  const gen = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? entry.gen_args : undefined;
  if (gen === null || typeof gen !== 'object' || Array.isArray(gen)) return undefined;
  const out: GenerationArgs = {};
  if (typeof gen.temperature === 'number') out.temperature = gen.temperature;
  if (typeof gen.max_tokens === 'number') out.maxTokens = gen.max_tokens;
  return out;
}

/**
 * Rebuilds the episode just before the branch point by replay (refusing a game that diverges), plays the
 * candidate there (or lets the live player reply), then lets the live backends play `window` more turns or to
 * the end. The players' histories are those the recorded players had, so a live model sees exactly what it
 * would have seen in the episode.
 */
export async function branchEpisode(episode: RecordedEpisode, game: ReplayableGame, opts: BranchOptions): Promise<Branch> {
  const clock = opts.clock ?? (() => new Date());
  const all = recordedTurns(episode.interactions);
  const from = branchTurn(all, opts.at, episodeLabel(episode));
  const { session } = replayEpisode(episode, game, { upTo: from, clock });
  const slots = session.slots;
  if (opts.backends.length !== slots.length) throw new RangeError(`${episodeLabel(episode)}: ${slots.length} players, ${opts.backends.length} backends given`);
  const info = { gameName: episode.gameName, experimentName: episode.experimentName, gameId: episode.gameId, instance: episode.instance };
  const players = slots.map(
    (s, i) => new Player(s.name, s.role, opts.backends[i] as Backend, opts.args?.[i] ?? recordedArgs(episode.interactions, i) ?? {}, info, clock),
  );
  for (const t of all.slice(0, from)) players[slots.findIndex((s) => s.name === t.player)]?.remember(t.context, t.reply as string);

  const point = expectRecorded(session, episode, all[from] as RecordedTurn);
  if (opts.candidate !== undefined) {
    players[point.slot.index]?.remember(point.context, opts.candidate);
    session.submit({ text: opts.candidate });
  } else {
    session.submit(await (players[point.slot.index] as Player).respond(point.context, session.round, opts.signal));
  }
  const window = opts.window ?? Number.POSITIVE_INFINITY;
  for (let played = 0; ; played++) {
    const turn = session.begin();
    if (turn === null || played >= window || turn.slot.name === opts.stopBefore) break;
    session.submit(await (players[turn.slot.index] as Player).respond(turn.context, session.round, opts.signal));
  }
  const next = session.begin();
  const interactions = session.interactions({
    experimentName: episode.experimentName,
    gameId: episode.gameId,
    resultsFolder: episode.interactions.meta.results_folder,
    clemVersion: episode.interactions.meta.clem_version,
    playerModels: episode.interactions.player_models,
    modelNames: players.map((p) => p.modelName),
  });
  return {
    interactions,
    outcome: session.outcome ?? null,
    turns: recordedTurns(interactions),
    from,
    conversations: episodeConversations(interactions),
    next: next === null ? null : { player: next.slot.name, context: next.context },
  };
}
