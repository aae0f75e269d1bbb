import type { z } from 'zod';
import type { Program } from '../backends/programmatic/program.js';
import type { Interactions } from '../registry/interactions.js';
import type { JsonValue } from '../registry/json.js';
import type { Rng } from '../base/rng.js';

/** One seat at the table: `Player 1` … in turn order, with its role from clemgame.json's `roles`. */
export interface PlayerSlot {
  readonly index: number;
  /** "Player 1", "Player 2", … (clemcore's naming). */
  readonly name: string;
  readonly role: string;
}

/** What the framework gives a game for one episode. Games do no I/O: everything comes through here. */
export interface EpisodeContext<E = Readonly<Record<string, unknown>>> {
  /** Seeded per episode: the same seed, instance and players give the same episode. */
  readonly rng: Rng;
  readonly players: readonly PlayerSlot[];
  /** The experiment's fields (instances.json, without `game_instances`), parsed by the game's schema. */
  readonly experiment: E;
  /** Renders one of the game's Handlebars templates (`prompts/<name>.hbs`); a missing variable throws. */
  render(template: string, vars: Record<string, unknown>): string;
  /** Records a game master event (GM → GM) in the current round. */
  log(type: string, content: JsonValue): void;
  /** Sets a top-level key of interactions.json (scorers read them). Outcome and count keys are reserved. */
  setKey(key: string, value: JsonValue): void;
  /** Counts the current reply as violated without ending the episode (lenient modes). */
  noteViolation(reason: string): void;
}

/**
 * Who produced a reply: `model` is the model the player's backend handed the turn to (a program's fallback
 * model, `-m kb-oracle+gpt-4o-mini`), null when the player's own model answered.
 */
export interface ReplySource {
  readonly model: string | null;
}

/** What `advance` decides: go on (optionally naming who moves next) or end. */
export type Step =
  | {
      kind: 'continue';
      /** Index of the next player; default: the next one in turn order. */
      next?: number;
      /** The same player is asked again in the same round (a re-prompt); the round does not advance. */
      reprompt?: boolean;
    }
  | { kind: 'end'; outcome: 'success' | 'lose'; reason?: string };

export type ScoreMap = Record<string, number | null>;

/** Everything a scorer may read: the recorded episode, never live state, so `score` never replays. */
export interface EpisodeRecord<I = unknown, E = Readonly<Record<string, unknown>>> {
  interactions: Interactions;
  instance: I;
  experiment: E;
}

export interface EpisodeScores {
  /** Per round, in order; the framework adds the request counts of each round. */
  rounds: ScoreMap[];
  /** Must include `Main Score` (0–100, or null); the framework adds outcomes and request counts and forces
   *  `Main Score` to null when the episode was aborted. */
  episode: ScoreMap;
}

/**
 * A dialogue game: a few small hooks; the framework owns the loop, turn order, request counts, outcome and
 * recording. `parse` checks form (throw ParseError → aborted); `advance` checks rules and changes state
 * (throw RuleViolation → lost, or return an end step).
 */
export interface DialogueGame<I = unknown, S = unknown, M = unknown, E = Readonly<Record<string, unknown>>> {
  readonly instanceSchema: z.ZodType<I>;
  /** Schema of the experiment-level fields (shared parameters, options); default: anything. */
  readonly experimentSchema?: z.ZodType<E>;
  setup(instance: I, ctx: EpisodeContext<E>): S;
  /** Index of the player who moves first; default 0. */
  firstPlayer?(state: S): number;
  /** The new message this player sees now (the framework keeps each player's history). */
  prompt(state: S, player: PlayerSlot, ctx: EpisodeContext<E>): string;
  /** `from`: who produced the reply (ReplySource); games that do not care ignore it. */
  parse(state: S, player: PlayerSlot, reply: string, ctx: EpisodeContext<E>, from?: ReplySource): M;
  advance(state: S, player: PlayerSlot, move: M, ctx: EpisodeContext<E>): Step;
  /** Called when every player has moved (a round ends) and the game goes on. */
  onRoundEnd?(state: S, round: number, ctx: EpisodeContext<E>): void;
  /** Safety cap on requests per episode; reaching it ends the episode as lost. Default 100. */
  readonly maxRequests?: number;
  score(record: EpisodeRecord<I, E>): EpisodeScores;
}

/** What a game's `master.ts` exports as default. */
export interface GameModule {
  /** Erased to unknown at the registry boundary; each game is typed inside (hooks are methods, so this assigns). */
  readonly game: DialogueGame<unknown, unknown, unknown, unknown>;
  /** Programmatic players this game registers, named `<game_name>/<program>` or a bare name (e.g. kb-oracle). */
  readonly programs?: readonly Program[];
  /** Proxy rewards this game gives learners (its own, and hooks for the generic ones): see core/rewards.ts. */
  readonly rewards?: import('./rewards.js').GameRewards;
  /** Game-specific mock replies per role, used by `-m mock`. */
  readonly mock?: Program;
  /** Writes the instances file content from a seed (reproducible). */
  generateInstances?(seed: number, options?: Record<string, unknown>): import('../registry/instances.js').InstancesFile;
  /**
   * A game defined in code (passed to `run()` as an object, or a single `master.ts` given by path) has no
   * clemgame.json: its entry is given here. `players` defaults to the number of roles, `main_game` to the name,
   * `languages` to ["en"], `benchmark` to []. In a game folder, clemgame.json wins.
   */
  readonly spec?: CodeGameSpec;
  /** Prompt templates by name (what `ctx.render(name)` renders), for a game defined in code; `prompts/*.hbs` win in a folder. */
  readonly templates?: Readonly<Record<string, string>>;
  /** The instances, for a game defined in code (default: `generateInstances(1)`); `in/<name>.json` wins in a folder. */
  readonly instances?: import('../registry/instances.js').InstancesFile;
}

/** clemgame.json fields of a game defined in code: a name and the roles; the rest have defaults. */
export type CodeGameSpec = { readonly game_name: string; readonly roles: readonly string[] } & Readonly<
  Partial<Omit<import('../registry/game-spec.js').GameSpec, 'game_name' | 'roles'>>
>;

/** Helper that keeps a game's types checked while erasing them for the registry. */
export function defineGame<I, S, M, E = Readonly<Record<string, unknown>>>(game: DialogueGame<I, S, M, E>): DialogueGame<I, S, M, E> {
  return game;
}
