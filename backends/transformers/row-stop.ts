import { StoppingCriteria } from '@huggingface/transformers';

/** Why a row ended: an EOS token, one of its stop strings, or its own token limit. */
export type RowEnd = 'eos' | 'stop' | 'length' | 'aborted';

export interface RowLimits {
  maxTokens: number;
  stop: readonly string[];
  /** The caller gave up: the row ends now (the batch ends early once every row has). */
  signal?: AbortSignal | undefined;
}

/**
 * Per-row, sticky stopping for a batched generate(). transformers.js stops a batch only when every row's
 * *last* token is EOS in the same step, so a row that ended earlier would keep the batch running to
 * max_new_tokens; this criterion remembers each row's end (EOS, a stop string in its decoded text, or its
 * own maxTokens) and keeps reporting it done. `ends[r]` holds the generated length at the end and why.
 */
export class RowStopCriteria extends StoppingCriteria {
  readonly ends: ({ length: number; reason: RowEnd } | undefined)[];

  constructor(
    private readonly promptWidth: number,
    private readonly rows: readonly RowLimits[],
    private readonly eosIds: ReadonlySet<number>,
    private readonly decode: (ids: number[]) => string,
  ) {
    super();
    this.ends = rows.map(() => undefined);
  }

  override _call(inputIds: number[][]): boolean[] {
    return inputIds.map((ids, r) => {
      if (this.ends[r] !== undefined) return true;
      const limits = this.rows[r];
      if (!limits) return true;
      const generated = ids.slice(this.promptWidth).map(Number);
      const last = generated.at(-1);
      if (limits.signal?.aborted === true) this.ends[r] = { length: generated.length, reason: 'aborted' };
      else if (last !== undefined && this.eosIds.has(last)) this.ends[r] = { length: generated.length - 1, reason: 'eos' };
      else if (limits.stop.length > 0 && limits.stop.some((s) => s !== '' && this.decode(generated).includes(s))) {
        this.ends[r] = { length: generated.length, reason: 'stop' };
      } else if (generated.length >= limits.maxTokens) this.ends[r] = { length: limits.maxTokens, reason: 'length' };
      return this.ends[r] !== undefined;
    });
  }
}
