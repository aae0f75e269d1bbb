import { Tensor } from '@huggingface/transformers';
import type { LoadedModel } from './load.js';

/**
 * Natural-log probability of each continuation token given the prompt and the tokens before it, from one
 * teacher-forced forward pass (log-softmax of the logits at position t−1, gathered at token t).
 * Throws if the prompt is empty (the first token would have no context).
 */
export async function continuationLogprobs(loaded: LoadedModel, promptIds: number[], continuationIds: number[]): Promise<number[]> {
  if (promptIds.length === 0) throw new Error('cannot score a continuation without a prompt token');
  if (continuationIds.length === 0) return [];
  const all = [...promptIds, ...continuationIds];
  const n = all.length;
  const inputIds = new Tensor('int64', BigInt64Array.from(all.map(BigInt)), [1, n]);
  const mask = new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]);
  const out = (await loaded.model.forward({ input_ids: inputIds, attention_mask: mask })) as { logits: Tensor };
  const logits = out.logits.data as Float32Array;
  const vocab = out.logits.dims[2] ?? 0;
  const result: number[] = [];
  for (let t = promptIds.length; t < n; t++) {
    const row = logits.subarray((t - 1) * vocab, t * vocab);
    let m = -Infinity;
    for (const x of row) if (x > m) m = x;
    let z = 0;
    for (const x of row) z += Math.exp(x - m);
    result.push((row[all[t] as number] as number) - m - Math.log(z));
  }
  return result;
}
