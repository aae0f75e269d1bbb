import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { downloadFile, fileDownloadInfo } from '@huggingface/hub';
import { lockBlob } from './blob-lock.js';
import type { RepoCache } from './cache-layout.js';
import { HubFileError, hubErrorFor } from './errors.js';
import type { DownloadListener } from './progress.js';
import type { HubSettings } from './settings.js';
import { hashFile, hashKindOf, isBlobValid, stampVerified } from './verify.js';

/** One file of one commit to put in the cache. */
export interface BlobRequest {
  repo: string;
  path: string;
  commit: string;
  /** The file's id as the listing gives it (sha256 for LFS files, git blob sha1 otherwise) and its size. */
  etag: string;
  size: number;
  cache: RepoCache;
  settings: HubSettings;
  /** clem-ts's folder for verification stamps. */
  stampDir: string;
  fetch: typeof fetch;
  onDownload: DownloadListener | undefined;
  signal: AbortSignal | undefined;
}

/** Body failures (a reset connection, a stall) resumed in one call before giving up; a rerun resumes further. */
const MAX_ATTEMPTS = 5;
const PROGRESS_EVERY_MS = 200;

/** The ETag as huggingface_hub normalises it (no weak prefix, no quotes). */
export function normalizeEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/**
 * Makes the cache hold the blob of `req` and links it into the commit's snapshot. A blob already there is used
 * when it hashes to its name (or its stamp says it did); a corrupt one is fetched again. Downloads go to
 * `blobs/<etag>.incomplete`, which a later attempt or run resumes with a Range request from its size; the file
 * is checked against its size and hash before it is renamed into place. One process at a time fetches a blob
 * (a lock in `.locks/`); others wait and then find it. Throws HubFileError (status, what to do) on hub refusals
 * and Error on a file that keeps failing.
 */
export async function ensureBlob(req: BlobRequest): Promise<void> {
  const { cache, etag } = req;
  const blob = cache.blobPath(etag);
  if (!(await isBlobValid(blob, etag, req.stampDir, req.size))) {
    const lock = await lockBlob(join(cache.cacheDir, '.locks', cache.folderName, `${etag}.clem-ts.lock`), req.signal);
    try {
      if (!(await isBlobValid(blob, etag, req.stampDir, req.size))) await download(req, blob, lock.lost);
    } finally {
      await lock.release();
    }
  }
  cache.linkSnapshot(req.commit, req.path, etag);
}

async function download(req: BlobRequest, blob: string, lost: AbortSignal): Promise<void> {
  rmSync(blob, { force: true }); // a corrupt blob, or a dangling one
  const incomplete = `${blob}.incomplete`;
  const info = await withHubErrors(req, () =>
    fileDownloadInfo({ repo: req.repo, path: req.path, revision: req.commit, hubUrl: req.settings.endpoint, accessToken: req.settings.token, fetch: req.fetch }),
  );
  if (info === null) throw new HubFileError(req.repo, req.path, 404, `${req.repo}: ${req.path} is listed at commit ${req.commit} but the hub says it does not exist.`);
  const resumedFromBytes = existsSync(incomplete) ? statSync(incomplete).size : 0;
  const emit = (phase: 'start' | 'progress' | 'verify' | 'done', receivedBytes: number) =>
    req.onDownload?.({ repo: req.repo, file: req.path, receivedBytes, totalBytes: req.size, resumedFromBytes, phase });
  emit('start', resumedFromBytes);
  let failures: string[] = [];
  for (let attempt = 0; ; attempt++) {
    let have = existsSync(incomplete) ? statSync(incomplete).size : 0;
    if (have > req.size) {
      rmSync(incomplete, { force: true });
      have = 0;
    }
    if (have < req.size) {
      try {
        await appendFrom(req, info, incomplete, have, lost, (n) => emit('progress', n));
      } catch (e) {
        req.signal?.throwIfAborted();
        if (e instanceof HubFileError) throw e;
        failures.push(e instanceof Error ? e.message : String(e));
        if (failures.length >= MAX_ATTEMPTS) {
          throw new Error(`${req.repo}: downloading ${req.path} failed ${failures.length} times (${failures.join('; ')}); run again to resume from ${statSync(incomplete).size} bytes.`);
        }
        continue;
      }
    }
    emit('verify', req.size);
    if (await fileMatches(incomplete, req.etag, req.size)) break;
    rmSync(incomplete, { force: true });
    if (attempt > 0) throw new Error(`${req.repo}: ${req.path} downloaded twice and did not match its hash ${req.etag} either time; the hub or a proxy serves other bytes.`);
    failures = [];
  }
  renameSync(incomplete, blob);
  stampVerified(blob, req.etag, req.stampDir);
  emit('done', req.size);
}

async function fileMatches(path: string, etag: string, size: number): Promise<boolean> {
  if (statSync(path).size !== size) return false;
  const kind = hashKindOf(etag);
  return kind === undefined || (await hashFile(path, kind)) === etag;
}

/**
 * Appends the file's bytes from `offset` to `path`, through @huggingface/hub's lazy blob (a Range request from
 * `offset`). A stream that stays silent for HF_HUB_DOWNLOAD_TIMEOUT seconds is aborted (the caller resumes).
 */
async function appendFrom(
  req: BlobRequest,
  info: NonNullable<Awaited<ReturnType<typeof fileDownloadInfo>>>,
  path: string,
  offset: number,
  lost: AbortSignal,
  progress: (received: number) => void,
): Promise<void> {
  const idle = new AbortController();
  const signals = [idle.signal, lost, ...(req.signal ? [req.signal] : [])];
  const timedFetch: typeof fetch = (input, init) => req.fetch(input, { ...init, signal: AbortSignal.any([...signals, ...(init?.signal ? [init.signal] : [])]) });
  const file = await downloadFile({
    repo: req.repo,
    path: req.path,
    revision: req.commit,
    hubUrl: req.settings.endpoint,
    accessToken: req.settings.token,
    fetch: timedFetch,
    xet: false,
    downloadInfo: info,
  });
  if (!file) throw new HubFileError(req.repo, req.path, 404, `${req.repo}: ${req.path} does not exist at commit ${req.commit}.`);
  mkdirSync(dirname(path), { recursive: true });
  const out = await open(path, 'a');
  let received = offset;
  let lastReport = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(new Error(`no data for ${req.settings.downloadTimeoutS} s`)), req.settings.downloadTimeoutS * 1000);
  };
  try {
    arm();
    const reader = file.slice(offset).stream().getReader();
    for (;;) {
      const { done, value } = await readChunk(reader, signals);
      if (done) break;
      arm();
      await out.write(value);
      received += value.byteLength;
      if (performance.now() - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = performance.now();
        progress(received);
      }
    }
    progress(received);
  } finally {
    clearTimeout(timer);
    await out.close();
  }
  if (received < req.size) throw new Error(`the connection ended after ${received} of ${req.size} bytes`);
}

/** One chunk, or the first abort reason among `signals` (the library's stream reports failures as bare strings). */
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>, signals: AbortSignal[]): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (e) {
    const aborted = signals.find((s) => s.aborted);
    if (aborted) throw aborted.reason instanceof Error ? aborted.reason : new Error(String(aborted.reason));
    throw e instanceof Error ? e : new Error(String(e));
  }
}

async function withHubErrors<T>(req: BlobRequest, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw hubErrorFor(e, req.repo, req.settings, req.path);
  }
}
