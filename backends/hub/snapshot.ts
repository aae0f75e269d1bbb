import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { listFiles, modelInfo } from '@huggingface/hub';
import { ConfigError } from '../../base/errors.js';
import { ensureBlob } from './blob-download.js';
import { RepoCache } from './cache-layout.js';
import { hubErrorFor, offlineMissing } from './errors.js';
import type { DownloadListener } from './progress.js';
import type { HubSettings } from './settings.js';
import { isBlobValid } from './verify.js';

/** The files a backend needs from a repository: required ones, and optional ones taken when the repository has them. */
export interface FileSelection {
  files: string[];
  optional?: string[];
}

/**
 * Chooses the needed files from a repository's file paths (the hub's listing, or the files already in the cache).
 * Returns a message saying what is missing when the paths do not hold a usable model.
 */
export type FileSelector = (paths: readonly string[]) => FileSelection | string;

export interface HubFilesRequest {
  repo: string;
  /** Branch, tag or commit (default `main`). */
  revision?: string | undefined;
  select: FileSelector;
  settings: HubSettings;
  /** clem-ts's cache folder: verification stamps go to `<cacheDir>/hub-verified/`. */
  clemCacheDir: string;
  fetch?: typeof fetch | undefined;
  onDownload?: DownloadListener | undefined;
  signal?: AbortSignal | undefined;
}

export interface HubSnapshot {
  /** `snapshots/<commit>/` in the cache: the repository's files as a local folder. */
  dir: string;
  commit: string;
  /** The selected files present in `dir`. */
  files: string[];
  /** True when everything was in the cache and the hub was not asked. */
  fromCache: boolean;
}

/** The blob a snapshot entry links to (its ETag), or undefined for a copied file (no symlinks). */
function linkedEtag(path: string): string | undefined {
  try {
    return basename(readlinkSync(path));
  } catch {
    return undefined; // a regular file: copied where symlinks are refused
  }
}

/** The cached snapshot when it holds a complete, valid selection; else a message saying what is missing. */
async function fromCache(cache: RepoCache, commit: string, req: HubFilesRequest): Promise<HubSnapshot | string> {
  const local = cache.listSnapshot(commit);
  const selection = req.select(local);
  if (typeof selection === 'string') return selection;
  const unknown = (selection.optional ?? []).filter((p) => !local.includes(p) && !cache.isKnownAbsent(commit, p));
  if (unknown.length > 0) return `not known whether the repository has ${unknown.join(', ')}`;
  const files = [...selection.files, ...(selection.optional ?? []).filter((p) => local.includes(p))];
  for (const file of files) {
    const etag = linkedEtag(cache.snapshotPath(commit, file));
    if (etag !== undefined && !(await isBlobValid(cache.blobPath(etag), etag, `${req.clemCacheDir}/hub-verified`))) return `${file} is corrupt (it does not match its hash ${etag})`;
  }
  return { dir: cache.snapshotDir(commit), commit, files, fromCache: true };
}

/**
 * Makes the files a backend needs from a hub repository available as a local folder, in the shared Hugging Face
 * cache (HF_HUB_CACHE), as Python's huggingface_hub would have them. When the cache already holds the revision's
 * selected files (checked against their hashes), the hub is not asked at all; with HF_HUB_OFFLINE that is the
 * only way, and a gap is a ConfigError. Otherwise the revision is resolved to a commit (recorded in refs/), the
 * commit's file listing is read, the selection made from it, and each missing or corrupt file downloaded (see
 * ensureBlob: resumed, verified, one process at a time). Only the selected files are fetched. Hub refusals
 * become HubFileErrors that say what to do (gated repositories name the page that grants access).
 */
export async function fetchHubFiles(req: HubFilesRequest): Promise<HubSnapshot> {
  const { repo, settings } = req;
  const revision = req.revision ?? 'main';
  const cache = new RepoCache(settings.cacheDir, repo);
  const cachedCommit = cache.resolveRevision(revision);
  const cached = cachedCommit === undefined ? `revision '${revision}' was never downloaded` : await fromCache(cache, cachedCommit, req);
  if (typeof cached !== 'string') return cached;
  if (settings.offline) throw offlineMissing(repo, revision, settings, cached);

  const fetchFn = req.fetch ?? fetch;
  const credentials = { hubUrl: settings.endpoint, accessToken: settings.token, fetch: fetchFn };
  let commit: string;
  let listing: { path: string; size: number; etag: string }[];
  try {
    const info = await modelInfo({ name: repo, revision, additionalFields: ['sha'], ...credentials });
    commit = info.sha;
    listing = [];
    for await (const entry of listFiles({ repo, revision: commit, recursive: true, ...credentials })) {
      if (entry.type !== 'file') continue;
      listing.push({ path: entry.path, size: entry.lfs?.size ?? entry.size, etag: entry.lfs?.oid ?? entry.oid ?? '' });
    }
  } catch (e) {
    throw hubErrorFor(e, repo, settings, undefined, revision);
  }
  const paths = listing.map((f) => f.path);
  const selection = req.select(paths);
  if (typeof selection === 'string') throw new ConfigError(`${repo}@${revision}: ${selection}`);
  const present = new Set(paths);
  const optional = selection.optional ?? [];
  const wanted = [...selection.files, ...optional.filter((p) => present.has(p))];
  for (const path of wanted) {
    const entry = listing.find((f) => f.path === path);
    if (!entry) throw new ConfigError(`${repo}@${revision}: ${path} is not in the repository.`);
    if (entry.etag === '') throw new ConfigError(`${repo}@${revision}: the hub's listing gives no id (oid) for ${path}, so it cannot be cached or verified.`);
    await ensureBlob({
      repo,
      path,
      commit,
      etag: entry.etag,
      size: entry.size,
      cache,
      settings,
      stampDir: `${req.clemCacheDir}/hub-verified`,
      fetch: fetchFn,
      onDownload: req.onDownload,
      signal: req.signal,
    });
  }
  cache.markAbsent(
    commit,
    optional.filter((p) => !present.has(p)),
  );
  cache.writeRef(revision, commit);
  return { dir: cache.snapshotDir(commit), commit, files: wanted, fromCache: false };
}
