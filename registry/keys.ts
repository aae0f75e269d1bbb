import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonFile } from './parse.js';

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
  anthropic: ['ANTHROPIC_API_KEY'],
  google: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
  mistral: ['MISTRAL_API_KEY'],
  cohere: ['COHERE_API_KEY', 'CO_API_KEY'],
  huggingface: ['HF_TOKEN', 'HUGGINGFACE_API_KEY'],
};

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
  ) {}

  /** Loads the first key.json found and the environment. A malformed key.json names the file and field. */
  static load(opts: KeySourceOptions = {}): KeyRing {
    const env = opts.env ?? process.env;
    for (const file of keyFileCandidates(opts)) {
      if (!existsSync(file)) continue;
      const parsed = parseJsonFile(KeyFileSchema, file, readFileSync(file, 'utf8'));
      const entries: Record<string, KeyEntry & { source: string }> = {};
      for (const [name, entry] of Object.entries(parsed)) entries[name] = { ...entry, source: file };
      return new KeyRing(entries, env);
    }
    return new KeyRing({}, env);
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
}

/** `abcd...wxyz`, or `****xy` for short secrets, `[MISSING]` when empty, as clemcore prints them. */
export function maskKey(key: string | undefined): string {
  if (!key) return '[MISSING]';
  if (key.length <= 8) return `****${key.slice(-2)}`;
  return `${key.slice(0, 4)}...${key.slice(-4)}`;
}
