import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { convertSafetensors, writeRandomPeftAdapter, writeTinyLlama } from '../backends/onnx/index.js';
import { LoopbackHub } from './fixtures/hub-server.js';
import { CLI, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * `clem-ts run` with models named by hub id, against a loopback hub (HF_ENDPOINT) and a temporary HF_HOME:
 * the spawned CLI downloads, caches, resumes and refuses as a user's would.
 */
const tmp = tempDirs('clem-hub-e2e-');
let hub: LoopbackHub;
let fixtures: string;
const GATED_TOKEN = 'hf_pendingTokenNoAccess789';


const REGISTRY = [
  { model_name: 'tiny-hub', backend: 'transformers', huggingface_id: 'meta-test/tiny-llama', model_config: { premade_chat_template: true } },
  { model_name: 'tiny-hub-lora', backend: 'transformers', huggingface_id: 'meta-test/tiny-llama', model_config: { premade_chat_template: true, peft_model: 'clem-test/tiny-20q-lora' } },
  { model_name: 'tiny-gguf', backend: 'llamacpp', huggingface_id: 'clem-test/tiny-llama-GGUF', model_config: { filename: '*q8_0.gguf' } },
  { model_name: 'tiny-gated', backend: 'transformers', huggingface_id: 'meta-test/tiny-gated' },
];

beforeAll(async () => {
  hub = await LoopbackHub.start();
  fixtures = tmp.make();
  // As Meta publishes Llama-3.2-1B-Instruct: bf16 safetensors, no ONNX.
  const base = writeTinyLlama(join(fixtures, 'base'), { seed: 41 });
  rmSync(join(fixtures, 'base', 'onnx'), { recursive: true });
  convertSafetensors(join(fixtures, 'base', 'model.safetensors'), 'BF16');
  hub.addRepo('meta-test/tiny-llama', join(fixtures, 'base'));
  hub.addRepo('meta-test/tiny-gated', join(fixtures, 'base'), { gated: { acceptedTokens: [GATED_TOKEN], grantedTokens: [] } });
  writeRandomPeftAdapter(join(fixtures, 'adapter'), base.config, { seed: 6 });
  hub.addRepo('clem-test/tiny-20q-lora', join(fixtures, 'adapter'));
  writeTinyLlama(join(fixtures, 'gguf'), { seed: 41, gguf: ['F32', 'Q8_0'], skipOnnx: true, safetensors: false });
  hub.addRepo('clem-test/tiny-llama-GGUF', join(fixtures, 'gguf'));
});
afterAll(async () => {
  await hub.close();
  tmp.cleanup();
});

/** A working folder with the registry, and the environment pointing at the loopback hub. */
function workspace(): { cwd: string; env: Record<string, string> } {
  const cwd = tmp.make();
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify(REGISTRY));
  return { cwd, env: { HF_ENDPOINT: hub.endpoint, HF_HOME: join(cwd, 'hf'), CLEM_TS_CACHE: join(cwd, 'clem-cache') } };
}

const play = (model: string, cwd: string, env: Record<string, string>, results = 'results') =>
  runCli(['run', '-g', '20q', '-m', model, '--limit', '2', '-l', '8', '-c', '2', '-r', results], { cwd, env });

function episodes(cwd: string, results: string, model: string): string[] {
  const dir = join(cwd, results, `${model}--kb-oracle`, '20q', 'all_words');
  return readdirSync(dir).filter((d) => existsSync(join(dir, d, 'completed.json')));
}

describe.skipIf(!existsSync(CLI))('run -g 20q with hub models (spawned CLI, loopback hub)', () => {
  it('plays a hub-id model (bf16 safetensors, converted), and a second run asks the hub nothing', async () => {
    const { cwd, env } = workspace();
    const first = await play('tiny-hub', cwd, env);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^played 2 episode\(s\)/);
    expect(episodes(cwd, 'results', 'tiny-hub')).toHaveLength(2);
    expect(first.stderr).toContain('downloading meta-test/tiny-llama/model.safetensors');
    expect(readdirSync(join(cwd, 'hf', 'hub'))).toContain('models--meta-test--tiny-llama');

    hub.requests.length = 0;
    const second = await play('tiny-hub', cwd, env, 'results-2');
    expect(second.code).toBe(0);
    expect(episodes(cwd, 'results-2', 'tiny-hub')).toHaveLength(2);
    expect(hub.requests).toEqual([]);
  });

  it('plays a LoRA entry whose adapter is a hub id', async () => {
    const { cwd, env } = workspace();
    const r = await play('tiny-hub-lora', cwd, env);
    expect(r.code).toBe(0);
    expect(episodes(cwd, 'results', 'tiny-hub-lora')).toHaveLength(2);
    expect(hub.requests.some((q) => q.path.includes('tiny-20q-lora/resolve') && q.path.endsWith('adapter_model.safetensors'))).toBe(true);
  });

  it('plays a GGUF from the hub through llamacpp, downloading only the file filename names', async () => {
    const { cwd, env } = workspace();
    hub.requests.length = 0;
    const r = await play('tiny-gguf', cwd, env);
    expect(r.code).toBe(0);
    expect(episodes(cwd, 'results', 'tiny-gguf')).toHaveLength(2);
    const files = new Set(hub.requests.filter((q) => q.path.includes('/resolve/')).map((q) => q.path.split('/').at(-1)));
    expect([...files]).toEqual(['model-q8_0.gguf']);

    hub.requests.length = 0;
    const second = await play('tiny-gguf', cwd, env, 'results-2');
    expect(second.code).toBe(0);
    expect(episodes(cwd, 'results-2', 'tiny-gguf')).toHaveLength(2);
    expect(hub.requests).toEqual([]);
  });

  it('resumes a download killed half-way: the rerun asks for the rest with a Range request', async () => {
    const { cwd, env } = workspace();
    const sha = hub.sha256Of('meta-test/tiny-llama', 'model.safetensors');
    const size = statSync(join(fixtures, 'base', 'model.safetensors')).size;
    const half = Math.floor(size / 2);
    hub.faults.push({ sha256: sha, afterBytes: half, mode: 'stall', times: 1 });
    const child = spawn(process.execPath, [CLI, 'run', '-g', '20q', '-m', 'tiny-hub', '--limit', '1', '-l', '8'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
      stdio: 'ignore',
    });
    const incomplete = join(cwd, 'hf', 'hub', 'models--meta-test--tiny-llama', 'blobs', `${sha}.incomplete`);
    try {
      // the stalled server has sent half the file and the downloader has written it down
      await vi.waitFor(() => expect(existsSync(incomplete) && statSync(incomplete).size >= half).toBe(true), { timeout: 60_000, interval: 50 });
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    expect(statSync(incomplete).size).toBe(half);
    hub.requests.length = 0;
    const rerun = await play('tiny-hub', cwd, env);
    expect(rerun.code).toBe(0);
    const ranged = hub.requests.filter((q) => q.server === 'cdn' && q.path.includes(sha) && q.range !== 'bytes=0-0');
    expect(ranged.map((q) => q.range)).toEqual([`bytes=${half}-${size - 1}`]);
    const blob = join(cwd, 'hf', 'hub', 'models--meta-test--tiny-llama', 'blobs', sha);
    expect(readFileSync(blob).equals(readFileSync(join(fixtures, 'base', 'model.safetensors')))).toBe(true);
    expect(existsSync(incomplete)).toBe(false);
  });

  it('with HF_HUB_OFFLINE=1 plays a cached model without a request, and says so for one not cached', async () => {
    const { cwd, env } = workspace();
    expect((await play('tiny-hub', cwd, env)).code).toBe(0);
    hub.requests.length = 0;
    const offline = { ...env, HF_HUB_OFFLINE: '1' };
    expect((await play('tiny-hub', cwd, offline, 'results-offline')).code).toBe(0);
    const missing = await play('tiny-gguf', cwd, offline, 'results-missing');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("clem-test/tiny-llama-GGUF@main: HF_HUB_OFFLINE is set and the cache");
    expect(hub.requests).toEqual([]);
  });

  it('the packaged llama-1b-lora, llama-1b-gguf and llama-1b-lora-gguf play against repositories of the names they give', async () => {
    // The tiny model stands in for Llama-3.2-1B-Instruct under the real repository and file names (gated, as Meta's is).
    const token = 'hf_grantedLlamaToken0001';
    hub.addRepo('meta-llama/Llama-3.2-1B-Instruct', join(fixtures, 'base'), { gated: { acceptedTokens: [token], grantedTokens: [token] } });
    hub.addRepo('fs90/Llama-3.2-1B-Instruct-bnb-4bit-lima-lora', join(fixtures, 'adapter'));
    const ggufRepo = tmp.make();
    for (const q of ['Q4_K_M', 'Q8_0']) copyFileSync(join(fixtures, 'gguf', 'model-q8_0.gguf'), join(ggufRepo, `Llama-3.2-1B-Instruct-${q}.gguf`));
    hub.addRepo('bartowski/Llama-3.2-1B-Instruct-GGUF', ggufRepo);
    const cwd = tmp.make();
    const env = { HF_ENDPOINT: hub.endpoint, HF_HOME: join(cwd, 'hf'), CLEM_TS_CACHE: join(cwd, 'clem-cache'), HF_TOKEN: token };
    hub.requests.length = 0;
    for (const model of ['llama-1b-lora', 'llama-1b-gguf', 'llama-1b-lora-gguf']) {
      const r = await play(model, cwd, env);
      expect(r.stderr).not.toContain(token);
      expect(r.code).toBe(0);
      expect(episodes(cwd, 'results', model)).toHaveLength(2);
    }
    const ggufFiles = new Set(hub.requests.filter((q) => q.path.startsWith('/bartowski/') && q.path.includes('/resolve/')).map((q) => q.path.split('/').at(-1)));
    expect([...ggufFiles]).toEqual(['Llama-3.2-1B-Instruct-Q4_K_M.gguf']);
  });

  it('a gated model names the page that grants access and never prints the token', async () => {
    const { cwd, env } = workspace();
    const anonymous = await play('tiny-gated', cwd, env);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toContain(`the hub asks for a login (401: the repository is gated or private). Accept its terms at ${hub.endpoint}/meta-test/tiny-gated`);
    const pending = await play('tiny-gated', cwd, { ...env, HF_TOKEN: GATED_TOKEN });
    expect(pending.code).not.toBe(0);
    expect(pending.stderr).toContain(`your account has no access yet (403: gated model). Request access at ${hub.endpoint}/meta-test/tiny-gated`);
    expect(pending.stderr + pending.stdout).not.toContain(GATED_TOKEN);
    expect(existsSync(join(cwd, 'results'))).toBe(false);
  });
});
