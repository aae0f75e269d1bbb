import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { FileFormatError } from '../base/errors.js';
import { Redactor, registerSecrets, type Secret } from '../base/redact.js';
import { formatIssues } from './parse.js';

/**
 * key.json: `{ "<backend>": { "api_key": "...", "organisation": "...", "base_url": "..." } }`, as clemcore's.
 * Unknown keys are kept. Keys are read, never written into results or logs, and printed only masked.
 */
export const KeyEntrySchema = z.looseObject({
  api_key: z.string().optional(),
  organisation: z.string().optional(),
  organization: z.string().optional(),
  base_url: z.string().optional(),
});
export const KeyFileSchema = z.record(z.string(), KeyEntrySchema).describe('key.json: backend name → credentials.');
export type KeyEntry = z.infer<typeof KeyEntrySchema>;

/** Environment variables consulted per backend, before key.json. */
const ENV_KEYS: Record<string, string[]> = {
  openai: ['OPENAI_API_KEY'],
  openai_compatible: ['OPENAI_COMPATIBLE_API_KEY'],
  openrouter: ['OPENROUTER_API_KEY'],
  azure: ['AZURE_OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
  google: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
  mistral: ['MISTRAL_API_KEY'],
  cohere: ['COHERE_API_KEY', 'CO_API_KEY'],
  huggingface: ['HF_TOKEN', 'HUGGINGFACE_API_KEY'],
};

/** Whether an environment variable holds a key clem-ts may load: one of the listed names, or any `*_API_KEY`. */
export function isKeyVariable(name: string): boolean {
  return name.endsWith('_API_KEY') || Object.values(ENV_KEYS).some((names) => names.includes(name));
}

/** key.json fields that are not secret (never redacted); every other string field is. */
const PUBLIC_FIELDS = new Set(['base_url', 'organisation', 'organization']);

/** The environment variables consulted for a backend's key, in order (`<BACKEND>_API_KEY` for unlisted ones). */
export function envVarsFor(backend: string): readonly string[] {
  return ENV_KEYS[backend] ?? [`${backend.toUpperCase()}_API_KEY`];
}

export interface KeySourceOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** The key.json files consulted, first match wins: cwd, then the user's config folder, then clemcore's. */
export function keyFileCandidates(opts: KeySourceOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const home = opts.home ?? homedir();
  const configHome = env.XDG_CONFIG_HOME ?? join(home, '.config');
  return [
    join(opts.cwd ?? process.cwd(), 'key.json'),
    join(configHome, 'clem-ts', 'key.json'),
    join(home, '.clemcore', 'key.json'),
  ];
}

export class KeyRing {
  constructor(
    private readonly entries: Readonly<Record<string, KeyEntry & { source: string }>>,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    // Every key this process holds is masked in every file it writes (base/atomic.ts), whoever writes it.
    registerSecrets(this.secrets());
  }

  /**
   * Loads the first key.json found and the environment. A malformed key.json throws FileFormatError naming
   * the file and the field, never a value (`openai: expected object, got a string`).
   */
  static load(opts: KeySourceOptions = {}): KeyRing {
    const env = opts.env ?? process.env;
    const file = firstKeyFile(opts);
    if (file === undefined) return new KeyRing({}, env);
    const parsed = parseKeyFile(file, readFileSync(file, 'utf8'));
    const entries: Record<string, KeyEntry & { source: string }> = {};
    for (const [name, entry] of Object.entries(parsed)) entries[name] = { ...entry, source: file };
    return new KeyRing(entries, env);
  }

  /**
   * The redactor for everything this process writes or prints: every key of `load`'s key.json and every key
   * variable of the environment. Never throws: a key.json that does not load still has its string values
   * (other than base_url and the organisation) redacted, so its own error cannot print them.
   */
  static redactorFor(opts: KeySourceOptions = {}): Redactor {
    try {
      return KeyRing.load(opts).redactor();
    } catch {
      // The command itself will report the bad key.json (file and field); here only its values matter.
      const file = firstKeyFile(opts);
      let raw: unknown;
      try {
        raw = file === undefined ? undefined : JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        raw = undefined; // not JSON: nothing can be told apart from the text, and its error never shows it
      }
      const secrets = [...secretStrings(raw), ...envSecrets(opts.env ?? process.env)].map((value) => ({ value, mask: maskKey(value) }));
      registerSecrets(secrets);
      return new Redactor(secrets);
    }
  }

  static empty(env: NodeJS.ProcessEnv = {}): KeyRing {
    return new KeyRing({}, env);
  }

  /** Credentials for a backend: environment variables override key.json's api_key. */
  get(backend: string): (KeyEntry & { source: string }) | undefined {
    const fromFile = this.entries[backend];
    for (const name of envVarsFor(backend)) {
      const value = this.env[name];
      if (value) return { ...fromFile, api_key: value, source: `env:${name}` };
    }
    return fromFile;
  }

  /** Backends named in key.json, for `list backends`. */
  names(): string[] {
    return Object.keys(this.entries);
  }

  /** Every secret loaded: the secret fields of key.json's entries and the key variables of the environment. */
  secrets(): Secret[] {
    const values = [...Object.values(this.entries).flatMap((entry) => secretStrings(entry)), ...envSecrets(this.env)];
    return [...new Set(values)].map((value) => ({ value, mask: maskKey(value) }));
  }

  /** The redactor of {@link secrets}: each key replaced by its mask. */
  redactor(): Redactor {
    return new Redactor(this.secrets());
  }
}

function firstKeyFile(opts: KeySourceOptions): string | undefined {
  return keyFileCandidates(opts).find((file) => existsSync(file));
}

/** key.json text → entries; errors name the file and the JSON path, never a value or a piece of the text. */
function parseKeyFile(file: string, text: string): z.infer<typeof KeyFileSchema> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    // JSON.parse quotes the text around the error: only its position may be shown.
    const at = /at position (\d+)/.exec((e as Error).message);
    throw new FileFormatError(file, [`not valid JSON${at ? ` (at character ${at[1]})` : ''}`]);
  }
  const result = KeyFileSchema.safeParse(data);
  if (!result.success) throw new FileFormatError(file, formatIssues(result.error, data, { hideValues: true }));
  return result.data;
}

/** Every string in a key.json value (at any depth) except the public fields: what must never be shown. */
function secretStrings(value: unknown, field?: string): string[] {
  if (typeof value === 'string') return field !== undefined && PUBLIC_FIELDS.has(field) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => secretStrings(v, field));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (k === 'source' ? [] : secretStrings(v, k)));
  return [];
}

function envSecrets(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) => (value && isKeyVariable(name) ? [value] : []));
}

/** `abcd...wxyz`, or `****xy` for short secrets, `[MISSING]` when empty, as clemcore prints them. */
export function maskKey(key: string | undefined): string {
  if (!key) return '[MISSING]';
  if (key.length <= 8) return `****${key.slice(-2)}`;
  return `${key.slice(0, 4)}...${key.slice(-4)}`;
}
