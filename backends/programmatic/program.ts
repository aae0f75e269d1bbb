import type { GenerateRequest } from '../backend.js';

/**
 * What a program may use besides the request: the model it hands turns to (`model_config.fallback_model`,
 * e.g. `-m kb-oracle+gpt-4o-mini`). A program that can answer a turn itself never needs it.
 */
export interface ProgramContext {
  /** Name of the fallback model, or null when none is configured. */
  readonly fallbackModel: string | null;
  /**
   * Hands this turn to the fallback model: it gets the request as given (the player's messages, the
   * generation args, n = 1) and its reply text is returned; the backend reports that model as the one that
   * produced the reply (`Choice.model`) and counts its usage and cost. Throws ConfigError when no fallback
   * model is configured; failures of the model (BackendError…) propagate.
   */
  handOff(request: GenerateRequest, signal?: AbortSignal): Promise<string>;
}

/**
 * A programmatic player: a function from the request (the player's whole message history plus the episode
 * info) to a reply. Oracles, baselines, mocks and the human player are programs behind the same Backend
 * interface as models. A program keeps no state between calls except what it can derive from the messages
 * (so episodes can run concurrently on one backend).
 */
export interface Program {
  readonly name: string;
  readonly description: string;
  respond(request: GenerateRequest, signal?: AbortSignal, context?: ProgramContext): string | Promise<string>;
}
