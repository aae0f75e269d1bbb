import type { KeyRing } from '../../registry/keys.js';
import type { DownloadListener } from './progress.js';
import { type FileSelector, type HubSnapshot, fetchHubFiles } from './snapshot.js';
import { type HubSettings, hubSettings } from './settings.js';

/**
 * Hub downloads shared by every local backend: files of a Hugging Face repository, fetched into the standard
 * cache (shared with Python) through @huggingface/hub, resumed, verified, and used offline when cached.
 */
export { fetchHubFiles, type FileSelection, type FileSelector, type HubFilesRequest, type HubSnapshot } from './snapshot.js';
export { hubSettings, isHubId, type HubSettings } from './settings.js';
export { HubFileError } from './errors.js';
export { RepoCache } from './cache-layout.js';
export type { DownloadEvent, DownloadListener } from './progress.js';

/**
 * What a hub download takes from a backend's BackendDeps (which has these fields, so a backend passes its deps
 * as they are): keys (the `huggingface` token), the clem-ts cache, the environment, fetch and a progress listener.
 */
export interface HubDeps {
  keys: KeyRing;
  cacheDir: string;
  env?: Readonly<Record<string, string | undefined>>;
  fetch?: typeof fetch;
  onDownload?: DownloadListener;
}

/** The hub settings of a backend: its environment (deps.env, else the process's) and its `huggingface` key. */
export function hubSettingsFor(deps: HubDeps): HubSettings {
  const key = deps.keys.get('huggingface');
  return hubSettings(deps.env ?? process.env, key?.api_key ? { value: key.api_key, source: key.source } : undefined);
}

/** Fetches the selected files of `repo` at `revision` for a backend (see fetchHubFiles). */
export function downloadForBackend(deps: HubDeps, repo: string, revision: string | undefined, select: FileSelector, signal?: AbortSignal): Promise<HubSnapshot> {
  return fetchHubFiles({ repo, revision, select, settings: hubSettingsFor(deps), clemCacheDir: deps.cacheDir, fetch: deps.fetch, onDownload: deps.onDownload, signal });
}
