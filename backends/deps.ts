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
  /**
   * The environment hub downloads read (HF_HOME, HF_HUB_CACHE, HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE), as
   * Python's huggingface_hub reads them. Absent: the process's.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Hears download progress of model files (the CLI draws a bar with bytes and ETA). */
  onDownload?: (event: import('./hub/progress.js').DownloadEvent) => void;
  /** Memory available for a new model in bytes (tests inject a small figure); absent: measured (backends/memory.ts). */
  availableMemory?: () => number;
  /** Hears warnings the user should see once per model (a server ignoring the token limit); they are in the requests log too. */
  onWarning?: (message: string) => void;
}
