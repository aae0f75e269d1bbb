/**
 * Dynamic batching: jobs submitted by concurrent callers within `windowMs` of each other (and jobs that
 * queue up while a batch runs) are run together by one `runBatch` call, as long as they share a key and
 * their rows fit in `maxRows`. Batches run one at a time, in arrival order of their first job.
 */
export interface BatcherOptions<T> {
  /** How long the first job of an idle batcher waits for company, in ms (0: the same macrotask only). */
  windowMs: number;
  /** Most rows in one batch; a job with more rows than this runs alone. */
  maxRows: number;
  /** Jobs batch together only when their keys are equal. */
  keyOf: (job: T) => string;
  rowsOf: (job: T) => number;
}

interface Pending<T, R> {
  job: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
}

export class DynamicBatcher<T, R> {
  private queue: Pending<T, R>[] = [];
  private scheduled = false;
  private running = false;

  /** `runBatch` gets the jobs of one batch and returns one result per job, in order. */
  constructor(
    private readonly runBatch: (jobs: T[]) => Promise<R[]>,
    private readonly options: BatcherOptions<T>,
  ) {}

  /** Queues a job; rejects with the signal's reason if it is aborted before its batch starts. */
  submit(job: T, signal?: AbortSignal): Promise<R> {
    signal?.throwIfAborted();
    return new Promise<R>((resolve, reject) => {
      const pending: Pending<T, R> = { job, resolve, reject, signal };
      this.queue.push(pending);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.queue.indexOf(pending);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(signal.reason);
          }
        },
        { once: true },
      );
      this.schedule(this.options.windowMs);
    });
  }

  private schedule(delayMs: number): void {
    if (this.scheduled || this.running || this.queue.length === 0) return;
    this.scheduled = true;
    const fire = () => {
      this.scheduled = false;
      void this.drain();
    };
    if (delayMs > 0) setTimeout(fire, delayMs);
    else setImmediate(fire);
  }

  private takeBatch(): Pending<T, R>[] {
    const first = this.queue[0];
    if (!first) return [];
    const key = this.options.keyOf(first.job);
    const batch: Pending<T, R>[] = [];
    let rows = 0;
    for (const p of [...this.queue]) {
      const r = this.options.rowsOf(p.job);
      if (this.options.keyOf(p.job) !== key) continue;
      if (batch.length > 0 && rows + r > this.options.maxRows) continue;
      batch.push(p);
      rows += r;
      if (rows >= this.options.maxRows) break;
    }
    this.queue = this.queue.filter((p) => !batch.includes(p));
    return batch;
  }

  private async drain(): Promise<void> {
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    this.running = true;
    try {
      const results = await this.runBatch(batch.map((p) => p.job));
      batch.forEach((p, i) => p.resolve(results[i] as R));
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.running = false;
      // Jobs that arrived during the run have waited long enough: start the next batch at once.
      this.schedule(0);
    }
  }
}
