import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend, ChatMessage } from '../backend.js';
import type { BackendDeps } from '../deps.js';
import { type LlamaWeights, SafetensorsFile, type TinyLlamaModel, logSoftmaxRows, referenceLogits, writeTinyLlama } from '../onnx/index.js';
import { createTransformersBackend } from './index.js';
import { resolveModelSource } from './load.js';

let root: string;
let deps: BackendDeps;
let tiny: TinyLlamaModel;
let weights: LlamaWeights;
let backend: Backend;

const spec = (extra: Partial<ModelSpec> = {}): ModelSpec => ({ model_name: 'tiny', backend: 'transformers', huggingface_id: 'tiny', ...extra });
const chat = (content: string): ChatMessage[] => [{ role: 'user', content }];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'clem-tf-'));
  tiny = writeTinyLlama(join(root, 'tiny'), { seed: 11 });
  const f = SafetensorsFile.open(join(root, 'tiny', 'model.safetensors'));
  weights = new Map([...f.entries.keys()].map((k) => [k, f.readF32(k)]));
  deps = { keys: KeyRing.empty(), cacheDir: join(root, 'cache'), modelsDir: root };
  backend = await createTransformersBackend(spec(), deps);
});
afterAll(async () => {
  await backend.close();
  rmSync(root, { recursive: true, force: true });
});

/** Greedy decoding with the plain-TS reference forward (independent of ONNX and transformers.js). */
function referenceGreedy(promptIds: number[], steps: number): number[] {
  const ids = [...promptIds];
  const V = tiny.config.vocabSize;
  for (let s = 0; s < steps; s++) {
    const logits = referenceLogits(tiny.config, weights, ids).subarray((ids.length - 1) * V);
    let best = 0;
    for (let i = 1; i < V; i++) if ((logits[i] as number) > (logits[best] as number)) best = i;
    ids.push(best);
    if (best === tiny.tokenIds.imEnd || best === tiny.tokenIds.endOfText) break;
  }
  return ids.slice(promptIds.length);
}

describe('createTransformersBackend', () => {
  it('greedy output equals an independent greedy decode of the reference forward', async () => {
    const tok = await AutoTokenizer.from_pretrained(join(root, 'tiny'), { local_files_only: true });
    const result = await backend.generate({ messages: chat('Is it an animal?'), args: { temperature: 0, maxTokens: 6 } });
    const promptIds = tok.encode('<|im_start|>user\nIs it an animal?<|im_end|>\n<|im_start|>assistant\n', { add_special_tokens: false });
    const expected = referenceGreedy(promptIds, 6).filter((id) => id !== tiny.tokenIds.imEnd && id !== tiny.tokenIds.endOfText);
    expect(expected.length).toBe(6);
    const response = result.call.response as { choices: { tokenIds: number[] }[] };
    expect(response.choices[0]?.tokenIds).toEqual(expected);
    expect(result.choices[0]?.text).toBe(tok.decode(expected, { skip_special_tokens: true }));
    expect(result.usage).toEqual({ inputTokens: promptIds.length, outputTokens: expected.length });
    expect(result.warnings).toEqual([]);
  });

  it('batches concurrent greedy requests and gives the same outputs as one by one', async () => {
    const prompts = ['Hi', 'Is it a big red fruit that you can eat?', 'The word is apple. Guess again please.'];
    const alone = [];
    for (const p of prompts) alone.push(await backend.generate({ messages: chat(p), args: { maxTokens: 8 } }));
    const together = await Promise.all(prompts.map((p) => backend.generate({ messages: chat(p), args: { maxTokens: 8 } })));
    expect(alone.map((r) => (r.call.request as { batchRows: number }).batchRows)).toEqual([1, 1, 1]);
    expect(together.map((r) => (r.call.request as { batchRows: number }).batchRows)).toEqual([3, 3, 3]);
    expect(together.map((r) => r.call.response)).toEqual(alone.map((r) => r.call.response));
    expect(together.map((r) => r.choices[0]?.text)).toEqual(alone.map((r) => r.choices[0]?.text));
  });

  it('cuts at stop strings and maxTokens, and reports finish reasons', async () => {
    const base = await backend.generate({ messages: chat('Hi'), args: { maxTokens: 12 } });
    const text = base.choices[0]?.text ?? '';
    expect(text.length).toBeGreaterThan(2);
    const stop = text.slice(2, 3);
    const cut = await backend.generate({ messages: chat('Hi'), args: { maxTokens: 12, stop: [stop] } });
    expect(cut.choices[0]).toMatchObject({ text: text.slice(0, text.indexOf(stop)), finish: 'stop', rawFinish: 'stop_string' });
    // Generation itself stopped at the stop string, not at maxTokens.
    const cutRow = (cut.call.response as { choices: { tokenIds: number[]; end: string }[] }).choices[0];
    expect(cutRow?.end).toBe('stop');
    expect(cutRow?.tokenIds.length).toBeLessThan(12);
    const short = await backend.generate({ messages: chat('Hi'), args: { maxTokens: 1 } });
    expect((short.call.response as { choices: { tokenIds: number[] }[] }).choices[0]?.tokenIds.length).toBe(1);
  });

  it('cuts at the registry entry\'s default stop strings as at the request\'s own', async () => {
    const text = (await backend.generate({ messages: chat('Hi'), args: { maxTokens: 12 } })).choices[0]?.text ?? '';
    const stop = text.slice(2, 3);
    const byRequest = await backend.generate({ messages: chat('Hi'), args: { maxTokens: 12, stop: [stop] } });
    const withDefault = await createTransformersBackend(spec({ generation: { stop: [stop] } }), deps);
    try {
      const byDefault = await withDefault.generate({ messages: chat('Hi'), args: { maxTokens: 12 } });
      expect(byDefault.choices).toEqual(byRequest.choices);
      expect(byDefault.choices[0]).toMatchObject({ text: text.slice(0, text.indexOf(stop)), finish: 'stop', rawFinish: 'stop_string' });
    } finally {
      await withDefault.close();
    }
  });

  it('samples n choices, reproducibly with a seed', async () => {
    const args = { temperature: 1.5, maxTokens: 6, n: 3, seed: 42 };
    const a = await backend.generate({ messages: chat('Hi'), args });
    const b = await backend.generate({ messages: chat('Hi'), args });
    expect(a.choices).toHaveLength(3);
    expect(a.choices.map((c) => c.text)).toEqual(b.choices.map((c) => c.text));
    const c = await backend.generate({ messages: chat('Hi'), args: { ...args, seed: 43 } });
    expect(c.choices.map((x) => x.text)).not.toEqual(a.choices.map((x) => x.text));
  });

  it('honours custom_chat_template and eos_to_cull', async () => {
    const other = await createTransformersBackend(
      spec({ model_config: { custom_chat_template: "{% for m in messages %}{{ m['content'] }}{% endfor %}{{ '<|im_start|>' }}", eos_to_cull: '^[\\s\\S]{2}' } }),
      deps,
    );
    try {
      const r = await other.generate({ messages: chat('Hello'), args: { maxTokens: 8 } });
      expect((r.call.request as { prompt: string }).prompt).toBe('Hello<|im_start|>');
      const tok = await AutoTokenizer.from_pretrained(join(root, 'tiny'), { local_files_only: true });
      const raw = tok.decode((r.call.response as { choices: { tokenIds: number[] }[] }).choices[0]?.tokenIds ?? [], { skip_special_tokens: true });
      expect(raw.length).toBeGreaterThan(2);
      expect(r.choices[0]?.text).toBe(raw.slice(2));
    } finally {
      await other.close();
    }
  });

  it('fails with a ConfigError naming a missing local folder', async () => {
    const missing = join(root, 'nope');
    const err = await createTransformersBackend(spec({ huggingface_id: missing }), deps).catch((e: unknown) => e);
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message).toBe(
      `tiny: model folder '${missing}' not found (looked in ${root}). Point it at a folder with onnx/model.onnx or a Llama model.safetensors, or at a Hugging Face hub id.`,
    );
  });

  it('uses a local folder as it is (ids that are not folders go to the hub: hub.test.ts)', async () => {
    expect(await resolveModelSource(spec(), {}, deps)).toEqual({ kind: 'local', dir: join(root, 'tiny') });
  });

  it('loads a model whose weights are in several external data chunks', async () => {
    writeTinyLlama(join(root, 'tiny-ext'), { seed: 11, externalData: true, chunkBytes: 100_000 });
    const ext = await createTransformersBackend(spec({ huggingface_id: 'tiny-ext' }), deps);
    try {
      const request = { messages: chat('Is it an animal?'), args: { maxTokens: 6 } };
      expect((await ext.generate(request)).call.response).toEqual((await backend.generate(request)).call.response);
    } finally {
      await ext.close();
    }
  });

  it('returns logprobs of generated tokens under the model distribution, batched and sampled', async () => {
    const tok = await AutoTokenizer.from_pretrained(join(root, 'tiny'), { local_files_only: true });
    const V = tiny.config.vocabSize;
    const prompts = ['Hi', 'Is it a big red fruit?'];
    // Temperature 2 without a seed: both requests share one sampled batch; logprobs must still be the raw model's.
    const results = await Promise.all(prompts.map((p) => backend.generate({ messages: chat(p), args: { temperature: 2, maxTokens: 5, logprobs: true, topLogprobs: 3 } })));
    expect(results.map((r) => (r.call.request as { batchRows: number }).batchRows)).toEqual([2, 2]);
    results.forEach((r, k) => {
      const promptIds = tok.encode(`<|im_start|>user\n${prompts[k]}<|im_end|>\n<|im_start|>assistant\n`, { add_special_tokens: false });
      const ids = (r.call.response as { choices: { tokenIds: number[] }[] }).choices[0]?.tokenIds ?? [];
      const lsm = logSoftmaxRows(referenceLogits(tiny.config, weights, [...promptIds, ...ids]), V);
      const lps = r.choices[0]?.logprobs ?? [];
      expect(lps).toHaveLength(ids.length);
      lps.forEach((lp, i) => {
        const at = (promptIds.length + i - 1) * V;
        expect(lp.logprob).toBeCloseTo(lsm[at + (ids[i] as number)] as number, 3);
        expect(lp.token).toBe(tok.decode([ids[i] as number], { skip_special_tokens: false }));
        const best = Math.max(...Array.from(lsm.subarray(at, at + V)));
        expect(lp.top).toHaveLength(3);
        expect(lp.top?.[0]?.logprob).toBeCloseTo(best, 3);
      });
    });
  });

  it('honours topP: a tiny nucleus samples the greedy tokens', async () => {
    const greedy = await backend.generate({ messages: chat('Is it an animal?'), args: { maxTokens: 6 } });
    const nucleus = await backend.generate({ messages: chat('Is it an animal?'), args: { maxTokens: 6, temperature: 1.5, topP: 1e-6, seed: 1 } });
    const wide = await backend.generate({ messages: chat('Is it an animal?'), args: { maxTokens: 6, temperature: 1.5, seed: 1 } });
    expect(nucleus.call.response).toEqual(greedy.call.response);
    expect(wide.call.response).not.toEqual(greedy.call.response);
  });

  it('rejects at once when the caller aborts, and the backend goes on working', async () => {
    const controller = new AbortController();
    const pending = backend.generate({ messages: chat('Hi'), args: { maxTokens: 50 } }, controller.signal);
    controller.abort(new Error('timed out'));
    await expect(pending).rejects.toThrow('timed out');
    const after = await backend.generate({ messages: chat('Hi'), args: { maxTokens: 3 } });
    expect(after.choices[0]?.finish).toBeDefined();
  });
});
