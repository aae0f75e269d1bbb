import { parentPort, workerData } from 'node:worker_threads';
import { type ListTask, runListTask } from './list-share.js';

/** A worker thread of core/results-store/parallel-list.ts: runs its share (list-share.ts) and sends the result. */
parentPort?.postMessage(runListTask(workerData as ListTask));
