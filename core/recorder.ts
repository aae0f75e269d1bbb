import type { GameEvent } from '../registry/interactions.js';
import type { JsonValue } from '../registry/json.js';

const RESERVED_KEYS = new Set([
  'meta', 'player_models', 'players', 'turns', 'Request Count', 'Parsed Request Count', 'Violated Request Count',
  'Aborted', 'Lose', 'Success',
]);

/**
 * Collects one episode's events and per-round request counts in clemcore's interactions.json shape. Rounds
 * are opened lazily, so the record never ends with an empty round.
 */
export class EpisodeRecorder {
  readonly rounds: GameEvent[][] = [];
  readonly requests: number[] = [];
  readonly parsed: number[] = [];
  readonly violated: number[] = [];
  readonly keys: Record<string, JsonValue> = {};
  round = 0;

  constructor(private readonly clock: () => Date) {}

  private open(): number {
    while (this.rounds.length <= this.round) {
      this.rounds.push([]);
      this.requests.push(0);
      this.parsed.push(0);
      this.violated.push(0);
    }
    return this.round;
  }

  event(from: string, to: string, action: { type: string; content: JsonValue; [extra: string]: JsonValue | undefined }): void {
    const r = this.open();
    const clean = Object.fromEntries(Object.entries(action).filter(([, v]) => v !== undefined)) as GameEvent['action'];
    (this.rounds[r] as GameEvent[]).push({ from, to, timestamp: this.clock().toISOString(), action: clean });
  }

  countRequest(): void {
    const r = this.open();
    this.requests[r] = (this.requests[r] ?? 0) + 1;
    this.parsed[r] = (this.parsed[r] ?? 0) + 1;
  }

  /** Turns the current round's last parsed request into a violated one. */
  countViolation(): void {
    const r = this.open();
    this.violated[r] = (this.violated[r] ?? 0) + 1;
    this.parsed[r] = Math.max(0, (this.parsed[r] ?? 0) - 1);
  }

  setKey(key: string, value: JsonValue): void {
    if (RESERVED_KEYS.has(key)) throw new Error(`interactions key '${key}' is reserved for the framework`);
    this.keys[key] = value;
  }

  nextRound(): void {
    this.round += 1;
  }

  get requestTotal(): number {
    return this.requests.reduce((a, b) => a + b, 0);
  }
}
