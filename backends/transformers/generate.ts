import { LogitsProcessorList, StoppingCriteriaList, Tensor, random } from '@huggingface/transformers';
import type { LoadedModel } from './load.js';
import { LogprobRecorder, type StepLogprob, TopPFilter } from './logits-processors.js';
import { type RowEnd, RowStopCriteria } from './row-stop.js';

/** One request as the batcher sees it: the prompt already templated and tokenized, arguments resolved. */
export interface GenJob {
  promptIds: number[];
  /** Rows this job takes in the batch (its `n`). */
  n: number;
  maxTokens: number;
  /** 0 means greedy. */
  temperature: number;
  topP: number | undefined;
  seed: number | undefined;
  /** Generation of this job's rows ends once the decoded text contains one of these. */
  stop: string[];
  /** Record the log-probability of each generated token, with this many alternatives (0: none). */
  logprobs: { top: number } | null;
  /** Aborting ends this job's rows at the next step. */
  signal?: AbortSignal | undefined;
}

export interface GenRow {
  /** Generated ids, without the EOS token, ending where the row ended. */
  tokenIds: number[];
  /** How the row ended. */
  end: RowEnd;
  /** Per generated token, when the job asked for logprobs. */
  logprobs?: StepLogprob[];
}

/**
 * The text of a row's generated ids, special tokens skipped. A row whose first token was EOS generated nothing
 * and reads as the empty reply: transformers.js's `decode` throws on an empty id list, so it is not called.
 */
export function decodeGenerated(tokenizer: { decode(ids: number[], options: { skip_special_tokens: boolean }): string }, ids: number[]): string {
  return ids.length === 0 ? '' : tokenizer.decode(ids, { skip_special_tokens: true });
}

/** Jobs may share one generate() call only when they sample the same way (greedy jobs always can). */
export function batchKey(job: GenJob, uniqueId: () => number): string {
  if (job.temperature <= 0) return 'greedy';
  // A seeded sample is reproducible only if its batch is: it runs alone.
  if (job.seed !== undefined) return `seed:${job.seed}:${uniqueId()}`;
  return `sample:${job.temperature}:${job.topP ?? 1}`;
}

function int64(rows: number[][], width: number): Tensor {
  return new Tensor('int64', BigInt64Array.from(rows.flatMap((r) => r.map(BigInt))), [rows.length, width]);
}

/**
 * Runs one batched, left-padded generate() for jobs sharing a batch key; returns each job's `n` rows.
 * The batch runs until every row has ended (EOS, a stop string of its job, or its job's maxTokens); each row is
 * cut where it ended, so a greedy row equals what the job would give alone.
 */
export async function generateBatch(loaded: LoadedModel, jobs: GenJob[]): Promise<GenRow[][]> {
  const rows = jobs.flatMap((j) => Array.from({ length: j.n }, () => j.promptIds));
  const width = Math.max(...rows.map((r) => r.length));
  const inputIds = rows.map((r) => [...Array<number>(width - r.length).fill(loaded.padId), ...r]);
  const mask = rows.map((r) => [...Array<number>(width - r.length).fill(0), ...Array<number>(r.length).fill(1)]);
  const first = jobs[0];
  if (!first) return [];
  const sample = first.temperature > 0;
  const kwargs: Record<string, unknown> = {
    input_ids: int64(inputIds, width),
    attention_mask: int64(mask, width),
    max_new_tokens: Math.max(...jobs.map((j) => j.maxTokens)),
    do_sample: sample,
    eos_token_id: [...loaded.eosIds],
    pad_token_id: loaded.padId,
  };
  const processors = new LogitsProcessorList();
  const wantLogprobs = jobs.filter((j) => j.logprobs !== null);
  const recorder =
    wantLogprobs.length === 0 ? null : new LogprobRecorder(width, sample ? first.temperature : 1, Math.max(...wantLogprobs.map((j) => j.logprobs?.top ?? 0)));
  if (recorder) processors.push(recorder);
  if (sample) {
    kwargs.temperature = first.temperature;
    if (first.topP !== undefined && first.topP < 1) processors.push(new TopPFilter(first.topP));
    if (first.seed !== undefined) random.seed(first.seed);
  }
  kwargs.logits_processor = processors;
  const criteria = new RowStopCriteria(
    width,
    jobs.flatMap((j) => Array.from({ length: j.n }, () => ({ maxTokens: j.maxTokens, stop: j.stop, signal: j.signal }))),
    loaded.eosIds,
    (ids) => decodeGenerated(loaded.tokenizer, ids),
  );
  const stopping = new StoppingCriteriaList();
  stopping.push(criteria);
  kwargs.stopping_criteria = stopping;
  const out = await loaded.model.generate(kwargs);
  const sequences = (out instanceof Tensor ? out : (out as { sequences: Tensor }).sequences).tolist() as bigint[][];
  recorder?.finish(sequences);
  let r = 0;
  return jobs.map((job) =>
    Array.from({ length: job.n }, () => {
      const generated = (sequences[r] ?? []).slice(width).map(Number);
      const end = criteria.ends[r] ?? { length: Math.min(generated.length, job.maxTokens), reason: 'length' as const };
      const row: GenRow = { tokenIds: generated.slice(0, end.length), end: end.reason };
      if (job.logprobs !== null && recorder) {
        row.logprobs = (recorder.rows[r] ?? []).slice(0, end.length).map((s) => ({ ...s, top: s.top.slice(0, job.logprobs?.top ?? 0) }));
      }
      r++;
      return row;
    }),
  );
}
