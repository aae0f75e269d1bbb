import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import { ModelRegistryFileSchema } from '../../registry/model-registry.js';
import { packageRoot } from '../../registry/package-root.js';
import { parseJsonFile } from '../../registry/parse.js';
import { LoopbackHub } from '../../test/fixtures/hub-server.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import type { Backend, ChatMessage } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { writeLoraGguf, writeRandomPeftAdapter, writeTinyLlama } from '../onnx/index.js';
import { createTransformersBackend } from '../transformers/index.js';
import { importNodeLlamaCpp } from './binding.js';
import { createLlamaCppBackend } from './index.js';

const tmp = tempDirs('clem-llamacpp-');
let root: string;
let deps: BackendDeps;
let gguf: Backend;
let onnx: Backend;

const spec = (extra: Partial<ModelSpec> = {}): ModelSpec => ({ model_name: 'tiny-gguf', backend: 'llamacpp', huggingface_id: 'tiny/model-f32.gguf', ...extra });
const user = (content: string): ChatMessage[] => [{ role: 'user', content }];
const tokensOf = (r: { call: { response: unknown } }) => (r.call.response as { choices: { tokenIds: number[] }[] }).choices.map((c) => c.tokenIds);

beforeAll(async () => {
  root = tmp.make();
  writeTinyLlama(join(root, 'tiny'), { seed: 7, gguf: ['F32', 'Q8_0'] });
  deps = { keys: KeyRing.empty(), cacheDir: join(root, 'cache'), modelsDir: root, env: { HF_HOME: join(root, 'hf') } };
  gguf = await createLlamaCppBackend(spec(), deps);
  onnx = await createTransformersBackend({ model_name: 'tiny-onnx', backend: 'transformers', huggingface_id: 'tiny' }, deps);
});
afterAll(async () => {
  await gguf?.close();
  await onnx?.close();
  tmp.cleanup();
});

describe('llamacpp backend on the tiny Llama (the same weights as the ONNX model)', () => {
  it('generates the same greedy tokens as the transformers backend, turn after turn', async () => {
    const conversations: ChatMessage[][] = [
      user('Is it an animal?'),
      [...user('Let us play twenty questions.'), { role: 'assistant', content: 'Is it a mammal?' }, { role: 'user', content: 'Yes.' }],
      [{ role: 'system', content: 'Answer with yes or no.' }, ...user('Is it bigger than a dog?')],
    ];
    for (const messages of conversations) {
      const request = { messages, args: { maxTokens: 12 } };
      const [a, b] = [await gguf.generate(request), await onnx.generate(request)];
      expect((a.call.request as { prompt: string }).prompt).toBe((b.call.request as { prompt: string }).prompt);
      expect(tokensOf(a)).toEqual(tokensOf(b));
      expect(a.choices[0]?.text).toBe(b.choices[0]?.text);
      expect(a.usage).toEqual(b.usage);
    }
  });

  it('scores a reply as the transformers backend does (natural-log probabilities, end-of-turn included)', async () => {
    const request = { messages: user('Is it an animal?'), continuation: 'Yes, it is a horse.' };
    const [a, b] = [await gguf.score?.(request), await onnx.score?.(request)];
    expect(a?.tokens).toEqual(b?.tokens);
    expect(a?.tokens.at(-1)).toBe('<|im_end|>');
    // llama.cpp keeps its KV cache in f16 (node-llama-cpp's default) and gives float32 probabilities: on these
    // log-probabilities of -7 to -19 the two backends agree to a few 1e-3; a token off by one position would be off by units
    a?.tokenLogprobs.forEach((lp, i) => expect(Math.abs(lp - (b?.tokenLogprobs[i] ?? 0))).toBeLessThan(5e-3));
    const noEnd = await gguf.score?.({ ...request, endOfTurn: false });
    expect(noEnd?.tokenLogprobs).toHaveLength((a?.tokenLogprobs.length ?? 0) - 1);
  });

  it('decodes concurrent requests together on parallel sequences with the same results, and reuses an episode prefix', async () => {
    const prompts = ['Is it an animal?', 'Is it red?', 'Is it a tool?', 'Thank you for playing.'];
    const alone = [];
    for (const p of prompts) alone.push(tokensOf(await gguf.generate({ messages: user(p), args: { maxTokens: 10 } })));
    const together = await Promise.all(prompts.map((p) => gguf.generate({ messages: user(p), args: { maxTokens: 10 } })));
    expect(together.map(tokensOf)).toEqual(alone);
    const next = await gguf.generate({
      messages: [...user('Is it an animal?'), { role: 'assistant', content: 'Is it a mammal?' }, { role: 'user', content: 'No.' }],
      args: { maxTokens: 4 },
    });
    // the first turn's tokens are still in one of the sequences: only the new turn is evaluated
    expect((next.call.request as { reusedTokens: number[] }).reusedTokens[0]).toBeGreaterThan(10);
  });

  it('cuts at stop strings, culls eos_to_cull, and reports the finish reason', async () => {
    const free = await gguf.generate({ messages: user('Is it an animal?'), args: { maxTokens: 12 } });
    const text = free.choices[0]?.text ?? '';
    expect(free.choices[0]?.finish).toBe('length');
    const stopAt = text.slice(3, 5);
    const stopped = await gguf.generate({ messages: user('Is it an animal?'), args: { maxTokens: 12, stop: [stopAt] } });
    expect(stopped.choices[0]).toMatchObject({ text: text.slice(0, text.indexOf(stopAt)), finish: 'stop', rawFinish: 'stop_string' });
    const culled = await createLlamaCppBackend(spec({ model_config: { eos_to_cull: text.slice(0, 2).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') } }), deps);
    try {
      expect((await culled.generate({ messages: user('Is it an animal?'), args: { maxTokens: 12 } })).choices[0]?.text).toBe(text.split(text.slice(0, 2)).join(''));
    } finally {
      await culled.close();
    }
  });

  it('samples n choices reproducibly from a seed, with per-token logprobs', async () => {
    const request = { messages: user('Is it an animal?'), args: { maxTokens: 8, temperature: 1, n: 2, seed: 42, logprobs: true, topLogprobs: 2 } };
    const [a, b] = [await gguf.generate(request), await gguf.generate(request)];
    expect(a.choices).toHaveLength(2);
    expect(tokensOf(a)).toEqual(tokensOf(b));
    expect(tokensOf(a)[0]).not.toEqual(tokensOf(a)[1]);
    const lp = a.choices[0]?.logprobs ?? [];
    expect(lp).toHaveLength(tokensOf(a)[0]?.length ?? -1);
    expect(lp.every((t) => t.logprob <= 0 && t.top?.length === 2)).toBe(true);
  });

  it('constrains replies with a GBNF grammar or a JSON schema', async () => {
    const yesNo = await createLlamaCppBackend(spec({ model_config: { grammar: 'root ::= ("yes" | "no") "."' } }), deps);
    const json = await createLlamaCppBackend(
      spec({ model_config: { json_schema: { type: 'object', properties: { answer: { enum: ['yes', 'no'] } }, required: ['answer'], additionalProperties: false } } }),
      deps,
    );
    try {
      for (const q of ['Is it an animal?', 'Is it red?']) {
        expect(['yes.', 'no.']).toContain((await yesNo.generate({ messages: user(q), args: { maxTokens: 8 } })).choices[0]?.text);
        const reply = JSON.parse((await json.generate({ messages: user(q), args: { maxTokens: 40 } })).choices[0]?.text ?? '') as { answer: string };
        expect(['yes', 'no']).toContain(reply.answer);
      }
    } finally {
      await yesNo.close();
      await json.close();
    }
  });

  it('applies a LoRA adapter in GGUF form (and a PEFT adapter converted to one) as the transformers backend merges it', async () => {
    const base = writeTinyLlama(join(root, 'base'), { seed: 7, gguf: ['F32'] });
    const adapter = writeRandomPeftAdapter(join(root, 'adapter'), base.config, { seed: 4 });
    writeLoraGguf(join(root, 'adapter.gguf'), base.config, adapter);
    const withLora = await createLlamaCppBackend(spec({ huggingface_id: 'base/model-f32.gguf', model_config: { lora: [{ path: 'adapter.gguf' }] } }), deps);
    const withPeft = await createLlamaCppBackend(spec({ huggingface_id: 'base/model-f32.gguf', model_config: { peft_model: 'adapter' } }), deps);
    const merged = await createTransformersBackend({ model_name: 'merged', backend: 'transformers', huggingface_id: 'base', model_config: { peft_model: 'adapter' } }, deps);
    try {
      const request = { messages: user('Is it an animal?'), args: { maxTokens: 10 } };
      const expected = tokensOf(await merged.generate(request));
      expect(tokensOf(await withLora.generate(request))).toEqual(expected);
      expect(tokensOf(await withPeft.generate(request))).toEqual(expected);
      expect(expected).not.toEqual(tokensOf(await gguf.generate(request)));
    } finally {
      await Promise.all([withLora.close(), withPeft.close(), merged.close()]);
    }
  });

  it('loads a Q8_0 quantization of the same model and chooses the file with model_config.filename', async () => {
    const q8 = await createLlamaCppBackend(spec({ huggingface_id: 'tiny', model_config: { filename: '*q8_0.gguf' } }), deps);
    try {
      const r = await q8.generate({ messages: user('Is it an animal?'), args: { maxTokens: 6 } });
      expect(r.usage.outputTokens).toBe(6);
    } finally {
      await q8.close();
    }
    const err = await createLlamaCppBackend(spec({ huggingface_id: 'tiny' }), deps).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `tiny-gguf: model folder '${join(root, 'tiny')}' has several GGUF models (model-f32.gguf, model-q8_0.gguf); set model_config.filename to one of them (a name or a glob).`,
    );
  });

  it('refuses a prompt longer than a sequence, and a model beyond the available memory, before running', async () => {
    const small = await createLlamaCppBackend(spec({ model_config: { n_ctx: 32, max_batch_size: 1 } }), deps);
    try {
      // llama.cpp rounds a context up to a multiple of 256 tokens
      const err = await small.generate({ messages: user('Is it bigger than a bread box? '.repeat(40)), args: {} }).catch((e: unknown) => e);
      expect(hasCode(err, 'backend_error')).toBe(true);
      expect((err as Error).message).toMatch(/^tiny-gguf: the prompt has \d{3} tokens but a sequence holds 256 \(model_config\.n_ctx\)$/);
      const clamped = await small.generate({ messages: user('Is it an animal?'), args: { maxTokens: 1000 } });
      expect(clamped.warnings).toEqual([expect.stringMatching(/^max_tokens lowered to \d+: the prompt has \d+ tokens of the 256 a sequence holds \(model_config\.n_ctx\)$/)]);
    } finally {
      await small.close();
    }
    const err = await createLlamaCppBackend(spec(), { ...deps, availableMemory: () => 1024 }).catch((e: unknown) => e);
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message).toMatch(/^tiny-gguf: the model needs about 0\.\d GiB of memory \(weights 0\.\d GiB \+ context of 8 × 2048 tokens 0\.\d GiB\) but only 0\.0 GiB is available\./);
  });

  it('says which command installs node-llama-cpp when it is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package 'node-llama-cpp' imported from x"), { code: 'ERR_MODULE_NOT_FOUND' });
    const err = await importNodeLlamaCpp('tiny-gguf', () => Promise.reject(missing)).catch((e: unknown) => e);
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message).toBe('tiny-gguf: the llamacpp backend needs node-llama-cpp, an optional dependency that is not installed. Add it with `npm install node-llama-cpp@3.21.1`.');
  });
});

describe('llamacpp backend: a GGUF from the hub', () => {
  let hub: LoopbackHub;
  beforeAll(async () => {
    hub = await LoopbackHub.start();
    hub.addRepo('clem-test/tiny-llama-GGUF', join(root, 'tiny'));
  });
  afterAll(async () => hub.close());

  it('downloads only the file model_config.filename names into the HF cache and loads it', async () => {
    const home = tmp.make();
    const hubDeps: BackendDeps = { ...deps, cacheDir: join(home, 'clem'), env: { HF_HOME: join(home, 'hf'), HF_ENDPOINT: hub.endpoint } };
    const fromHub = await createLlamaCppBackend(spec({ huggingface_id: 'clem-test/tiny-llama-GGUF', model_config: { filename: '*-f32.gguf' } }), hubDeps);
    try {
      const request = { messages: user('Is it an animal?'), args: { maxTokens: 8 } };
      expect(tokensOf(await fromHub.generate(request))).toEqual(tokensOf(await gguf.generate(request)));
    } finally {
      await fromHub.close();
    }
    const fetched = hub.requests.filter((r) => r.path.includes('/resolve/')).map((r) => r.path.split('/').at(-1));
    expect([...new Set(fetched)]).toEqual(['model-f32.gguf']);
  });

  it("runs clemcore's own llamacpp registry entries unchanged: their repository, their filename glob", async () => {
    const file = join(packageRoot(), 'test', 'fixtures', 'clemcore', 'model_registry.json');
    const entries = parseJsonFile(ModelRegistryFileSchema, file, readFileSync(file, 'utf8')).filter((m) => m.backend === 'llamacpp');
    expect(entries.map((m) => [m.huggingface_id, m.model_config?.filename])).toEqual([
      ['TheBloke/openchat_3.5-GGUF', '*Q5_0.gguf'],
      ['lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF', '*Q8_0.gguf'],
    ]);
    for (const entry of entries) {
      // the tiny model under the repository's name, beside a second quantization the glob must not pick
      const repo = tmp.make();
      const stem = String(entry.huggingface_id).split('/')[1]?.replace(/-GGUF$/, '') ?? 'model';
      const glob = String(entry.model_config?.filename);
      copyFileSync(join(root, 'tiny', 'model-q8_0.gguf'), join(repo, `${stem}.${glob.slice(1, -5)}.gguf`));
      copyFileSync(join(root, 'tiny', 'model-f32.gguf'), join(repo, `${stem}.Q2_K.gguf`));
      hub.addRepo(String(entry.huggingface_id), repo);
    }
    hub.requests.length = 0;
    const home = tmp.make();
    const hubDeps: BackendDeps = { ...deps, cacheDir: join(home, 'clem'), env: { HF_HOME: join(home, 'hf'), HF_ENDPOINT: hub.endpoint } };
    for (const entry of entries) {
      const backend = await createLlamaCppBackend(entry, hubDeps);
      try {
        const reply = await backend.generate({ messages: user('Is it an animal?'), args: { maxTokens: 4 } });
        expect(reply.choices[0]?.text.length).toBeGreaterThan(0);
      } finally {
        await backend.close();
      }
    }
    const fetched = [...new Set(hub.requests.filter((r) => r.path.includes('/resolve/')).map((r) => r.path.split('/').at(-1)))];
    expect(fetched.sort()).toEqual(['Meta-Llama-3.1-8B-Instruct.Q8_0.gguf', 'openchat_3.5.Q5_0.gguf']);
  });
});
