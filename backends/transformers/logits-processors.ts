import { LogitsProcessor, type Tensor } from '@huggingface/transformers';

/**
 * Nucleus (top-p) filtering: keeps, per row, the most probable tokens whose probabilities first add up to
 * `topP` (at least one) and sets the others to −∞. transformers.js 4.3 ignores `top_p` in generate()
 * (its TopPLogitsWarper is a stub), so the backend passes this processor instead.
 */
export class TopPFilter extends LogitsProcessor {
  constructor(private readonly topP: number) {
    super();
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data as Float32Array;
    const vocab = logits.dims.at(-1) ?? data.length;
    for (let start = 0; start < data.length; start += vocab) {
      const row = data.subarray(start, start + vocab);
      const order = Array.from(row.keys()).sort((a, b) => (row[b] as number) - (row[a] as number));
      const m = row[order[0] ?? 0] as number;
      let z = 0;
      for (const x of row) z += Math.exp(x - m);
      let cum = 0;
      let keep = 0;
      while (keep < order.length && (keep === 0 || cum < this.topP)) cum += Math.exp((row[order[keep++] as number] as number) - m) / z;
      for (let i = keep; i < order.length; i++) row[order[i] as number] = -Infinity;
    }
    return logits;
  }
}

export interface StepLogprob {
  tokenId: number;
  logprob: number;
  top: { tokenId: number; logprob: number }[];
}

/**
 * Records, per row, the log-probability of each generated token under the model's own distribution
 * (log-softmax of the raw logits; `temperature` undoes the temperature warper that runs before this
 * processor) and the `topN` most likely alternatives. Leaves the logits unchanged. Call `finish` with the
 * final sequences after generate() to record the last step.
 */
export class LogprobRecorder extends LogitsProcessor {
  readonly rows: StepLogprob[][] = [];
  private previous: Float32Array | null = null;
  private vocab = 0;

  constructor(
    private readonly promptWidth: number,
    private readonly temperature: number,
    private readonly topN: number,
  ) {
    super();
  }

  override _call(inputIds: bigint[][], logits: Tensor): Tensor {
    this.collect(inputIds);
    const data = logits.data as Float32Array;
    this.vocab = logits.dims.at(-1) ?? data.length;
    const scaled = Float32Array.from(data, (x) => x * this.temperature);
    for (let start = 0; start < scaled.length; start += this.vocab) {
      const row = scaled.subarray(start, start + this.vocab);
      let m = -Infinity;
      for (const x of row) if (x > m) m = x;
      let z = 0;
      for (const x of row) z += Math.exp(x - m);
      const lz = m + Math.log(z);
      for (let i = 0; i < row.length; i++) row[i] = (row[i] as number) - lz;
    }
    this.previous = scaled;
    return logits;
  }

  /** Records the tokens chosen after the last processed step. */
  finish(sequences: readonly (readonly bigint[])[]): void {
    this.collect(sequences);
    this.previous = null;
  }

  private collect(ids: readonly (readonly bigint[])[]): void {
    const prev = this.previous;
    if (prev === null) return;
    ids.forEach((seq, r) => {
      const chosen = Number(seq[seq.length - 1]);
      const step = (this.rows[r] ??= []).length;
      if (seq.length !== this.promptWidth + step + 1) return;
      const row = prev.subarray(r * this.vocab, (r + 1) * this.vocab);
      const top: { tokenId: number; logprob: number }[] = [];
      if (this.topN > 0) {
        for (let i = 0; i < row.length; i++) {
          const lp = row[i] as number;
          if (top.length < this.topN || lp > (top[top.length - 1]?.logprob ?? -Infinity)) {
            top.push({ tokenId: i, logprob: lp });
            top.sort((a, b) => b.logprob - a.logprob);
            if (top.length > this.topN) top.pop();
          }
        }
      }
      this.rows[r]?.push({ tokenId: chosen, logprob: row[chosen] as number, top });
    });
  }
}
