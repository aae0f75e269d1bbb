import type { Backend } from '../backend.js';

/** Runs one backend call (generate or score) with the wrapper's behaviour around it. */
export type CallRunner = <T>(call: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

/**
 * A backend whose generate and score calls go through `run`; name, capabilities and close pass through,
 * and score exists only if the inner backend has it. Every wrapper builds its backend with this.
 */
export function wrapCalls(inner: Backend, run: CallRunner): Backend {
  const wrapped: Backend = {
    name: inner.name,
    capabilities: inner.capabilities,
    ...(inner.isProgrammatic !== undefined ? { isProgrammatic: inner.isProgrammatic } : {}),
    ...(inner.contextTokens !== undefined ? { contextTokens: inner.contextTokens } : {}),
    generate: (request, signal) => run(() => inner.generate(request, signal), signal),
    close: () => inner.close(),
  };
  const score = inner.score?.bind(inner);
  if (score) wrapped.score = (request, signal) => run(() => score(request, signal), signal);
  return wrapped;
}
