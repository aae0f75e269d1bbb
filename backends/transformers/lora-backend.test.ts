import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { BackendDeps } from '../deps.js';
import { type LoraPair, SafetensorsFile, logSoftmaxRows, referenceLogits, writeRandomPeftAdapter, writeTinyLlama } from '../onnx/index.js';
import { createTransformersBackend } from './index.js';

let root: string;
let deps: BackendDeps;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'clem-tf-lora-'));
  deps = { keys: KeyRing.empty(), cacheDir: join(root, 'cache'), modelsDir: root };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('transformers backend with model_config.peft_model', () => {
  it('merges the adapter into a cached ONNX model and scores like the base + LoRA reference', async () => {
    const base = writeTinyLlama(join(root, 'base'), { seed: 21 });
    rmSync(join(root, 'base', 'onnx'), { recursive: true }); // a plain HF checkpoint: safetensors only
    const adapter = writeRandomPeftAdapter(join(root, 'adapter'), base.config, { seed: 3 });
    const spec: ModelSpec = { model_name: 'tiny-lora', backend: 'transformers', huggingface_id: 'base', model_config: { peft_model: 'adapter' } };
    const backend = await createTransformersBackend(spec, deps);
    try {
      expect(readdirSync(join(root, 'cache', 'onnx-models'))).toHaveLength(1);
      const tok = await AutoTokenizer.from_pretrained(join(root, 'base'), { local_files_only: true });
      const promptIds = tok.encode('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n', { add_special_tokens: false });
      const contIds = tok.encode('Yes it is.', { add_special_tokens: false });
      const f = SafetensorsFile.open(join(root, 'base', 'model.safetensors'));
      const weights = new Map([...f.entries.keys()].map((k) => [k, f.readF32(k)]));
      const lora = new Map<string, LoraPair>([...adapter.pairs].map(([m, p]) => [m, { ...p, scale: adapter.scale }]));
      const V = base.config.vocabSize;
      const lsm = logSoftmaxRows(referenceLogits(base.config, weights, [...promptIds, ...contIds], lora), V);
      const score = await backend.score?.({ messages: [{ role: 'user', content: 'Hi' }], continuation: 'Yes it is.', endOfTurn: false });
      score?.tokenLogprobs.forEach((lp, i) => expect(lp).toBeCloseTo(lsm[(promptIds.length + i - 1) * V + (contIds[i] as number)] as number, 3));
      expect(score?.tokenLogprobs).toHaveLength(contIds.length);
    } finally {
      await backend.close();
    }
    // A second backend reuses the merged model instead of writing another.
    const again = await createTransformersBackend(spec, deps);
    await again.close();
    expect(readdirSync(join(root, 'cache', 'onnx-models'))).toHaveLength(1);
  });

  it('fails with a ConfigError when the adapter folder is missing', async () => {
    writeTinyLlama(join(root, 'base2'), { seed: 1 });
    const spec: ModelSpec = { model_name: 'm', backend: 'transformers', huggingface_id: 'base2', model_config: { peft_model: './no-such-adapter' } };
    const err = await createTransformersBackend(spec, deps).catch((e: unknown) => e);
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message).toBe(
      `m: PEFT adapter './no-such-adapter' not found (looked in ${root}). Point it at a folder with adapter_config.json and adapter_model.safetensors, or at a Hugging Face hub id.`,
    );
  });
});
