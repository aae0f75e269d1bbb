import { parentPort } from 'node:worker_threads';
import { dropoutMasks } from './batch.js';
import type { MaskJob } from './mask-prefetch.js';

/**
 * The worker thread of mask-prefetch.ts: fills the job's buffers with `dropoutMasks` (the same code the main
 * thread runs, so the masks are identical) and hands them back, transferred rather than copied.
 */
parentPort?.on('message', (job: MaskJob) => {
  const reuse = Object.fromEntries(job.shapes.map((s, i) => [s.name, { type: 'bool' as const, data: new Uint8Array(job.buffers[i] as ArrayBuffer), dims: s.shape }]));
  dropoutMasks(job.shapes, job.p, job.seed, reuse);
  parentPort?.postMessage(job, job.buffers);
});
