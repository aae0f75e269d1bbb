import type { KeyRing } from '../registry/keys.js';

/** Everything a backend needs from outside is passed in; no backend reads globals. */
export interface BackendDeps {
  keys: KeyRing;
  /** Folder for caches (merged LoRA models, downloaded files). */
  cacheDir: string;
  /** Folder local model ids are resolved against, besides absolute paths. */
  modelsDir?: string;
  /** Programs that programmatic backends can run (built-ins plus each game's). */
  programs?: ReadonlyMap<string, import('./programmatic/program.js').Program>;
  /**
   * The backend of another model, as the run shares it (one per model, with its retries and limits): how a
   * program gets its fallback model. Absent: the program's backend creates the model itself and closes it.
   */
  modelFor?: (spec: import('../registry/model-spec.js').ModelSpec) => Promise<import('./backend.js').Backend>;
  /** Clock for latency measurement (ms). */
  now?: () => number;
  /** Injected fetch (tests, or a proxy-aware fetch): API backends call through it instead of their node:http pool. */
  fetch?: typeof fetch;
  /** Hears warnings the user should see once per model (a server ignoring the token limit); they are in the requests log too. */
  onWarning?: (message: string) => void;
}
