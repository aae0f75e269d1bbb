import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type HostTensor, dropoutMasks } from './batch.js';
import type { TensorShape } from './spec.js';

/** One set of masks to draw: the message to the worker and back (`buffers` travel by transfer, one per shape). */
export interface MaskJob {
  seed: number;
  p: number;
  shapes: TensorShape[];
  buffers: ArrayBuffer[];
}

// Compiled, the worker sits beside this file as mask-worker.js; run from TypeScript sources (unit tests) it does
// not exist, and every mask is drawn on the main thread.
const WORKER = new URL('./mask-worker.js', import.meta.url);

const sizeOf = (s: TensorShape) => s.shape.reduce((a, b) => a * b, 1);
const keyOf = (shapes: readonly TensorShape[], p: number, seed: number) => `${seed}:${p}:${shapes.map((s) => `${s.name}=${sizeOf(s)}`).join(',')}`;

/**
 * LoRA dropout masks drawn one run ahead on a worker thread. onnxruntime-node runs a session on the main thread,
 * which is busy for the whole step, so with a core to spare the next run's masks are drawn meanwhile instead of
 * before it (at 160M, 50 M decisions, ~35 ms of every step). The worker runs `dropoutMasks`, the code the main
 * thread runs otherwise, on the same seed: the masks are byte-identical either way, and a resumed run is unchanged.
 * Two sets of buffers take turns (one read by the running session, one being filled); they travel to the worker
 * and back by transfer, not copy (onnxruntime-node refuses tensors on shared memory). Not safe for concurrent use.
 */
export class MaskPrefetcher {
  private worker: Worker | null = null;
  private pending: { key: string; result: Promise<MaskJob> } | null = null;
  private spare: ArrayBuffer[] = [];
  /** Bytes of the largest set drawn: at most two sets' worth of spare buffers are kept. */
  private setBytes = 0;
  /** Whether masks are drawn ahead on a worker (enabled, and the compiled worker file exists); checked once, not per step. */
  readonly ahead: boolean;

  /**
   * `enabled`: use a worker thread when the compiled worker exists (else everything is drawn on the main thread);
   * `workerUrl`: the worker's compiled file (default: mask-worker.js beside this one).
   */
  constructor(
    enabled: boolean,
    private readonly workerUrl: URL = WORKER,
  ) {
    this.ahead = enabled && existsSync(fileURLToPath(workerUrl));
  }

  /**
   * The masks of `seed` for `shapes` (see `dropoutMasks`): the worker's when they were requested, else drawn here
   * into spare buffers. Pass them to `recycle` once the run that reads them is over.
   */
  async take(shapes: readonly TensorShape[], p: number, seed: number): Promise<Record<string, HostTensor>> {
    const key = keyOf(shapes, p, seed);
    this.setBytes = Math.max(this.setBytes, shapes.reduce((n, s) => n + sizeOf(s), 0));
    const pending = this.pending;
    this.pending = null;
    if (pending) {
      const job = await pending.result;
      if (pending.key === key) return Object.fromEntries(shapes.map((s, i) => [s.name, { type: 'bool' as const, data: new Uint8Array(job.buffers[i] as ArrayBuffer), dims: [...s.shape] }]));
      this.spare.push(...job.buffers); // drawn for another run: the buffers are reused
    }
    const reuse = Object.fromEntries(shapes.map((s) => [s.name, { type: 'bool' as const, data: new Uint8Array(this.buffer(sizeOf(s))), dims: [...s.shape] }]));
    return dropoutMasks(shapes, p, seed, reuse);
  }

  /** Starts drawing the masks of `seed` for `shapes` (the next run's) on the worker; nothing without one. */
  request(shapes: readonly TensorShape[], p: number, seed: number): void {
    if (!this.ahead || this.pending) return;
    const worker = this.start();
    const job: MaskJob = { seed, p, shapes: shapes.map((s) => ({ name: s.name, shape: [...s.shape] })), buffers: shapes.map((s) => this.buffer(sizeOf(s))) };
    const result = new Promise<MaskJob>((resolve, reject) => {
      const fail = (err: Error) => reject(new Error(`the dropout mask thread failed: ${err.message}`, { cause: err }));
      worker.once('message', (done: MaskJob) => {
        worker.off('error', fail);
        resolve(done);
      });
      worker.once('error', fail);
    });
    result.catch(() => undefined); // surfaced by take()
    worker.postMessage(job, job.buffers);
    this.pending = { key: keyOf(shapes, p, seed), result };
  }

  /** Gives back the buffers of masks from `take` once nothing reads them any more. */
  recycle(masks: Record<string, HostTensor>): void {
    for (const t of Object.values(masks)) if (t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength) this.spare.push(t.data.buffer as ArrayBuffer);
    let bytes = this.spare.reduce((n, b) => n + b.byteLength, 0);
    while (bytes > 2 * this.setBytes && this.spare.length > 0) bytes -= (this.spare.shift() as ArrayBuffer).byteLength;
  }

  /** Stops the worker (a later request starts a new one). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.pending = null;
    this.spare = [];
    if (w) await w.terminate();
  }

  private start(): Worker {
    if (!this.worker) {
      this.worker = new Worker(this.workerUrl);
      this.worker.unref();
    }
    return this.worker;
  }

  /** A spare buffer of exactly `bytes` bytes, or a new one. */
  private buffer(bytes: number): ArrayBuffer {
    const i = this.spare.findIndex((b) => b.byteLength === bytes);
    return i >= 0 ? (this.spare.splice(i, 1)[0] as ArrayBuffer) : new ArrayBuffer(bytes);
  }
}
