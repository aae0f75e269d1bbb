import type { Backend, ChatMessage, EpisodeInfo, GenerateResult, GenerationArgs } from '../backends/backend.js';
import { ContextTracker } from '../backends/context.js';

/** One model call as recorded in player_N.requests.json (clemcore 3.5+ shape plus usage and latency). */
export interface RecordedCall {
  round: number;
  call: {
    timestamp: string;
    manipulated_prompt_obj: unknown;
    raw_response_obj: unknown;
  };
  usage: { input_tokens: number; output_tokens: number };
  latency_ms: number;
  cost_usd: number | null;
  warnings: string[];
  /** Only on a reply from the response cache (usage, latency and cost above are then 0): the original call's. */
  cache?: { hit: true; created_at: string; usage: { input_tokens: number; output_tokens: number }; latency_ms: number; cost_usd: number | null };
}

export interface PlayerReply {
  text: string;
  reasoning?: string;
  /** The model that produced the reply when the backend handed the turn to another model (Choice.model). */
  model?: string;
  result: GenerateResult;
}

/**
 * A player: a role's own message history (its perspective of the dialogue) and the backend that answers
 * for it. Model-backed and programmatic players are the same class: only the backend differs.
 */
export class Player {
  readonly history: ChatMessage[] = [];
  readonly calls: RecordedCall[] = [];
  private readonly context: ContextTracker;

  constructor(
    readonly name: string,
    readonly role: string,
    readonly backend: Backend,
    readonly args: GenerationArgs,
    private readonly episode: Omit<EpisodeInfo, 'role' | 'playerName'>,
    private readonly clock: () => Date,
  ) {
    this.context = new ContextTracker(backend.name, backend.contextTokens);
  }

  get modelName(): string {
    return this.backend.name;
  }

  /**
   * Adds `context` to the history as a user message, asks the backend, and remembers the reply. Throws
   * ContextExceededError (a failure: the episode is recorded as errored) when the prompt cannot fit the model's
   * context (registry context_size) or the server reports fewer prompt tokens than last time although the
   * history grew (it truncated the prompt); the call is recorded first.
   */
  async respond(context: string, round: number, signal?: AbortSignal): Promise<PlayerReply> {
    this.history.push({ role: 'user', content: context });
    const timestamp = this.clock().toISOString();
    const messages = [...this.history];
    this.context.before(messages);
    const result = await this.backend.generate(
      {
        messages,
        args: this.args,
        episode: { ...this.episode, role: this.role, playerName: this.name },
      },
      signal,
    );
    const choice = result.choices[0];
    if (choice === undefined) throw new Error(`${this.backend.name}: the backend returned no choice`);
    this.history.push({ role: 'assistant', content: choice.text });
    this.calls.push({
      round,
      call: { timestamp, manipulated_prompt_obj: result.call.request, raw_response_obj: result.call.response },
      usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
      latency_ms: result.latencyMs,
      cost_usd: result.costUsd ?? null,
      warnings: result.warnings,
      ...(result.cache
        ? {
            cache: {
              hit: true as const,
              created_at: result.cache.createdAt,
              usage: { input_tokens: result.cache.usage.inputTokens, output_tokens: result.cache.usage.outputTokens },
              latency_ms: result.cache.latencyMs,
              cost_usd: result.cache.costUsd,
            },
          }
        : {}),
    });
    this.context.after(messages, result.cache ? result.cache.usage : result.usage);
    return { text: choice.text, ...(choice.reasoning !== undefined ? { reasoning: choice.reasoning } : {}), ...(choice.model !== undefined ? { model: choice.model } : {}), result };
  }

  /**
   * Adds a turn this player's backend did not play (a reply replayed from a record, or a candidate chosen
   * elsewhere) to its history, as if it had answered `context` with `reply`. No call is made or recorded.
   */
  remember(context: string, reply: string): void {
    this.history.push({ role: 'user', content: context }, { role: 'assistant', content: reply });
  }

  /** The requests file content (without meta): the calls as recorded (plain data from JSON or the backend). */
  toRequestsLog(): readonly RecordedCall[] {
    return this.calls;
  }
}
