import { hasCode } from '../base/errors.js';
import type { DialogueGame, EpisodeContext, PlayerSlot, Step } from './game.js';
import { EpisodeRecorder } from './recorder.js';
import { createRng } from '../base/rng.js';
import type { TemplateSet } from './templates.js';
import type { Player } from '../players/player.js';
import { INTERACTIONS_FORMAT_VERSION, type Interactions } from '../registry/interactions.js';
import type { JsonValue } from '../registry/json.js';

export type Outcome = 'success' | 'lose' | 'aborted';

export interface PlayEpisodeOptions {
  game: DialogueGame<unknown, unknown, unknown, unknown>;
  gameName: string;
  experimentName: string;
  gameId: number;
  /** The raw instance and experiment (as in instances.json); parsed here by the game's schemas. */
  instance: Record<string, unknown>;
  experiment: Record<string, unknown>;
  players: readonly Player[];
  templates: TemplateSet;
  seed: number;
  /** Recorded in meta.results_folder (the run folder name). */
  resultsFolder: string;
  playerModels: Record<string, JsonValue>;
  clemVersion: string;
  clock?: () => Date;
  signal?: AbortSignal;
}

export interface EpisodeResult {
  outcome: Outcome;
  interactions: Interactions;
}

const DEFAULT_MAX_REQUESTS = 100;

/**
 * Plays one episode: asks players in turn, parses and advances through the game's hooks, and records
 * everything. Outcome errors (ParseError → aborted, RuleViolation → lost) never escape; failures (a backend
 * that keeps failing, a bug in a hook) do, and the runner records them as an errored episode.
 */
export async function playEpisode(opts: PlayEpisodeOptions): Promise<EpisodeResult> {
  const clock = opts.clock ?? (() => new Date());
  const { game } = opts;
  const recorder = new EpisodeRecorder(clock);
  const slots: PlayerSlot[] = opts.players.map((p, index) => ({ index, name: p.name, role: p.role }));
  const experiment = game.experimentSchema ? game.experimentSchema.parse(opts.experiment) : opts.experiment;
  const instance = game.instanceSchema.parse(opts.instance);

  const ctx: EpisodeContext<unknown> = {
    rng: createRng(opts.seed),
    players: slots,
    experiment,
    render: (template, vars) => opts.templates.render(template, vars),
    log: (type, content) => recorder.event('GM', 'GM', { type, content }),
    setKey: (key, value) => recorder.setKey(key, value),
    noteViolation: (reason) => {
      recorder.countViolation();
      recorder.event('GM', 'GM', { type: 'violation noted', content: reason });
    },
  };

  const state = game.setup(instance, ctx);
  const first = game.firstPlayer?.(state) ?? 0;
  // A round ends when play comes back round to the first player, which need not be index 0.
  const position = (index: number): number => (index - first + slots.length) % slots.length;
  let current = first;
  let outcome: Outcome | undefined;
  const maxRequests = game.maxRequests ?? DEFAULT_MAX_REQUESTS;

  while (outcome === undefined) {
    const slot = slots[current];
    const player = opts.players[current];
    if (!slot || !player) throw new Error(`${opts.gameName}: the game named player index ${current}, but there are ${slots.length} players`);
    const context = game.prompt(state, slot, ctx);
    recorder.event('GM', slot.name, { type: 'send message', content: context, label: 'context' });
    const reply = await player.respond(context, recorder.round, opts.signal);
    // `model` only when another model answered for the player (a program's fallback model)
    recorder.event(slot.name, 'GM', { type: 'get message', content: reply.text, label: 'response', reasoning: reply.reasoning, model: reply.model });
    recorder.countRequest();

    let step: Step;
    try {
      const move = game.parse(state, slot, reply.text, ctx, { model: reply.model ?? null });
      step = game.advance(state, slot, move, ctx);
    } catch (e) {
      if (hasCode(e, 'parse_error')) {
        recorder.countViolation();
        recorder.event('GM', 'GM', { type: 'invalid format', content: e.message });
        outcome = 'aborted';
        break;
      }
      if (hasCode(e, 'rule_violation')) {
        recorder.event('GM', 'GM', { type: 'rule violation', content: e.message });
        outcome = 'lose';
        break;
      }
      throw e;
    }
    if (step.kind === 'end') {
      if (step.reason) recorder.event('GM', 'GM', { type: 'game end', content: step.reason });
      outcome = step.outcome;
      break;
    }
    const next = step.next ?? (current + 1) % slots.length;
    // Checked before the round advances, so the limit is recorded in the last played round, not a new empty one.
    if (recorder.requestTotal >= maxRequests) {
      recorder.event('GM', 'GM', { type: 'turn limit', content: `the episode reached ${maxRequests} requests` });
      outcome = 'lose';
      break;
    }
    if (!step.reprompt && position(next) <= position(current)) {
      game.onRoundEnd?.(state, recorder.round, ctx);
      recorder.nextRound();
    }
    current = next;
  }

  const players: Interactions['players'] = { GM: { game_role: 'Game Master', model_name: 'programmatic' } };
  for (const p of opts.players) players[p.name] = { game_role: p.role, model_name: p.modelName };
  const interactions: Interactions = {
    meta: {
      game_name: opts.gameName,
      experiment_name: opts.experimentName,
      game_id: opts.gameId,
      results_folder: opts.resultsFolder,
      clem_version: opts.clemVersion,
      round_count: recorder.rounds.length,
      completed: true,
      format_version: INTERACTIONS_FORMAT_VERSION,
    },
    player_models: opts.playerModels,
    players,
    turns: recorder.rounds,
    'Request Count': recorder.requests,
    'Parsed Request Count': recorder.parsed,
    'Violated Request Count': recorder.violated,
    ...recorder.keys,
    Aborted: outcome === 'aborted' ? 1 : 0,
    Lose: outcome === 'lose' ? 1 : 0,
    Success: outcome === 'success' ? 1 : 0,
  };
  return { outcome, interactions };
}
