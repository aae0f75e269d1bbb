import type { GenerateRequest } from '../backend.js';

/**
 * A programmatic player: a function from the request (the player's whole message history plus the episode
 * info) to a reply. Oracles, baselines, mocks and the human player are programs behind the same Backend
 * interface as models. A program keeps no state between calls except what it can derive from the messages
 * (so episodes can run concurrently on one backend).
 */
export interface Program {
  readonly name: string;
  readonly description: string;
  respond(request: GenerateRequest, signal?: AbortSignal): string | Promise<string>;
}
