/** What the pool needs of a llama.cpp context sequence (node-llama-cpp's LlamaContextSequence fits). */
export interface PooledSequence {
  readonly contextTokens: readonly number[];
}

/**
 * The parallel sequences of one llama.cpp context, lent one request at a time. Requests that run at the same time
 * on different sequences are decoded together (node-llama-cpp batches the evaluations of one context). A
 * request gets the free sequence whose cached tokens share the longest prefix with its prompt (the next turn of
 * an episode finds its earlier turns already evaluated); when none is free it waits, first come first served.
 */
export class SequencePool<S extends PooledSequence> {
  private readonly free: S[];
  private readonly waiting: { prompt: readonly number[]; resolve: (s: S) => void; reject: (e: unknown) => void; signal: AbortSignal | undefined; onAbort: () => void }[] = [];

  constructor(sequences: readonly S[]) {
    this.free = [...sequences];
    this.size = sequences.length;
  }

  /** How many sequences the pool has. */
  readonly size: number;

  /** Sequences lent out now. */
  get busy(): number {
    return this.size - this.free.length;
  }

  /** Lends a sequence for `prompt`; rejects with the signal's reason if aborted while waiting. */
  acquire(prompt: readonly number[], signal?: AbortSignal): Promise<S> {
    signal?.throwIfAborted();
    if (this.free.length > 0) return Promise.resolve(this.take(prompt));
    return new Promise<S>((resolve, reject) => {
      const entry = { prompt, resolve, reject, signal, onAbort: () => undefined };
      entry.onAbort = () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', entry.onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  /** Gives a sequence back; the longest-waiting request gets it. */
  release(sequence: S): void {
    this.free.push(sequence);
    const next = this.waiting.shift();
    if (!next) return;
    next.signal?.removeEventListener('abort', next.onAbort);
    next.resolve(this.take(next.prompt));
  }

  private take(prompt: readonly number[]): S {
    let best = 0;
    let bestShared = -1;
    this.free.forEach((s, i) => {
      const shared = sharedPrefix(s.contextTokens, prompt);
      if (shared > bestShared) [best, bestShared] = [i, shared];
    });
    return this.free.splice(best, 1)[0] as S;
  }
}

/** Length of the common prefix of two token lists. */
export function sharedPrefix(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
