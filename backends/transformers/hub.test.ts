import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { type AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import { createTransformersBackend } from './index.js';

// The hub is replaced by a loopback server that knows no models (tests never reach the network).
const requested: string[] = [];
const server = createServer((req, res) => {
  requested.push(req.url ?? '');
  res.writeHead(404).end('Not found');
});
let root: string;
const savedHost = env.remoteHost;
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  env.remoteHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  root = mkdtempSync(join(tmpdir(), 'clem-tf-hub-'));
});
afterAll(async () => {
  env.remoteHost = savedHost;
  server.close();
  await once(server, 'close');
  rmSync(root, { recursive: true, force: true });
});

describe('hub ids', () => {
  it('turn a model the hub does not have into a ConfigError saying what to download', async () => {
    const spec = { model_name: 'remote', backend: 'transformers', huggingface_id: 'some-org/some-model' };
    const err = await createTransformersBackend(spec, { keys: KeyRing.empty(), cacheDir: root, modelsDir: root }).catch((e: unknown) => e);
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message).toMatch(/^remote: could not load 'some-org\/some-model' from the Hugging Face hub: /);
    expect((err as Error).message).toMatch(
      /Download an ONNX export of it \(e\.g\. `huggingface-cli download some-org\/some-model --local-dir <folder>`, or a Llama safetensors checkpoint\) and point huggingface_id at the folder\.$/,
    );
    expect(requested.some((u) => u.includes('some-org/some-model'))).toBe(true);
  });
});
