import { hasCode } from '../base/errors.js';
import type { DialogueGame, EpisodeContext, PlayerSlot, Step } from './game.js';
import { EpisodeRecorder } from './recorder.js';
import { createRng } from '../base/rng.js';
import type { TemplateSet } from './templates.js';
import type { Player } from '../players/player.js';
import { INTERACTIONS_FORMAT_VERSION, type Interactions } from '../registry/interactions.js';
import type { JsonValue } from '../registry/json.js';

export type Outcome = 'success' | 'lose' | 'aborted';

/** What an episode session needs: the game, the instance, who sits where, the templates and the seed. */
export interface SessionOptions {
  game: DialogueGame<unknown, unknown, unknown, unknown>;
  gameName: string;
  /** The raw instance and experiment (as in instances.json); parsed here by the game's schemas. */
  instance: Record<string, unknown>;
  experiment: Record<string, unknown>;
  /** The seats in turn order ("Player 1", …, with their roles). */
  slots: readonly PlayerSlot[];
  templates: TemplateSet;
  seed: number;
  clock?: () => Date;
}

export interface PlayEpisodeOptions extends Omit<SessionOptions, 'slots'> {
  experimentName: string;
  gameId: number;
  players: readonly Player[];
  /** Recorded in meta.results_folder (the run folder name). */
  resultsFolder: string;
  playerModels: Record<string, JsonValue>;
  clemVersion: string;
  signal?: AbortSignal;
}

export interface EpisodeResult {
  outcome: Outcome;
  interactions: Interactions;
}

/** The turn a session waits on: who must reply, and the new message the game sent it. */
export interface PendingTurn {
  slot: PlayerSlot;
  context: string;
}

/** What interactions.json's meta and players need besides the events (the runner's identity of the episode). */
export interface InteractionsInfo {
  experimentName: string;
  gameId: number;
  resultsFolder: string;
  clemVersion: string;
  playerModels: Record<string, JsonValue>;
  /** Model name per seat, in turn order (interactions.json `players`). */
  modelNames: readonly string[];
}

const DEFAULT_MAX_REQUESTS = 100;

/**
 * One episode as a state machine, without players: `begin()` asks the game for the next context (and records
 * it), `submit()` hands the game the reply (and records it, parses, advances, counts). `playEpisode` drives it
 * with live players; replay (core/replay.ts) drives it with recorded replies, then live ones. Outcome errors
 * (ParseError → aborted, RuleViolation → lost) never escape `submit`; failures (a bug in a hook) do.
 */
export class EpisodeSession {
  readonly slots: readonly PlayerSlot[];
  private readonly recorder: EpisodeRecorder;
  private readonly ctx: EpisodeContext<unknown>;
  private readonly state: unknown;
  private readonly position: (index: number) => number;
  private readonly maxRequests: number;
  private current: number;
  private pending: PendingTurn | null = null;
  private ended: Outcome | undefined;

  constructor(private readonly opts: SessionOptions) {
    const { game } = opts;
    this.recorder = new EpisodeRecorder(opts.clock ?? (() => new Date()));
    this.slots = opts.slots;
    const experiment = game.experimentSchema ? game.experimentSchema.parse(opts.experiment) : opts.experiment;
    const instance = game.instanceSchema.parse(opts.instance);
    const recorder = this.recorder;
    this.ctx = {
      rng: createRng(opts.seed),
      players: this.slots,
      experiment,
      render: (template, vars) => opts.templates.render(template, vars),
      log: (type, content) => recorder.event('GM', 'GM', { type, content }),
      setKey: (key, value) => recorder.setKey(key, value),
      noteViolation: (reason) => {
        recorder.countViolation();
        recorder.event('GM', 'GM', { type: 'violation noted', content: reason });
      },
    };
    this.state = game.setup(instance, this.ctx);
    const first = game.firstPlayer?.(this.state) ?? 0;
    // A round ends when play comes back round to the first player, which need not be index 0.
    this.position = (index: number): number => (index - first + this.slots.length) % this.slots.length;
    this.current = first;
    this.maxRequests = game.maxRequests ?? DEFAULT_MAX_REQUESTS;
  }

  /** The outcome once the episode has ended, else undefined. */
  get outcome(): Outcome | undefined {
    return this.ended;
  }

  /** The current round (0-based). */
  get round(): number {
    return this.recorder.round;
  }

  /** Requests answered so far. */
  get requestCount(): number {
    return this.recorder.requestTotal;
  }

  /**
   * The turn to play now: asks the game for the current player's context and records the `send message`
   * event, once per turn (calling it again before `submit` returns the same turn). Null once the episode ended.
   */
  begin(): PendingTurn | null {
    if (this.ended !== undefined) return null;
    if (this.pending) return this.pending;
    const slot = this.slots[this.current];
    if (!slot) throw new Error(`${this.opts.gameName}: the game named player index ${this.current}, but there are ${this.slots.length} players`);
    const context = this.opts.game.prompt(this.state, slot, this.ctx);
    this.recorder.event('GM', slot.name, { type: 'send message', content: context, label: 'context' });
    this.pending = { slot, context };
    return this.pending;
  }

  /**
   * Hands the game the pending player's reply: records it, counts the request, parses and advances. `model`:
   * the model that produced it when the player's backend handed the turn to another one (Choice.model).
   */
  submit(reply: { text: string; reasoning?: string | undefined; model?: string | undefined }): void {
    const pending = this.pending;
    if (!pending) throw new Error(`${this.opts.gameName}: submit() without a pending turn (call begin() first)`);
    this.pending = null;
    const { game } = this.opts;
    const { slot } = pending;
    const recorder = this.recorder;
    // `model` only when another model answered for the player (a program's fallback model)
    recorder.event(slot.name, 'GM', { type: 'get message', content: reply.text, label: 'response', reasoning: reply.reasoning, model: reply.model });
    recorder.countRequest();

    let step: Step;
    try {
      const move = game.parse(this.state, slot, reply.text, this.ctx, { model: reply.model ?? null });
      step = game.advance(this.state, slot, move, this.ctx);
    } catch (e) {
      if (hasCode(e, 'parse_error')) {
        recorder.countViolation();
        recorder.event('GM', 'GM', { type: 'invalid format', content: e.message });
        this.ended = 'aborted';
        return;
      }
      if (hasCode(e, 'rule_violation')) {
        recorder.event('GM', 'GM', { type: 'rule violation', content: e.message });
        this.ended = 'lose';
        return;
      }
      throw e;
    }
    if (step.kind === 'end') {
      if (step.reason) recorder.event('GM', 'GM', { type: 'game end', content: step.reason });
      this.ended = step.outcome;
      return;
    }
    const next = step.next ?? (this.current + 1) % this.slots.length;
    // Checked before the round advances, so the limit is recorded in the last played round, not a new empty one.
    if (recorder.requestTotal >= this.maxRequests) {
      recorder.event('GM', 'GM', { type: 'turn limit', content: `the episode reached ${this.maxRequests} requests` });
      this.ended = 'lose';
      return;
    }
    if (!step.reprompt && this.position(next) <= this.position(this.current)) {
      game.onRoundEnd?.(this.state, recorder.round, this.ctx);
      recorder.nextRound();
    }
    this.current = next;
  }

  /**
   * interactions.json as it stands: every event so far, the request counts and the outcome keys (all 0 while
   * the episode has not ended; `meta.completed` says whether it has).
   */
  interactions(info: InteractionsInfo): Interactions {
    const recorder = this.recorder;
    const outcome = this.ended;
    const players: Interactions['players'] = { GM: { game_role: 'Game Master', model_name: 'programmatic' } };
    this.slots.forEach((s, i) => (players[s.name] = { game_role: s.role, model_name: info.modelNames[i] ?? 'unknown' }));
    return {
      meta: {
        game_name: this.opts.gameName,
        experiment_name: info.experimentName,
        game_id: info.gameId,
        results_folder: info.resultsFolder,
        clem_version: info.clemVersion,
        round_count: recorder.rounds.length,
        completed: outcome !== undefined,
        format_version: INTERACTIONS_FORMAT_VERSION,
        seed: this.opts.seed,
      },
      player_models: info.playerModels,
      players,
      turns: recorder.rounds.map((events) => [...events]),
      'Request Count': [...recorder.requests],
      'Parsed Request Count': [...recorder.parsed],
      'Violated Request Count': [...recorder.violated],
      ...recorder.keys,
      Aborted: outcome === 'aborted' ? 1 : 0,
      Lose: outcome === 'lose' ? 1 : 0,
      Success: outcome === 'success' ? 1 : 0,
    };
  }
}

/**
 * Plays one episode: asks players in turn, parses and advances through the game's hooks, and records
 * everything. Outcome errors (ParseError → aborted, RuleViolation → lost) never escape; failures (a backend
 * that keeps failing, a bug in a hook) do, and the runner records them as an errored episode.
 */
export async function playEpisode(opts: PlayEpisodeOptions): Promise<EpisodeResult> {
  const slots: PlayerSlot[] = opts.players.map((p, index) => ({ index, name: p.name, role: p.role }));
  const session = new EpisodeSession({ ...opts, slots });
  for (let turn = session.begin(); turn !== null; turn = session.begin()) {
    const player = opts.players[turn.slot.index] as Player;
    const reply = await player.respond(turn.context, session.round, opts.signal);
    session.submit(reply);
  }
  const interactions = session.interactions({
    experimentName: opts.experimentName,
    gameId: opts.gameId,
    resultsFolder: opts.resultsFolder,
    clemVersion: opts.clemVersion,
    playerModels: opts.playerModels,
    modelNames: opts.players.map((p) => p.modelName),
  });
  return { outcome: session.outcome as Outcome, interactions };
}
