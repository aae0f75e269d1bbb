import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../base/errors.js';
import { KeyRing } from '../../registry/keys.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import { LoopbackHub } from '../../test/fixtures/hub-server.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import type { BackendDeps } from '../deps.js';
import { convertSafetensors, writeRandomPeftAdapter, writeTinyLlama } from '../onnx/index.js';
import { createTransformersBackend } from './index.js';
import { selectModelFiles } from './hub-files.js';

const tmp = tempDirs('clem-tf-hub-');
let hub: LoopbackHub;
let root: string;


beforeAll(async () => {
  hub = await LoopbackHub.start();
  root = tmp.make();
  // A Llama checkpoint as the hub has them: bf16 safetensors, no ONNX, the chat template in chat_template.jinja.
  const base = writeTinyLlama(join(root, 'base'), { seed: 31 });
  rmSync(join(root, 'base', 'onnx'), { recursive: true });
  convertSafetensors(join(root, 'base', 'model.safetensors'), 'BF16');
  const tokConfig = JSON.parse(readFileSync(join(root, 'base', 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(root, 'base', 'chat_template.jinja'), String(tokConfig.chat_template));
  delete tokConfig.chat_template;
  writeFileSync(join(root, 'base', 'tokenizer_config.json'), JSON.stringify(tokConfig));
  hub.addRepo('meta-test/tiny-llama-bf16', join(root, 'base'));
  writeRandomPeftAdapter(join(root, 'adapter'), base.config, { seed: 5 });
  hub.addRepo('clem-test/tiny-20q-lora', join(root, 'adapter'));
});
afterAll(async () => {
  await hub.close();
  tmp.cleanup();
});

function hubDeps(extra: Partial<BackendDeps> = {}): BackendDeps {
  const home = tmp.make();
  return { keys: KeyRing.empty(), cacheDir: join(home, 'clem'), modelsDir: home, env: { HF_HOME: join(home, 'hf'), HF_ENDPOINT: hub.endpoint }, ...extra };
}

const ask = { messages: [{ role: 'user' as const, content: 'Is it an animal?' }], args: { maxTokens: 8 } };

describe('transformers backend: hub ids', () => {
  it('downloads a bf16 safetensors checkpoint into the HF cache, converts it, and answers as the same local folder does', async () => {
    const spec: ModelSpec = { model_name: 'tiny-hub', backend: 'transformers', huggingface_id: 'meta-test/tiny-llama-bf16' };
    const fromHub = await createTransformersBackend(spec, hubDeps());
    const localDir = join(tmp.make(), 'local');
    cpSync(join(root, 'base'), localDir, { recursive: true });
    const fromFolder = await createTransformersBackend({ ...spec, huggingface_id: localDir }, hubDeps());
    try {
      const [a, b] = [await fromHub.generate(ask), await fromFolder.generate(ask)];
      expect(a.call.response).toEqual(b.call.response);
      expect(a.usage.outputTokens).toBeGreaterThan(0);
      expect((a.call.request as { prompt: string }).prompt).toBe('<|im_start|>user\nIs it an animal?<|im_end|>\n<|im_start|>assistant\n');
    } finally {
      await fromHub.close();
      await fromFolder.close();
    }
    expect(hub.requests.some((r) => r.path.includes('chat_template.jinja'))).toBe(true);
  });

  it('merges a PEFT adapter named by hub id, as it merges the same adapter from a folder', async () => {
    const spec: ModelSpec = { model_name: 'tiny-lora', backend: 'transformers', huggingface_id: 'meta-test/tiny-llama-bf16', model_config: { peft_model: 'clem-test/tiny-20q-lora' } };
    const fromHub = await createTransformersBackend(spec, hubDeps());
    const local = await createTransformersBackend({ ...spec, huggingface_id: join(root, 'base'), model_config: { peft_model: join(root, 'adapter') } }, hubDeps());
    const plain = await createTransformersBackend({ ...spec, model_config: {} }, hubDeps());
    try {
      const request = { messages: ask.messages, continuation: 'Yes it is.' };
      const [a, b, c] = [await fromHub.score?.(request), await local.score?.(request), await plain.score?.(request)];
      expect(a?.tokenLogprobs).toEqual(b?.tokenLogprobs);
      expect(a?.logprob).not.toBeCloseTo(c?.logprob ?? 0, 3); // the adapter changed the model
    } finally {
      await Promise.all([fromHub.close(), local.close(), plain.close()]);
    }
  });

  it('refuses a model too large for the available memory before converting it, with the estimate and the free memory', async () => {
    const spec: ModelSpec = { model_name: 'tiny-hub', backend: 'transformers', huggingface_id: 'meta-test/tiny-llama-bf16' };
    const deps = hubDeps({ availableMemory: () => 100 * 1024 ** 2 });
    const err = await createTransformersBackend(spec, deps).catch((e: unknown) => e);
    expect(hasCode(err, 'config')).toBe(true);
    expect((err as Error).message).toMatch(
      /^tiny-hub: the model needs about 0\.3 GiB of memory \(0\.00B parameters as float32 0\.0 GiB, converted to ONNX and loaded: × 2\.2 \+ 0\.3 GiB\) but only 0\.1 GiB is available\. Use a smaller model, or a quantized GGUF of it through the llamacpp backend\. Set model_config.memory_check to false to load it anyway\.$/,
    );
    const loaded = await createTransformersBackend({ ...spec, model_config: { memory_check: false } }, deps);
    await loaded.close();
  });
});

describe('selectModelFiles', () => {
  const common = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'README.md', 'generation_config.json'];
  it('takes the ONNX file of the dtype with its data chunks, and not the weights it does not need', () => {
    const paths = [...common, 'onnx/model.onnx', 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data', 'onnx/model_q4.onnx_data_1', 'model.safetensors'];
    expect(selectModelFiles(paths, 'q4')).toEqual({
      files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data', 'onnx/model_q4.onnx_data_1'],
      optional: ['generation_config.json', 'special_tokens_map.json', 'chat_template.jinja', 'chat_template.json'],
    });
    expect(selectModelFiles(paths, undefined)).toMatchObject({ files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] });
  });
  it('falls back to sharded safetensors, and says what is missing', () => {
    expect(selectModelFiles([...common, 'model.safetensors.index.json', 'model-00002-of-00002.safetensors', 'model-00001-of-00002.safetensors'], 'fp32')).toMatchObject({
      files: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'],
    });
    expect(selectModelFiles([...common, 'onnx/model_fp16.onnx'], 'q8')).toBe(
      'no onnx/model_quantized.onnx for dtype q8 (its ONNX files: onnx/model_fp16.onnx; set model_config.dtype to match one) and no model.safetensors',
    );
    expect(selectModelFiles(['config.json', 'model.safetensors'], undefined)).toBe('no tokenizer.json, tokenizer_config.json (a transformers model repository has config.json and the tokenizer files)');
  });
});
