import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../backends/index.js';
import type { ChatMessage } from '../../backends/backend.js';
import { SafetensorsFile, type TensorToWrite, encodeHalf, writeSafetensors, writeTinyLlama } from '../../backends/onnx/index.js';
import { KeyRing } from '../../registry/keys.js';
import { loadModelRegistry, resolveModel } from '../../registry/model-registry.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { learn } from './learner.js';

/**
 * A base model as a Hugging Face download has it — BF16 weights in two shards with model.safetensors.index.json,
 * config.json saying bfloat16, the tokenizer files, and no ONNX file — trains with the built-in engine, and the
 * registered adapter plays through the transformers backend (which converts the BF16 base and merges the adapter).
 */
const tmp = tempDirs('clem-ts-learn-hf-');
let cwd: string;
beforeAll(() => {
  cwd = tmp.make();
  const tiny = writeTinyLlama(join(cwd, 'f32'), { seed: 11 });
  const dir = join(cwd, 'models', 'llama-bf16');
  const f32 = SafetensorsFile.open(join(tiny.dir, 'model.safetensors'));
  const names = [...f32.entries.keys()].sort();
  const shards: Map<string, TensorToWrite>[] = [new Map(), new Map()];
  const weightMap: Record<string, string> = {};
  names.forEach((name, i) => {
    const t = f32.readF32(name);
    const shard = i < names.length / 2 ? 0 : 1;
    shards[shard]?.set(name, { dtype: 'BF16', shape: t.shape, bytes: new Uint8Array(encodeHalf(t.data, 'BF16').buffer) });
    weightMap[name] = `model-0000${shard + 1}-of-00002.safetensors`;
  });
  mkdirSync(dir, { recursive: true });
  shards.forEach((tensors, i) => writeSafetensors(join(dir, `model-0000${i + 1}-of-00002.safetensors`), tensors, { format: 'pt' }));
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
  const config = JSON.parse(readFileSync(join(tiny.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  const { 'transformers.js_config': _js, ...hf } = config;
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...hf, torch_dtype: 'bfloat16' }));
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) copyFileSync(join(tiny.dir, f), join(dir, f));
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'hf-bf16', backend: 'transformers', huggingface_id: 'models/llama-bf16', model_config: { premade_chat_template: true } }]));
});
afterAll(() => tmp.cleanup());

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('learn from a Hugging Face model folder (BF16, sharded, no ONNX)', () => {
  it('trains, registers, and the registered model reproduces the training reply', async () => {
    const dir = join(cwd, 'models', 'llama-bf16');
    expect(existsSync(join(dir, 'onnx'))).toBe(false);
    expect(existsSync(join(dir, 'model.safetensors'))).toBe(false);
    writeFileSync(join(cwd, 'sft.jsonl'), `${JSON.stringify({ messages: [user('Think of a fruit.'), assistant('Is it yellow?')] })}\n`);
    const r = await learn({
      kind: 'sft', data: 'sft.jsonl', base: 'hf-bf16', outDir: 'out', engine: 'builtin', cwd, register: 'hf-bf16-sft',
      hyper: { learningRate: 1e-2, epochs: 30, batchSize: 1, gradAccum: 1, warmupRatio: 0 }, lora: { r: 8 },
    });
    expect(r.registered).toMatchObject({ huggingface_id: dir, model_config: { peft_model: join(cwd, 'out', 'adapter') } });
    for (const [name, expected] of [['hf-bf16', false], ['hf-bf16-sft', true]] as const) {
      const model = await createModel(resolveModel(name, loadModelRegistry({ cwd, includePackaged: false })), { keys: KeyRing.empty(), cacheDir: join(cwd, 'cache'), modelsDir: cwd });
      try {
        const out = await model.generate({ messages: [user('Think of a fruit.')], args: { temperature: 0, maxTokens: 16 } });
        expect(out.choices[0]?.text === 'Is it yellow?').toBe(expected);
      } finally {
        await model.close();
      }
    }
  });
});
