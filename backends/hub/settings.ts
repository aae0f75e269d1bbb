import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where and how hub files are fetched, read from the environment as Python's huggingface_hub reads it. */
export interface HubSettings {
  /** Base URL of the hub (HF_ENDPOINT; default https://huggingface.co), without a trailing slash. */
  endpoint: string;
  /** The shared cache (HF_HUB_CACHE, else $HF_HOME/hub), laid out as huggingface_hub lays it out. */
  cacheDir: string;
  /** The access token, when one is set; never printed or written. */
  token: string | undefined;
  /** Where the token came from, for messages (`HF_TOKEN`, `key.json`, the token file). */
  tokenSource: string | undefined;
  /** HF_HUB_OFFLINE: use the cache only, never the network. */
  offline: boolean;
  /** Seconds without data before a download is abandoned and resumed (HF_HUB_DOWNLOAD_TIMEOUT; default 10, as Python's). */
  downloadTimeoutS: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** huggingface_hub's truthy environment values (`constants._is_true`). */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(value.toUpperCase());
}

const nonEmpty = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

/**
 * Reads the hub settings: HF_HOME (default $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface), HF_HUB_CACHE
 * (legacy HUGGINGFACE_HUB_CACHE; default $HF_HOME/hub), HF_ENDPOINT, HF_HUB_OFFLINE, HF_HUB_DOWNLOAD_TIMEOUT, and
 * the token: `keyToken` (HF_TOKEN or key.json's `huggingface.api_key`, from the KeyRing), else the legacy
 * HUGGING_FACE_HUB_TOKEN, else the file huggingface-cli login writes (HF_TOKEN_PATH, default $HF_HOME/token).
 */
export function hubSettings(env: Env, keyToken?: { value: string; source: string }): HubSettings {
  const home = env.HOME ?? homedir();
  const hfHome = resolve(nonEmpty(env.HF_HOME) ?? join(nonEmpty(env.XDG_CACHE_HOME) ?? join(home, '.cache'), 'huggingface'));
  const cacheDir = resolve(nonEmpty(env.HF_HUB_CACHE) ?? nonEmpty(env.HUGGINGFACE_HUB_CACHE) ?? join(hfHome, 'hub'));
  let token = keyToken?.value;
  let tokenSource = keyToken?.source;
  if (token === undefined && nonEmpty(env.HUGGING_FACE_HUB_TOKEN)) {
    token = env.HUGGING_FACE_HUB_TOKEN;
    tokenSource = 'HUGGING_FACE_HUB_TOKEN';
  }
  const tokenFile = nonEmpty(env.HF_TOKEN_PATH) ?? join(hfHome, 'token');
  if (token === undefined && existsSync(tokenFile)) {
    const text = readFileSync(tokenFile, 'utf8').trim();
    if (text !== '') {
      token = text;
      tokenSource = tokenFile;
    }
  }
  const timeout = Number(env.HF_HUB_DOWNLOAD_TIMEOUT);
  return {
    endpoint: (nonEmpty(env.HF_ENDPOINT) ?? 'https://huggingface.co').replace(/\/+$/, ''),
    cacheDir,
    token,
    tokenSource,
    offline: isTrue(env.HF_HUB_OFFLINE),
    downloadTimeoutS: Number.isFinite(timeout) && timeout > 0 ? timeout : 10,
  };
}

/** `org/name` or a bare name, as the hub spells repository ids (not a path). */
const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/** Whether `id` can be a hub repository id (`meta-llama/Llama-3.2-1B-Instruct`), rather than a path. */
export function isHubId(id: string): boolean {
  return HUB_ID.test(id) && !id.includes('..') && !id.endsWith('.gguf');
}
