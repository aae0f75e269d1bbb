/**
 * The one small interface every model sits behind: API models, local models and programmatic players alike.
 * Third-party types never leave a backend's folder; everything here is plain data.
 */

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  content: string;
}

/** Generation arguments. Units are in the names; anything a backend cannot honour becomes a warning. */
export interface GenerationArgs {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  /** Number of samples to return (choices). Default 1. */
  n?: number;
  /** Return per-token log-probabilities of the generated text, with this many alternatives per token. */
  logprobs?: boolean;
  topLogprobs?: number;
}

/** What a programmatic player may know about the episode; model backends ignore it. */
export interface EpisodeInfo {
  gameName: string;
  experimentName: string;
  gameId: number;
  role: string;
  playerName: string;
  /** The game instance as recorded in instance.json (programmatic oracles read it; models never see it). */
  instance: Readonly<Record<string, unknown>>;
}

export interface GenerateRequest {
  messages: ChatMessage[];
  args: GenerationArgs;
  episode?: EpisodeInfo;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'error' | 'other';

export interface TokenLogprob {
  token: string;
  logprob: number;
  top?: { token: string; logprob: number }[];
}

export interface Choice {
  text: string;
  /**
   * The model that produced this choice when the backend handed the turn to another model (a program's
   * fallback model, `-m kb-oracle+gpt-4o-mini`); absent when the backend answered itself.
   */
  model?: string;
  /** Reasoning or thinking text, when the model returns it apart from the reply. */
  reasoning?: string;
  finish: FinishReason;
  rawFinish?: string;
  logprobs?: TokenLogprob[];
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface GenerateResult {
  choices: Choice[];
  usage: Usage;
  latencyMs: number;
  /** What went over the wire (or into the local model), for the requests log. Never holds a key. */
  call: { request: unknown; response: unknown };
  /** Options this backend ignored, and why. */
  warnings: string[];
  /** Cost in US dollars when the registry gives prices; null when unknown. */
  costUsd?: number | null;
  /** Set when the reply came from the response cache: usage, latency and cost are then 0, the original ones are here. */
  cache?: CacheHit;
}

/** Where a cached reply came from (wrappers/cache.ts). */
export interface CacheHit {
  key: string;
  createdAt: string;
  usage: Usage;
  latencyMs: number;
  costUsd: number | null;
}

export interface ScoreRequest {
  /** The conversation the continuation follows (chat template applied by the backend). */
  messages: ChatMessage[];
  /** The assistant continuation to score: the reply that follows `messages`, rendered by the chat template. */
  continuation: string;
  /**
   * Also score the end-of-turn token(s) the template writes after the reply (a whole reply, as DPO scores it).
   * Default true; false scores the reply's own tokens only (the probability of a prefix of a reply).
   */
  endOfTurn?: boolean;
}

export interface ScoreResult {
  /** Natural-log probability of each continuation token (with the end-of-turn token unless asked not to), in order. */
  tokenLogprobs: number[];
  tokens: string[];
  /** Sum of tokenLogprobs. */
  logprob: number;
  /** Local backends: how many continuations shared the forward pass that scored this one. */
  batchRows?: number;
}

export interface BackendCapabilities {
  /** `score()` is available. */
  score: boolean;
  /** Per-token logprobs of generated text. */
  logprobs: boolean;
  /** More than one choice per request. */
  n: boolean;
  /** Seeded sampling is honoured. */
  seed: boolean;
  /** Concurrent requests are batched together. */
  batching: boolean;
}

export interface Backend {
  /** model_name in the registry. */
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  /** Programmatic backends need no tokens or money and are never rate-limited. */
  readonly isProgrammatic?: boolean;
  /** The model's context in tokens (the registry's `context_size`), when known; players refuse prompts that cannot fit. */
  readonly contextTokens?: number;
  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult>;
  score?(request: ScoreRequest, signal?: AbortSignal): Promise<ScoreResult>;
  close(): Promise<void>;
}

/** A function that takes a backend and returns one with extra behaviour (retry, limit, record). */
export type BackendWrapper = (inner: Backend) => Backend;

export const NO_CAPABILITIES: BackendCapabilities = { score: false, logprobs: false, n: false, seed: false, batching: false };
