import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, UnknownNameError } from '../base/errors.js';
import { writeFileAtomic } from '../base/atomic.js';
import { closestNames } from './closest.js';
import { editJson } from './json-edit.js';
import { type ModelSpec, ModelSpecSchema } from './model-spec.js';
import { packageRoot } from './package-root.js';
import { parseData, parseJsonFile } from './parse.js';
import { isPlainObject, parseJsonSelector, unify } from './unify.js';

export const ModelRegistryFileSchema = z.array(ModelSpecSchema).describe('model_registry.json: a list of model entries, first match wins.');

export interface ModelRegistryOptions {
  cwd?: string;
  includePackaged?: boolean;
}

/** Entries in lookup order: ./model_registry.json, then the packaged one. Each is tagged with its source. */
export function loadModelRegistry(opts: ModelRegistryOptions = {}): ModelSpec[] {
  const files: [string, string][] = [];
  const cwdFile = join(opts.cwd ?? process.cwd(), 'model_registry.json');
  const packaged = join(packageRoot(), 'model_registry.json');
  if (existsSync(cwdFile) && resolve(cwdFile) !== resolve(packaged)) files.push([cwdFile, cwdFile]);
  if (opts.includePackaged !== false) files.push([packaged, 'packaged']);
  return files.flatMap(([file, source]) =>
    parseJsonFile(ModelRegistryFileSchema, file, readFileSync(file, 'utf8')).map((m) => ({ ...m, lookup_source: source })),
  );
}

/**
 * Resolves a -m selector: a model name, or a JSON object (single quotes allowed) unified with the first
 * entry it unifies with, as clemcore does. Unlike clemcore, a JSON spec with its own `backend` that unifies
 * with no entry is taken as it is (so an unregistered OpenAI-compatible model can be named inline).
 * `A+B` (when no entry is named so) is program A with model B as its `model_config.fallback_model`, named
 * `A+B`; a `fallback_model` given by name in an entry is resolved too. Throws ConfigError on fallbacks that
 * nest too deep (a cycle).
 */
export function resolveModel(selector: string, registry: readonly ModelSpec[]): ModelSpec {
  return resolveWithFallback(selector, registry, 0);
}

/** Longest chain of fallback models ("a+b", a fallback_model naming a model with its own fallback…), against cycles. */
const MAX_FALLBACK_DEPTH = 4;

function resolveWithFallback(selector: string, registry: readonly ModelSpec[], depth: number): ModelSpec {
  if (depth > MAX_FALLBACK_DEPTH) throw new ConfigError(`-m ${selector}: fallback models nest more than ${MAX_FALLBACK_DEPTH} deep (is a model its own fallback?)`);
  const trimmed = selector.trim();
  // "kb-oracle+gpt-4o-mini": a program and the model it hands the turns it cannot answer to
  const plus = trimmed.indexOf('+');
  if (!trimmed.startsWith('{') && plus > 0 && !registry.some((e) => e.model_name === trimmed)) {
    const primary = resolveWithFallback(trimmed.slice(0, plus), registry, depth + 1);
    const fallback = resolveWithFallback(trimmed.slice(plus + 1), registry, depth + 1);
    const { lookup_source: _fallbackSource, ...fallbackEntry } = fallback;
    return parseData(ModelSpecSchema, `-m ${selector}`, {
      ...primary,
      model_name: trimmed,
      model_config: { ...primary.model_config, program: primary.model_config?.program ?? primary.model_name, fallback_model: fallbackEntry },
    });
  }
  const spec = resolveSelector(trimmed, selector, registry);
  const fallback = spec.model_config?.fallback_model;
  if (typeof fallback !== 'string') return spec;
  const { lookup_source: _source, ...entry } = resolveWithFallback(fallback, registry, depth + 1);
  return { ...spec, model_config: { ...spec.model_config, fallback_model: entry } };
}

function resolveSelector(trimmed: string, selector: string, registry: readonly ModelSpec[]): ModelSpec {
  let query: Record<string, unknown>;
  if (trimmed.startsWith('{')) {
    const parsed = parseJsonSelector(trimmed, 'model');
    if ('error' in parsed) throw new UnknownNameError('model', selector, [], parsed.error);
    query = parsed.value;
  } else {
    query = { model_name: trimmed };
  }
  for (const entry of registry) {
    const { lookup_source: _source, ...plain } = entry;
    const merged = unify(query, plain);
    if (merged !== undefined) return { ...parseData(ModelSpecSchema, `-m ${selector}`, merged), lookup_source: entry.lookup_source };
  }
  if (typeof query.backend === 'string' && typeof query.model_name === 'string') return parseData(ModelSpecSchema, `-m ${selector}`, query);
  const name = typeof query.model_name === 'string' ? query.model_name : selector;
  throw new UnknownNameError('model', name, closestNames(name, registry.map((m) => m.model_name)), 'See `clem-ts list models`, or register it with `clem-ts register model`.');
}

/**
 * clemcore's query string: `k=v,k2=v2`, values converted bool → int → float → string. Dotted keys nest
 * (`model_config.peft_model=./adapter`). A value that starts with `[`, `{` or `"` is JSON and may hold commas
 * (`model_config.stop=["a","b"]`, `description="a, b"`). Throws ConfigError for a pair without `=` or bad JSON.
 */
export function readQueryString(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of splitPairs(text)) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`'${pair}': expected key=value pairs separated by commas (a JSON value may hold commas: key=["a","b"]).`);
    const path = pair.slice(0, eq).trim().split('.');
    const raw = pair.slice(eq + 1).trim();
    let target = out;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      target = isPlainObject(next) ? next : (target[key] = {});
    }
    target[path[path.length - 1] as string] = convertValue(raw, pair);
  }
  return out;
}

/** Splits at the commas outside JSON brackets and strings. */
function splitPairs(text: string): string[] {
  const pairs: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') depth -= 1;
    else if (c === ',' && depth === 0) {
      pairs.push(text.slice(start, i));
      start = i + 1;
    }
  }
  pairs.push(text.slice(start));
  return pairs;
}

function convertValue(raw: string, pair: string): unknown {
  if (raw.startsWith('[') || raw.startsWith('{') || raw.startsWith('"')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch (e) {
      throw new ConfigError(`'${pair}': the value is not valid JSON (${(e as Error).message})`);
    }
  }
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (/^[+-]?\d+$/.test(raw)) return Number.parseInt(raw, 10);
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(raw)) return Number.parseFloat(raw);
  return raw;
}

/**
 * Adds or updates an entry in `<cwd>/model_registry.json`. By default the values are merged into the entry
 * with the same model_name (new entries go first); with `reset` the entry is replaced. Only the values given are
 * written: the rest of the file keeps its key order and formatting. The result is checked against the schema
 * before the file is written (atomically). Returns the entry.
 */
export function registerModel(name: string, values: Record<string, unknown>, opts: { cwd?: string; reset?: boolean } = {}): ModelSpec {
  const file = join(opts.cwd ?? process.cwd(), 'model_registry.json');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '[]\n';
  const entries = parseJsonFile(ModelRegistryFileSchema, file, text);
  const index = entries.findIndex((e) => e.model_name === name);
  let edited: string;
  if (index < 0) edited = editJson(text, [0], { model_name: name, ...values }, { insert: true });
  else if (opts.reset) edited = editJson(text, [index], { model_name: name, ...values });
  else edited = leaves(values).reduce((t, [path, value]) => editJson(t, [index, ...path], value), text);
  const entry = parseData(ModelSpecSchema, `${file} (entry ${name})`, (JSON.parse(edited) as unknown[])[index < 0 ? 0 : index]);
  writeFileAtomic(file, edited);
  return entry;
}

/** Every leaf of a nested object, with its path (arrays are leaves). */
function leaves(values: Record<string, unknown>, prefix: string[] = []): [string[], unknown][] {
  return Object.entries(values).flatMap(([k, v]) => (isPlainObject(v) ? leaves(v, [...prefix, k]) : [[[...prefix, k], v] as [string[], unknown]]));
}

