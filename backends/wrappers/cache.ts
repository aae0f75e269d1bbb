import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomicAsync } from '../../base/atomic.js';
import { CacheEntrySchema, type CacheEntry } from '../../registry/cache-entry.js';
import type { JsonValue } from '../../registry/json.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend, Choice, GenerateRequest, GenerateResult } from '../backend.js';
import { withGenerationDefaults } from '../generation-defaults.js';

export interface CacheOptions {
  /** Folder of the cache files (created when needed). */
  dir: string;
  /** Entries older than this many ms are ignored and replaced. Default: never expire. */
  expiryMs?: number;
  /** Wall clock (ms since the epoch). */
  now?: () => number;
}

/**
 * A response cache on disk: a request identical in everything that determines the reply (the model's
 * identity: backend, model id, base URLs, model_config and generation defaults; the messages; the generation
 * arguments, seed included) is answered from disk without a call. Each sample is its own entry: a request for
 * n samples reads samples 0..n−1 and asks the model only for the missing ones. Sampled requests (temperature
 * > 0, no seed) take fresh sample indices each time within one run (the k-th identical sampled request gets
 * samples from k·n on), so a cached run keeps as many distinct samples as the original; deterministic requests
 * share samples 0..n−1. A hit has usage, latency and cost 0 and carries the original ones in `cache`.
 * Entries are written atomically; an unreadable or expired entry is a miss and is replaced.
 */
export function withCache(spec: ModelSpec, options: CacheOptions): (inner: Backend) => Backend {
  const now = options.now ?? (() => Date.now());
  const identity = modelIdentity(spec);
  return (inner) => {
    if (inner.isProgrammatic) return inner;
    const taken = new Map<string, number>();
    const generate = async (request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> => {
      const n = Math.max(1, request.args.n ?? 1);
      const { n: _n, ...args } = request.args;
      const key = sha256(canonical({ v: 1, identity, messages: request.messages, args }) as string);
      // The registry's generation defaults decide too (a default seed makes a request deterministic).
      const effective = withGenerationDefaults(spec, request.args);
      const sampled = (effective.temperature ?? 1) > 0 && effective.seed === undefined;
      const first = sampled ? (taken.get(key) ?? 0) : 0;
      if (sampled) taken.set(key, first + n);
      const indices = Array.from({ length: n }, (_, i) => first + i);
      const found = await Promise.all(indices.map((i) => readEntry(entryFile(options.dir, key, i), options.expiryMs, now())));
      const missing = indices.filter((_, i) => found[i] === undefined);
      if (missing.length === 0) return fromCache(key, found as CacheEntry[]);
      const fresh = await inner.generate({ ...request, args: { ...request.args, n: missing.length } }, signal);
      const createdAt = new Date(now()).toISOString();
      await Promise.all(
        fresh.choices.map((choice, j) =>
          writeJsonAtomicAsync(entryFile(options.dir, key, missing[j] as number), toEntry(spec.model_name, missing[j] as number, choice, fresh, createdAt)),
        ),
      );
      if (missing.length === n) return fresh;
      let next = 0;
      const choices = found.map((e) => (e ? e.choice : fresh.choices[next++])).filter((c): c is Choice => c !== undefined);
      return { ...fresh, choices };
    };
    const wrapped: Backend = { ...inner, generate, close: () => inner.close() };
    return wrapped;
  };
}

function fromCache(key: string, entries: readonly CacheEntry[]): GenerateResult {
  const e = entries[0] as CacheEntry;
  return {
    choices: entries.map((x) => x.choice),
    usage: { inputTokens: 0, outputTokens: 0 },
    latencyMs: 0,
    costUsd: 0,
    call: { request: e.call.request, response: e.call.response },
    warnings: [],
    cache: {
      key,
      createdAt: e.created_at,
      usage: { inputTokens: e.usage.input_tokens, outputTokens: e.usage.output_tokens },
      latencyMs: e.latency_ms,
      costUsd: e.cost_usd,
    },
  };
}

function toEntry(model: string, sample: number, choice: Choice, r: GenerateResult, createdAt: string): CacheEntry {
  return CacheEntrySchema.parse({
    format_version: 1,
    created_at: createdAt,
    model,
    sample,
    choice,
    usage: { input_tokens: r.usage.inputTokens, output_tokens: r.usage.outputTokens },
    latency_ms: r.latencyMs,
    cost_usd: r.costUsd ?? null,
    call: JSON.parse(JSON.stringify(r.call)) as { request: JsonValue; response: JsonValue },
  });
}

async function readEntry(file: string, expiryMs: number | undefined, nowMs: number): Promise<CacheEntry | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined; // not cached yet
  }
  let parsed;
  try {
    parsed = CacheEntrySchema.safeParse(JSON.parse(text));
  } catch {
    return undefined; // a torn or foreign file is a miss and gets replaced
  }
  if (!parsed.success) return undefined;
  if (expiryMs !== undefined && nowMs - Date.parse(parsed.data.created_at) > expiryMs) return undefined;
  return parsed.data;
}

function entryFile(dir: string, key: string, sample: number): string {
  return join(dir, key.slice(0, 2), `${key}-${sample}.json`);
}

/** What identifies the model for the cache: everything in the entry that can change a reply. */
function modelIdentity(spec: ModelSpec): unknown {
  const { http: _http, ...modelConfig } = spec.model_config ?? {};
  const urls = spec.base_url === undefined ? [] : Array.isArray(spec.base_url) ? [...spec.base_url].sort() : [spec.base_url];
  return { backend: spec.backend, model: spec.model_id ?? spec.model_name, huggingface_id: spec.huggingface_id ?? null, base_url: urls, model_config: modelConfig, generation: spec.generation ?? null };
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
function canonical(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v) ?? 'null').join(',')}]`;
  const parts: string[] = [];
  for (const k of Object.keys(value).sort()) {
    const v = canonical((value as Record<string, unknown>)[k]);
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${v}`);
  }
  return `{${parts.join(',')}}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Parses a cache expiry: "30s", "15m", "12h", "7d", or plain seconds. Undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's').toLowerCase() as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
