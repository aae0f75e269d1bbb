/** Backend → Backend wrappers: retry, outage waiting, concurrency and rate limits, composed once per model. */
export { composeBackend, limitsFromSpec, type ComposeOptions } from './compose.js';
export { withLimit, type LimitOptions } from './limit.js';
export { DEFAULT_OUTAGE_BUDGET_MS, isConnectionFailure, withOutageWait, type OutageOptions, type OutageStatus } from './outage.js';
export { parseDuration, withCache, type CacheOptions } from './cache.js';
export { combineReplicas, type ReplicaOptions } from './replicas.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export { RetriesExhaustedError, withRetry, type AttemptFailure, type RetryOptions } from './retry.js';
export { realSleep, type Sleep } from './sleep.js';
