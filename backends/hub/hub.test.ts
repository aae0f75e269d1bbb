import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../base/errors.js';
import { LoopbackHub } from '../../test/fixtures/hub-server.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { writeTinyLlama } from '../onnx/index.js';
import { selectModelFiles } from '../transformers/hub-files.js';
import type { DownloadEvent } from './progress.js';
import { type HubSettings, fetchHubFiles, hubSettings } from './index.js';

const tmp = tempDirs('clem-hub-');
let hub: LoopbackHub;
let modelDir: string;
const REPO = 'clem-test/tiny-llama';

beforeAll(async () => {
  hub = await LoopbackHub.start();
  modelDir = join(tmp.make(), 'tiny');
  writeTinyLlama(modelDir, { seed: 2 });
  writeFileSync(join(modelDir, 'README.md'), '# not needed by any backend\n');
  hub.addRepo(REPO, modelDir);
});
afterAll(async () => {
  await hub.close();
  tmp.cleanup();
});
afterEach(() => {
  hub.requests.length = 0;
  hub.faults.length = 0;
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function setup(env: Record<string, string> = {}): { settings: HubSettings; clemCacheDir: string; home: string } {
  const home = tmp.make();
  return { settings: hubSettings({ HF_HOME: join(home, 'hf'), HF_ENDPOINT: hub.endpoint, ...env }), clemCacheDir: join(home, 'clem'), home };
}

const selectOnnx = (paths: readonly string[]) => selectModelFiles(paths, undefined);

describe('fetchHubFiles: the Hugging Face cache layout, only the needed files', () => {
  it('downloads the selected files into blobs/ + snapshots/ + refs/ and a second call asks nothing', async () => {
    const { settings, clemCacheDir } = setup();
    const events: DownloadEvent[] = [];
    const snap = await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir, onDownload: (e) => events.push(e) });
    expect(snap.fromCache).toBe(false);
    const repoDir = join(settings.cacheDir, 'models--clem-test--tiny-llama');
    expect(readFileSync(join(repoDir, 'refs', 'main'), 'utf8')).toBe(snap.commit);
    expect(snap.dir).toBe(join(repoDir, 'snapshots', snap.commit));
    expect(snap.files.sort()).toEqual(['config.json', 'generation_config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    // only what the backend needs: no safetensors (the ONNX export is there), no README
    expect(hub.requests.some((r) => r.path.includes('model.safetensors') || r.path.includes('README'))).toBe(false);
    // blobs are named by their ETag: sha256 for LFS files, git blob sha1 for the others; snapshots link to them
    const onnxLink = readlinkSync(join(snap.dir, 'onnx', 'model.onnx'));
    expect(onnxLink).toBe(join('..', '..', '..', 'blobs', sha256(join(modelDir, 'onnx', 'model.onnx'))));
    expect(readFileSync(join(snap.dir, 'onnx', 'model.onnx')).equals(readFileSync(join(modelDir, 'onnx', 'model.onnx')))).toBe(true);
    const config = readFileSync(join(modelDir, 'config.json'));
    const gitSha = createHash('sha1').update(`blob ${config.length}\0`).update(config).digest('hex');
    expect(existsSync(join(repoDir, 'blobs', gitSha))).toBe(true);
    // optional files the repository lacks are remembered as absent, as huggingface_hub does
    expect(existsSync(join(repoDir, '.no_exist', snap.commit, 'special_tokens_map.json'))).toBe(true);
    // the LFS file came from the CDN (another origin) without the token
    expect(hub.requests.filter((r) => r.server === 'cdn').length).toBeGreaterThan(0);
    const onnxEvents = events.filter((e) => e.file === 'onnx/model.onnx');
    expect(onnxEvents[0]?.phase).toBe('start');
    expect(onnxEvents.at(-1)).toMatchObject({ phase: 'done', receivedBytes: onnxEvents[0]?.totalBytes });

    hub.requests.length = 0;
    const again = await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir });
    expect(again).toMatchObject({ fromCache: true, dir: snap.dir, commit: snap.commit });
    expect(hub.requests).toEqual([]);
  });

  it('uses files Python already downloaded into the same cache without fetching them again', async () => {
    const { settings, clemCacheDir } = setup();
    const first = await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir: join(clemCacheDir, 'a') });
    // A fresh clem-ts cache (no verification stamps, as after Python's download) and no refs: metadata is asked, blobs are not.
    const { rmSync } = await import('node:fs');
    rmSync(join(settings.cacheDir, 'models--clem-test--tiny-llama', 'refs'), { recursive: true });
    hub.requests.length = 0;
    const again = await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir: join(clemCacheDir, 'b') });
    expect(again.dir).toBe(first.dir);
    expect(hub.requests.map((r) => r.path.split('?')[0])).toEqual([
      `/api/models/${REPO}/revision/main`,
      `/api/models/${REPO}/tree/${first.commit}`,
    ]);
  });

  it('resumes a transfer the CDN cut, with a Range request from the bytes already kept', async () => {
    const { settings, clemCacheDir } = setup();
    const sha = hub.sha256Of(REPO, 'onnx/model.onnx');
    hub.faults.push({ sha256: sha, afterBytes: 50_000, mode: 'cut', times: 1 });
    const snap = await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir });
    const cdn = hub.requests.filter((r) => r.server === 'cdn' && r.path.includes(sha));
    expect(cdn.map((r) => r.range)).toContain('bytes=50000-' + String(readFileSync(join(modelDir, 'onnx', 'model.onnx')).length - 1));
    expect(sha256(join(snap.dir, 'onnx', 'model.onnx'))).toBe(sha);
  });

  it('gives up on a silent connection after HF_HUB_DOWNLOAD_TIMEOUT and resumes', async () => {
    const { settings, clemCacheDir } = setup({ HF_HUB_DOWNLOAD_TIMEOUT: '0.3' });
    const sha = hub.sha256Of(REPO, 'onnx/model.onnx');
    hub.faults.push({ sha256: sha, afterBytes: 30_000, mode: 'stall', times: 1 });
    const snap = await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir });
    expect(hub.requests.some((r) => r.server === 'cdn' && r.range?.startsWith('bytes=30000-'))).toBe(true);
    expect(sha256(join(snap.dir, 'onnx', 'model.onnx'))).toBe(sha);
  });

  it('fetches a corrupt blob again and checks it against its hash', async () => {
    const { settings, clemCacheDir } = setup();
    const snap = await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir });
    const sha = hub.sha256Of(REPO, 'onnx/model.onnx');
    const blob = join(settings.cacheDir, 'models--clem-test--tiny-llama', 'blobs', sha);
    const bytes = readFileSync(blob);
    bytes[1000] = (bytes[1000] as number) ^ 0xff; // same size, one byte flipped
    writeFileSync(blob, bytes);
    hub.requests.length = 0;
    const again = await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir });
    expect(again.fromCache).toBe(false);
    expect(hub.requests.filter((r) => r.server === 'cdn' && r.path.includes(sha)).length).toBeGreaterThan(0);
    expect(sha256(join(snap.dir, 'onnx', 'model.onnx'))).toBe(sha);
  });

  it('with HF_HUB_OFFLINE uses the cache and asks nothing; without a cached copy it says so', async () => {
    const { settings, clemCacheDir } = setup();
    await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir });
    hub.requests.length = 0;
    const offline = { ...settings, offline: true };
    expect((await fetchHubFiles({ repo: REPO, select: selectOnnx, settings: offline, clemCacheDir })).fromCache).toBe(true);
    const err = await fetchHubFiles({ repo: 'clem-test/never-downloaded', select: selectOnnx, settings: offline, clemCacheDir }).catch((e: unknown) => e);
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message).toBe(
      `clem-test/never-downloaded@main: HF_HUB_OFFLINE is set and the cache (${settings.cacheDir}) does not hold the model: revision 'main' was never downloaded. ` +
        'Unset HF_HUB_OFFLINE to download it, or download it where the hub is reachable and copy the cache folder here.',
    );
    expect(hub.requests).toEqual([]);
  });

  it('pins a revision: an older commit is fetched by its hash while main has moved on', async () => {
    const old = hub.addRepo('clem-test/moving', modelDir);
    const newer = join(tmp.make(), 'newer');
    writeTinyLlama(newer, { seed: 99 });
    const head = hub.addRepo('clem-test/moving', newer);
    const { settings, clemCacheDir } = setup();
    const pinned = await fetchHubFiles({ repo: 'clem-test/moving', revision: old, select: selectOnnx, settings, clemCacheDir });
    expect(pinned.commit).toBe(old);
    expect(sha256(join(pinned.dir, 'onnx', 'model.onnx'))).toBe(sha256(join(modelDir, 'onnx', 'model.onnx')));
    const main = await fetchHubFiles({ repo: 'clem-test/moving', select: selectOnnx, settings, clemCacheDir });
    expect(main.commit).toBe(head);
  });

  it('downloads each blob once when two loads of one model run at the same time', async () => {
    const { settings, clemCacheDir } = setup();
    const [a, b] = await Promise.all([1, 2].map(() => fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir })));
    expect(a?.dir).toBe(b?.dir);
    const sha = hub.sha256Of(REPO, 'onnx/model.onnx');
    expect(hub.requests.filter((r) => r.server === 'cdn' && r.path.includes(sha) && r.range === undefined)).toHaveLength(1);
    expect(readdirSync(join(settings.cacheDir, 'models--clem-test--tiny-llama', 'blobs')).filter((f) => f.endsWith('.incomplete'))).toEqual([]);
  });

  it('says what a repository lacks', async () => {
    const { settings, clemCacheDir } = setup();
    const err = await fetchHubFiles({ repo: REPO, select: () => 'no model.gguf', settings, clemCacheDir }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`${REPO}@main: no model.gguf`);
  });
});

describe('fetchHubFiles: refusals', () => {
  const GATED = 'clem-test/gated-llama';
  const GOOD = 'hf_goodTokenWithAccess123';
  const PENDING = 'hf_validTokenNoAccess456';
  beforeAll(() => {
    hub.addRepo(GATED, modelDir, { gated: { acceptedTokens: [GOOD, PENDING], grantedTokens: [GOOD] } });
  });

  it('401 without a token names the page that grants access and how to pass a token', async () => {
    const { settings, clemCacheDir } = setup();
    const err = await fetchHubFiles({ repo: GATED, select: selectOnnx, settings, clemCacheDir }).catch((e: unknown) => e);
    expect(hasCode(err, 'hub')).toBe(true);
    expect((err as Error).message).toBe(
      `${GATED}/config.json: the hub asks for a login (401: the repository is gated or private). Accept its terms at ${hub.endpoint}/${GATED} while logged in, ` +
        `create a read token at ${hub.endpoint}/settings/tokens and set HF_TOKEN (or run \`huggingface-cli login\`), then run again.`,
    );
  });

  it('403 with a token that has no access says to request access, and never prints the token', async () => {
    const { settings, clemCacheDir } = setup();
    const err = await fetchHubFiles({ repo: GATED, select: selectOnnx, settings: { ...settings, token: PENDING, tokenSource: 'env:HF_TOKEN' }, clemCacheDir }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`^${GATED}/config.json: your account has no access yet \\(403: gated model\\)\\. Request access at ${hub.endpoint}/${GATED} `));
    expect(JSON.stringify(err)).not.toContain(PENDING);
    expect((err as Error).message).not.toContain(PENDING);
    expect(String((err as Error).stack)).not.toContain(PENDING);
  });

  it('downloads a gated model with an accepted token, which never reaches the CDN', async () => {
    const { home } = setup();
    // the token file huggingface-cli login writes
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(home, 'hf'), { recursive: true });
    writeFileSync(join(home, 'hf', 'token'), `${GOOD}\n`);
    const settings = hubSettings({ HF_HOME: join(home, 'hf'), HF_ENDPOINT: hub.endpoint });
    expect(settings.tokenSource).toBe(join(home, 'hf', 'token'));
    await fetchHubFiles({ repo: GATED, select: selectOnnx, settings, clemCacheDir: join(home, 'clem') });
    expect(hub.requests.filter((r) => r.server === 'hub' && r.path.includes('/resolve/')).every((r) => r.token === GOOD)).toBe(true);
    expect(hub.requests.filter((r) => r.server === 'cdn').length).toBeGreaterThan(0);
    expect(hub.requests.filter((r) => r.server === 'cdn').some((r) => r.authorized)).toBe(false);
  });

  it('an unknown repository (the hub answers 401 RepoNotFound to anonymous callers) is reported as not found', async () => {
    const { settings, clemCacheDir } = setup();
    const err = await fetchHubFiles({ repo: 'clem-test/no-such-model', select: selectOnnx, settings, clemCacheDir }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `clem-test/no-such-model: not found on ${hub.endpoint} at revision 'main'. Check the id (and model_config.revision); a private repository also needs HF_TOKEN.`,
    );
  });

  it('an unreachable endpoint names it and HF_HUB_OFFLINE', async () => {
    const { settings, clemCacheDir } = setup({ HF_ENDPOINT: 'http://127.0.0.1:9' });
    const err = await fetchHubFiles({ repo: REPO, select: selectOnnx, settings, clemCacheDir }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^clem-test\/tiny-llama: could not reach http:\/\/127\.0\.0\.1:9: .*HF_HUB_OFFLINE=1 uses them without asking the hub\.$/);
  });
});
