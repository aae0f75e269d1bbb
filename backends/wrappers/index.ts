/** Backend → Backend wrappers: retry, concurrency and rate limits, composed once per model. */
export { composeBackend, limitsFromSpec, type ComposeOptions } from './compose.js';
export { withLimit, type LimitOptions } from './limit.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export { RetriesExhaustedError, withRetry, type AttemptFailure, type RetryOptions } from './retry.js';
export { realSleep, type Sleep } from './sleep.js';
