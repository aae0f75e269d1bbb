import { freemem } from 'node:os';
import { ConfigError } from '../base/errors.js';

const GIB = 1024 ** 3;

/** Bytes as GiB with one decimal (`4.6 GiB`). */
export function formatGiB(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}

/**
 * Memory a new model may use now: the system's available memory (Linux MemAvailable: free plus reclaimable
 * cache), capped by the process's cgroup limit when it has one (containers).
 */
export function availableMemoryBytes(): number {
  const free = freemem();
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  if (!constrained || constrained <= 0 || constrained >= Number.MAX_SAFE_INTEGER) return free;
  return Math.min(free, Math.max(0, constrained - process.memoryUsage().rss));
}

export interface MemoryEstimate {
  /** Bytes the model will need at its peak. */
  bytes: number;
  /** What the estimate is made of, for the message (`fp32 weights 4.6 GiB + KV cache 0.5 GiB`). */
  parts: string;
}

/**
 * Fails before a model is loaded when its estimate exceeds the available memory, with a ConfigError that gives
 * both figures and what to do (a smaller or quantized model, fewer parallel sequences, or `model_config.memory_check:
 * false` when the estimate is wrong), instead of an out-of-memory crash half-way through the load.
 */
export function assertFitsInMemory(modelName: string, estimate: MemoryEstimate, availableBytes: number, remedy: string): void {
  if (estimate.bytes <= availableBytes) return;
  throw new ConfigError(
    `${modelName}: the model needs about ${formatGiB(estimate.bytes)} of memory (${estimate.parts}) but only ${formatGiB(availableBytes)} is available. ` +
      `${remedy} Set model_config.memory_check to false to load it anyway.`,
  );
}
