import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { LlamaConfig, LlamaWeights } from '../../../backends/onnx/llama-config.js';
import { type Bucket, type GraphBatch, type TrainRow, batchFeeds, collectTargets } from './batch.js';
import { type BuiltGraph, buildTrainingGraph } from './build-graph.js';
import { MaskPrefetcher } from './mask-prefetch.js';
import { DROPOUT_BACKWARD_SUFFIX, type GraphSpec, type LoraOptions, type LossKind, dropoutMaskShapes } from './spec.js';
import type { Precision } from './tape.js';

/** Options of a TrainingGraph: what it computes and how it runs. */
export interface TrainingGraphOptions {
  loss: LossKind;
  /** LoRA adapters (see `loraOptions` for the defaults), or null for none. */
  lora: LoraOptions | null;
  /** Full fine-tuning: gradients of every base weight too. Default false. */
  full?: boolean;
  /** Default float32; float64 for gradient checks. */
  precision?: Precision;
  /** float32: use onnxruntime's fused RMSNorm and rotary kernels (default true; false: standard ops only, as float64). */
  fusedOps?: boolean;
  /**
   * ORT intra-op threads. Default 1: on a machine shared with other work one thread was faster than two
   * (ort-training.md). With more than one, spinning is turned off so idle threads do not steal the cores.
   */
  threads?: number;
  /** Padded sequence lengths to choose from (ascending). Default powers of two from 16 to 8192. */
  seqBuckets?: readonly number[];
  /**
   * `targets` (default): only positions that predict a target token reach lm_head (rounded up to a power of
   * two); `all`: every position does.
   */
  targetRows?: 'targets' | 'all';
  /** Sessions kept open (one per bucket); the least recently used is released beyond this. Default 4. */
  maxSessions?: number;
  /**
   * Where the base weights live. `inputs` (default): fed from the one host copy at every run, shared by all
   * buckets' sessions (required with `full`). `initializers`: stored in each session's graph, where ORT
   * pre-packs them (somewhat faster matmuls, one copy of the weights per session; graphs over 2 GB are
   * written with ONNX external data to a temporary folder).
   */
  weights?: 'inputs' | 'initializers';
  /** With `weights: 'initializers'`: graphs whose weights exceed this many bytes use ONNX external data. Default 1.5 GiB. */
  externalDataAboveBytes?: number;
  /**
   * Profile every run with ORT's profiler, into JSON trace files named `<prefix>_<date>.json` (one per
   * session), written by `endProfiling()`. For benchmarks; off by default.
   */
  profileFilePrefix?: string | null;
  /**
   * Draw the next run's LoRA dropout masks on a worker thread while ORT runs this one (when `run` is told the
   * next run). Default: when the machine has a core beyond `threads`. The masks are the same either way.
   */
  masksAhead?: boolean;
}

/** Parameter tensors fed to a run: LoRA tensors, and (full fine-tuning) base weights that override the model's. */
export type ParamMap = ReadonlyMap<string, Float32Array | Float64Array>;

/** What one run returns; gradients are in the tensor's own layout (PEFT / HF). */
export interface RunResult {
  /** The loss (NaN for a `logprobs` graph). */
  loss: number;
  /** Summed target log-probs per batch row (rows beyond the batch's are 0). */
  seqLogps: Float64Array;
  /** log p of each target token, in the order of the rows and positions (`collectTargets`). */
  tokenLogps: Float64Array;
  /** dL/d(tensor) for each trainable tensor (`TrainingGraph.trainable`). */
  grads: Map<string, Float32Array | Float64Array>;
  bucket: Bucket;
  /** CPU milliseconds of this process spent preparing the feeds (dropout masks included), in ORT, and collecting outputs. */
  cpuMs: { feeds: number; ort: number; outputs: number };
}

interface SessionEntry {
  session: ort.InferenceSession;
  built: BuiltGraph;
}

/** The run after this one, so that its dropout masks can be drawn while this one runs. */
export interface NextRun {
  rows: readonly TrainRow[];
  dropoutSeed: number;
}

/** Graphs with more initializer bytes than this are written with external data (protobuf's limit is 2 GiB). */
const EMBED_LIMIT_BYTES = 1.5 * 2 ** 30;

const DEFAULT_SEQ_BUCKETS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

/**
 * The ORT session options of a training graph with `threads` intra-op threads: all graph optimisations,
 * sequential execution, spinning off above one thread (idle threads must not steal a shared machine's cores),
 * and no memory pattern (ORT's pre-planned block per run on top of the arena: off, a 163M step peaks at 2.2
 * instead of 3.3 GB at the same speed; the arena itself is needed, without it -25%).
 */
export function trainingSessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: threads > 1 ? '0' : '1' } } },
    enableMemPattern: false,
  };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function nextPow2(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}

/**
 * A training graph for one model and loss, run by onnxruntime-node: one session per bucket (batch size,
 * padded length, target rows), built on first use and memoised. Base weights are fed as inputs from the one
 * host copy (`weights`), so buckets share it; the caller owns the parameters and passes them to each `run`.
 * Not safe for concurrent runs on one instance; `close()` releases every session.
 */
export class TrainingGraph {
  private readonly sessions = new Map<string, Promise<SessionEntry>>();
  private readonly options: Required<TrainingGraphOptions>;
  private readonly weights64 = new Map<string, Float64Array>();
  private readonly masks: MaskPrefetcher;

  constructor(
    readonly config: LlamaConfig,
    private readonly weights: LlamaWeights,
    options: TrainingGraphOptions,
  ) {
    this.options = {
      full: false,
      precision: 'float32',
      fusedOps: true,
      threads: 1,
      seqBuckets: DEFAULT_SEQ_BUCKETS,
      targetRows: 'targets',
      maxSessions: 4,
      weights: 'inputs',
      externalDataAboveBytes: EMBED_LIMIT_BYTES,
      profileFilePrefix: null,
      masksAhead: availableParallelism() > (options.threads ?? 1),
      ...options,
    };
    this.masks = new MaskPrefetcher(this.options.masksAhead);
    if (this.options.full && this.options.weights === 'initializers') throw new Error('full fine-tuning needs weights fed as inputs');
  }

  /** The bucket a batch runs in: its row count, the smallest padded length that fits, and the target capacity. */
  bucketFor(batch: GraphBatch): Bucket {
    const batchSize = batch.rows.length;
    const seqLen = this.seqLenFor(batch.rows);
    if (seqLen === undefined)
      throw new Error(`a row has ${Math.max(...batch.rows.map((r) => r.ids.length))} tokens, longer than the largest bucket ${this.options.seqBuckets.at(-1)}`);
    const n = batchSize * seqLen;
    if (this.options.targetRows === 'all') return { batchSize, seqLen, targetRows: n };
    const targets = collectTargets(batch.rows, seqLen).flatRow.length;
    const t = Math.max(16, nextPow2(targets));
    return { batchSize, seqLen, targetRows: t * 2 > n ? n : t };
  }

  /** The smallest padded length that fits every row, or undefined when a row is longer than the largest bucket. */
  private seqLenFor(rows: readonly TrainRow[]): number | undefined {
    const longest = Math.max(...rows.map((r) => r.ids.length));
    return this.options.seqBuckets.find((s) => s >= longest);
  }

  /** The spec of the graph for a bucket. */
  specFor(bucket: Bucket): GraphSpec {
    const { loss, lora, full, precision, fusedOps } = this.options;
    return { loss, lora, full, precision, fusedOps, ...bucket };
  }

  /**
   * Runs the graph on a batch: loss, per-row summed log-probs and the gradient of every trainable tensor.
   * `params` holds every LoRA tensor (and, with `full`, may override base weights); `dropoutSeed` seeds this
   * run's LoRA dropout masks; `next` (optional) tells the run after this one, whose masks are then drawn on a
   * worker thread while this one runs (`masksAhead`). Throws when a parameter is missing or the batch does not
   * fit a bucket.
   */
  async run(batch: GraphBatch, params: ParamMap, dropoutSeed = 0, next?: NextRun): Promise<RunResult> {
    const bucket = this.bucketFor(batch);
    const entry = await this.session(bucket);
    const { session, built } = entry;
    const c0 = cpuMs();
    const p = this.options.precision;
    const host = batchFeeds(this.options.loss, p, bucket, batch);
    const lora = this.options.lora;
    const masks = lora && built.dropoutMasks.length > 0 ? await this.masks.take(dropoutMaskShapes(this.config, built.spec), lora.dropout, dropoutSeed) : null;
    if (masks) for (const [name, mask] of Object.entries(masks)) host[name] = host[name + DROPOUT_BACKWARD_SUFFIX] = mask;
    if (lora && lora.dropout > 0 && next) {
      // masks depend on the bucket's rows and length only; a next batch that fits no bucket fails in its own run
      const seqLen = this.seqLenFor(next.rows);
      const shapes = seqLen === undefined ? [] : dropoutMaskShapes(this.config, this.specFor({ batchSize: next.rows.length, seqLen, targetRows: 1 }));
      if (shapes.length > 0) this.masks.request(shapes, lora.dropout, next.dropoutSeed);
    }
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(host)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    for (const name of built.parameterInputs) feeds[name] = this.param(name, params, built);
    const c1 = cpuMs();
    const out = await session.run(feeds);
    if (masks) this.masks.recycle(masks);
    const c2 = cpuMs();
    const f64 = (name: string) => Float64Array.from((out[name]?.data ?? []) as Float32Array | Float64Array);
    const grads = new Map<string, Float32Array | Float64Array>();
    for (const name of built.trainable) grads.set(name, out[`grad.${name}`]?.data as Float32Array | Float64Array);
    const targets = collectTargets(batch.rows, bucket.seqLen).flatRow;
    const all = bucket.targetRows === bucket.batchSize * bucket.seqLen;
    const tokenAll = f64('token_logps');
    const tokenLogps = all ? Float64Array.from(targets, (r) => tokenAll[r] as number) : tokenAll.subarray(0, targets.length);
    const loss = out.loss ? Number((out.loss.data as Float32Array)[0]) : Number.NaN;
    const seqLogps = f64('seq_logps');
    return { loss, seqLogps, tokenLogps, grads, bucket, cpuMs: { feeds: c1 - c0, ort: c2 - c1, outputs: cpuMs() - c2 } };
  }

  private param(name: string, params: ParamMap, built: BuiltGraph): ort.Tensor {
    const dims = built.inputShapes.get(name);
    if (!dims) throw new Error(`graph has no parameter input ${name}`);
    const given = params.get(name);
    if (given) {
      const type = given instanceof Float64Array ? 'float64' : 'float32';
      if (type !== this.options.precision) throw new Error(`parameter ${name} is ${type}, the graph is ${this.options.precision}`);
      return new ort.Tensor(type, given, dims);
    }
    const w = this.weights.get(name);
    if (!w) throw new Error(`no value for graph input ${name}: pass it in params`);
    if (w.shape.join(',') !== dims.join(',')) throw new Error(`weight ${name} has shape [${w.shape.join(', ')}], the config gives [${dims.join(', ')}]`);
    if (this.options.precision === 'float32') return new ort.Tensor('float32', w.data, dims);
    let d = this.weights64.get(name);
    if (!d) {
      d = Float64Array.from(w.data);
      this.weights64.set(name, d);
    }
    return new ort.Tensor('float64', d, dims);
  }

  private session(bucket: Bucket): Promise<SessionEntry> {
    const key = `${bucket.batchSize}x${bucket.seqLen}:${bucket.targetRows}`;
    let entry = this.sessions.get(key);
    if (entry) {
      this.sessions.delete(key);
      this.sessions.set(key, entry); // most recently used last
      return entry;
    }
    entry = this.createSession(bucket);
    entry.catch(() => this.sessions.delete(key));
    this.sessions.set(key, entry);
    while (this.sessions.size > this.options.maxSessions) {
      const [oldKey, old] = this.sessions.entries().next().value as [string, Promise<{ session: ort.InferenceSession }>];
      this.sessions.delete(oldKey);
      void old.then((s) => s.session.release()).catch(() => undefined);
    }
    return entry;
  }

  private async createSession(bucket: Bucket): Promise<SessionEntry> {
    const embedded = this.options.weights === 'initializers';
    const built = buildTrainingGraph(this.config, this.specFor(bucket), embedded ? { kind: 'initializers', weights: this.weights } : { kind: 'inputs' });
    const sessionOptions = trainingSessionOptions(this.options.threads);
    if (this.options.profileFilePrefix) Object.assign(sessionOptions, { enableProfiling: true, profileFilePrefix: this.options.profileFilePrefix });
    let weightBytes = 0;
    if (embedded) for (const w of this.weights.values()) weightBytes += w.data.length * (this.options.precision === 'float64' ? 8 : 4);
    if (weightBytes <= this.options.externalDataAboveBytes) return { session: await ort.InferenceSession.create(built.graph.toBytes(), sessionOptions), built };
    // Protobuf caps a file at 2 GiB: large graphs keep their weights in external data files beside the model.
    const dir = mkdtempSync(join(tmpdir(), 'clem-train-graph-'));
    try {
      built.graph.write(join(dir, 'train.onnx'), { externalData: true });
      return { session: await ort.InferenceSession.create(join(dir, 'train.onnx'), sessionOptions), built };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Writes the profile of every open session (with `profileFilePrefix`); profiling goes on in new sessions only. */
  async endProfiling(): Promise<void> {
    for (const s of this.sessions.values()) (await s).session.endProfiling();
  }

  /** Releases every session. The instance can be used again (sessions are rebuilt on demand). */
  async close(): Promise<void> {
    await this.masks.close();
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) await (await s).session.release();
  }
}
