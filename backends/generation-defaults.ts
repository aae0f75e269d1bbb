import type { ModelSpec } from '../registry/model-spec.js';
import type { GenerationArgs } from './backend.js';

/**
 * The registry entry's `generation` defaults under the request's own args: an arg the request sets (not
 * undefined) wins, a default fills a gap, and what neither gives stays unset. The one place where the
 * registry's snake_case settings become GenerationArgs, for the runner and for every backend.
 */
export function withGenerationDefaults(spec: ModelSpec, args: GenerationArgs): GenerationArgs {
  const g = spec.generation;
  if (!g) return args;
  const defaults: GenerationArgs = {};
  if (g.temperature !== undefined) defaults.temperature = g.temperature;
  if (g.max_tokens !== undefined) defaults.maxTokens = g.max_tokens;
  if (g.top_p !== undefined) defaults.topP = g.top_p;
  if (g.stop !== undefined) defaults.stop = g.stop;
  if (g.seed !== undefined) defaults.seed = g.seed;
  return { ...defaults, ...dropUndefined(args) };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
