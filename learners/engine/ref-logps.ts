import { existsSync, readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../../base/atomic.js';
import type { LlamaConfig, LlamaWeights } from '../../backends/onnx/index.js';
import { parseJsonFile } from '../../registry/parse.js';
import { TrainingGraph } from './graph/index.js';
import { RefLogpsFileSchema } from './ref-logps-file.js';
import type { TrainingExample } from './training-data.js';

export { RefLogpsFileSchema } from './ref-logps-file.js';

export interface RefLogpsOptions {
  config: LlamaConfig;
  weights: LlamaWeights;
  examples: readonly TrainingExample[];
  batchSize: number;
  seqBuckets: readonly number[];
  padId: number;
  threads: number;
  /** Cache file and the key its values must carry. */
  cacheFile: string;
  key: string;
}

/**
 * The reference log-probs of every DPO pair: the dataset's own (`ref_chosen_logps` / `ref_rejected_logps`)
 * when it has them, else the cached file when its key matches, else one forward-only pass of the base model
 * (policy = reference before training) over every pair, written to the cache.
 */
export async function referenceLogps(o: RefLogpsOptions): Promise<[number, number][]> {
  const given = o.examples.map((e) => (e.kind === 'pair' ? e.ref : null));
  if (given.every((r) => r !== null)) return given as [number, number][];
  if (existsSync(o.cacheFile)) {
    const cached = parseJsonFile(RefLogpsFileSchema, o.cacheFile, readFileSync(o.cacheFile, 'utf8'));
    if (cached.key === o.key && cached.values.length === o.examples.length) return cached.values;
  }
  const graph = new TrainingGraph(o.config, o.weights, { loss: 'logprobs', lora: null, threads: o.threads, seqBuckets: o.seqBuckets });
  const values: [number, number][] = [];
  const pad = { ids: [o.padId], mask: [0] };
  try {
    for (let at = 0; at < o.examples.length; at += o.batchSize) {
      const chunk = o.examples.slice(at, at + o.batchSize);
      const rows = [...chunk.map((e) => (e.kind === 'pair' ? e.chosen : pad)), ...chunk.map((e) => (e.kind === 'pair' ? e.rejected : pad))];
      const out = await graph.run({ rows: rows.map((r) => ({ ids: r.ids, mask: r.mask })) }, new Map());
      chunk.forEach((_, j) => values.push([out.seqLogps[j] as number, out.seqLogps[chunk.length + j] as number]));
    }
  } finally {
    await graph.close();
  }
  writeJsonAtomic(o.cacheFile, { version: 1, key: o.key, values });
  return values;
}
