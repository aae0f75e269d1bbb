import type { KeyRing } from '../registry/keys.js';
import { envVarsFor } from '../registry/keys.js';
import { baseUrlsOf, type ModelSpec } from '../registry/model-spec.js';

/**
 * Backends clemcore's registry names that clem-ts does not run, with what to do instead. `createBackend`
 * refuses them with this reason before a run starts; `list backends` lists them as unsupported.
 */
export const UNSUPPORTED_BACKENDS: Readonly<Record<string, string>> = {
  slurk: 'clemcore plays through a slurk chat server with people; clem-ts has no slurk client (use -m human for a person at the terminal)',
};

/** Backends whose hosted API always needs a key (the others serve local models or local servers). */
const KEYED_BACKENDS = new Set(['openai', 'openrouter', 'azure', 'anthropic', 'google', 'mistral', 'cohere']);

export interface BackendListing {
  name: string;
  description: string;
  state: 'active' | 'inactive' | 'unsupported';
  /** Why it is inactive or unsupported, or where its key came from. */
  note?: string;
}

/**
 * Every backend with its state for `list backends`: unsupported ones (UNSUPPORTED_BACKENDS); inactive when its
 * hosted API needs a key and none is found, unless every registry model on it has a local base_url and
 * `requires_api_key: false` (a local server that speaks the same format); active otherwise.
 */
export function listBackends(
  backends: Readonly<Record<string, { description: string; keyName?: string }>>,
  registry: readonly ModelSpec[],
  keys: KeyRing,
): BackendListing[] {
  const out: BackendListing[] = [];
  for (const [name, b] of Object.entries(backends)) {
    const entry = b.keyName ? keys.get(b.keyName) : undefined;
    if (!KEYED_BACKENDS.has(name) || entry?.api_key) {
      out.push({ name, description: b.description, state: 'active', ...(entry?.api_key ? { note: `key from ${entry.source}` } : {}) });
      continue;
    }
    const models = registry.filter((m) => m.backend === name);
    if (models.length > 0 && models.every(isLocalKeyless)) {
      out.push({ name, description: b.description, state: 'active', note: 'every model on it is a local server that needs no key' });
      continue;
    }
    out.push({ name, description: b.description, state: 'inactive', note: `no key: set ${envVarsFor(b.keyName ?? name).join(' or ')}, or "${b.keyName ?? name}": {"api_key": ...} in key.json` });
  }
  for (const [name, reason] of Object.entries(UNSUPPORTED_BACKENDS)) out.push({ name, description: 'named in clemcore registries', state: 'unsupported', note: reason });
  return out;
}

function isLocalKeyless(spec: ModelSpec): boolean {
  const urls = baseUrlsOf(spec);
  return spec.model_config?.requires_api_key === false && urls.length > 0 && urls.every(isLocalUrl);
}

/** A URL on this machine or a private network (loopback, RFC 1918, link-local, *.local). */
export function isLocalUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.local') || host === '::1') return true;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31) || (a === 169 && b === 254);
}
