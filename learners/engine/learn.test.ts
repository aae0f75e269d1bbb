import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../backends/index.js';
import type { Backend, ChatMessage } from '../../backends/backend.js';
import { writeTinyLlama } from '../../backends/onnx/index.js';
import { KeyRing } from '../../registry/keys.js';
import { loadModelRegistry, resolveModel } from '../../registry/model-registry.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { learn } from './learner.js';
import { readTrainLog } from './train-log.js';

/**
 * The built-in engine end to end on the tiny random Llama: train through the real ONNX training graph, write
 * the PEFT adapter, register it, and check the result through the transformers backend's merge path (an
 * independent inference graph), not through the trainer's own numbers.
 */
const tmp = tempDirs('clem-ts-learn-');
let cwd: string;
beforeAll(() => {
  cwd = tmp.make();
  writeTinyLlama(join(cwd, 'models', 'tiny'), { seed: 7 });
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'tiny', backend: 'transformers', huggingface_id: 'models/tiny', model_config: { premade_chat_template: true } }]));
});
afterAll(() => tmp.cleanup());

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

function writeRows(name: string, rows: unknown[]): string {
  writeFileSync(join(cwd, name), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return name;
}

async function open(name: string): Promise<Backend> {
  return createModel(resolveModel(name, loadModelRegistry({ cwd, includePackaged: false })), { keys: KeyRing.empty(), cacheDir: join(cwd, 'cache'), modelsDir: cwd });
}

async function logprob(model: Backend, prompt: ChatMessage[], reply: string): Promise<number> {
  const s = await model.score?.({ messages: prompt, continuation: reply });
  if (!s) throw new Error('no score');
  return s.logprob;
}

const rounded = (x: number) => Number(x.toFixed(3));

describe('learn with the built-in engine (tiny model)', () => {
  it('SFT: the registered model reproduces the training replies greedily', async () => {
    const pairs: [string, string][] = [
      ['Think of an animal.', 'Is it a mammal?'],
      ['Guess the word.', 'Is it a fruit?'],
    ];
    const data = writeRows('sft.jsonl', pairs.map(([q, a]) => ({ messages: [user(q), assistant(a)] })));
    const result = await learn({
      kind: 'sft', data, base: 'tiny', outDir: 'out-sft', engine: 'builtin', cwd, register: 'tiny-sft',
      hyper: { learningRate: 1e-2, epochs: 40, batchSize: 2, gradAccum: 1, warmupRatio: 0.1 }, lora: { r: 8 },
    });
    expect(result.output?.kind).toBe('adapter');
    expect(result.registered).toMatchObject({ model_name: 'tiny-sft', backend: 'transformers', huggingface_id: join(cwd, 'models', 'tiny'), model_config: { premade_chat_template: true, peft_model: join(cwd, 'out-sft', 'adapter') } });
    const log = readTrainLog(join(cwd, 'out-sft', 'train.jsonl'));
    expect(log).toHaveLength(40);
    expect(log.at(-1)?.loss as number).toBeLessThan((log[0]?.loss as number) / 10);
    for (const name of ['tiny', 'tiny-sft']) {
      const model = await open(name);
      try {
        for (const [q, a] of pairs) {
          const out = await model.generate({ messages: [user(q)], args: { temperature: 0, maxTokens: 24 } });
          if (name === 'tiny') expect(out.choices[0]?.text).not.toBe(a);
          else expect(out.choices[0]?.text).toBe(a);
        }
      } finally {
        await model.close();
      }
    }
  });

  it('SFT with --full: writes a model folder the transformers backend loads, and it reproduces the reply', async () => {
    const data = writeRows('sft-full.jsonl', [{ messages: [user('Name a fruit.'), assistant('Is it an apple?')] }]);
    const result = await learn({
      kind: 'sft', data, base: 'tiny', outDir: 'out-full', engine: 'builtin', cwd, register: 'tiny-full', full: true,
      hyper: { learningRate: 3e-3, epochs: 30, batchSize: 1, gradAccum: 1, warmupRatio: 0 },
    });
    expect(result.output).toEqual({ kind: 'model', dir: join(cwd, 'out-full', 'model') });
    expect(result.registered).toMatchObject({ huggingface_id: join(cwd, 'out-full', 'model'), model_config: { premade_chat_template: true } });
    expect(result.registered?.model_config?.peft_model).toBeUndefined();
    const model = await open('tiny-full');
    try {
      const out = await model.generate({ messages: [user('Name a fruit.')], args: { temperature: 0, maxTokens: 24 } });
      expect(out.choices[0]?.text).toBe('Is it an apple?');
    } finally {
      await model.close();
    }
  });

  it('DPO: loss starts at ln 2, the implicit reward margin grows and log p(chosen) − log p(rejected) rises', async () => {
    const pairs = [
      { prompt: [user('Think of an animal.')], chosen: [assistant('Is it alive?')], rejected: [assistant('Is it a dog?')] },
      { prompt: [user('Guess the word.')], chosen: [assistant('Is it a tool?')], rejected: [assistant('Is it red?')] },
    ];
    const data = writeRows('dpo.jsonl', pairs);
    await learn({
      kind: 'dpo', data, base: 'tiny', outDir: 'out-dpo', engine: 'builtin', cwd, register: 'tiny-dpo',
      hyper: { learningRate: 5e-3, epochs: 12, batchSize: 2, gradAccum: 1, warmupRatio: 0 }, lora: { r: 8 },
    });
    const log = readTrainLog(join(cwd, 'out-dpo', 'train.jsonl'));
    // float32 graphs: the policy's and the reference pass's summed log-probs (≈ −90) agree to ~1e-5
    expect(log[0]?.loss).toBeCloseTo(Math.LN2, 5);
    expect(log[0]?.rewards_margins).toBeCloseTo(0, 4);
    expect(log.at(-1)?.rewards_margins as number).toBeGreaterThan(0.5);
    expect(log.at(-1)?.rewards_accuracies).toBe(1);
    const gap = async (name: string) => {
      const model = await open(name);
      try {
        return await Promise.all(pairs.map(async (p) => (await logprob(model, p.prompt, p.chosen[0]?.content ?? '')) - (await logprob(model, p.prompt, p.rejected[0]?.content ?? ''))));
      } finally {
        await model.close();
      }
    };
    const before = await gap('tiny');
    const after = await gap('tiny-dpo');
    // The reference pass (ref-logps.json) is the base model's: its margins are what the backend scores for the base.
    const ref = JSON.parse(readFileSync(join(cwd, 'out-dpo', 'ref-logps.json'), 'utf8')) as { values: [number, number][] };
    expect(ref.values.map(([c, r]) => rounded(c - r))).toEqual(before.map(rounded));
    after.forEach((g, i) => expect(g).toBeGreaterThan((before[i] as number) + 5));
  });

  it('says what to download when the built-in engine is given a hub id, and refuses an unknown name', async () => {
    const data = writeRows('one.jsonl', [{ messages: [user('a'), assistant('b')] }]);
    await expect(learn({ kind: 'sft', data, base: 'org/some-model', outDir: 'out-hub', engine: 'builtin', cwd })).rejects.toThrow(
      "--base org/some-model: 'org/some-model' is not a local folder. The built-in engine reads the weights from disk: if it is a folder, check its path; if it is a hub id, download it (e.g. `huggingface-cli download org/some-model --local-dir models/<name>`) and pass that folder, or use --engine trl.",
    );
    await expect(learn({ kind: 'sft', data, base: 'tinny', outDir: 'out-typo', engine: 'builtin', cwd })).rejects.toThrow(/unknown model 'tinny'. Did you mean: tiny/);
  });

  it('checks the --register name before training: not the base\'s own, a safe name', async () => {
    const data = writeRows('reg.jsonl', [{ messages: [user('a'), assistant('b')] }]);
    await expect(learn({ kind: 'sft', data, base: 'tiny', outDir: 'out-reg', engine: 'builtin', cwd, register: 'tiny' })).rejects.toThrow(
      "--register tiny: that is the base model's own name; registering the trained model under it would replace the base entry. Choose another name.",
    );
    await expect(learn({ kind: 'sft', data, base: 'tiny', outDir: 'out-reg', engine: 'builtin', cwd, register: 'runs/tiny-sft' })).rejects.toThrow(
      '--register "runs/tiny-sft": the name contains a path separator (/ or \\)',
    );
    expect(existsSync(join(cwd, 'out-reg'))).toBe(false);
    expect(resolveModel('tiny', loadModelRegistry({ cwd, includePackaged: false })).model_config?.peft_model).toBeUndefined();
  });

  it('refuses a run whose only step is the warm-up\'s first, at learning rate 0, and trains once told how', async () => {
    const data = writeRows('three.jsonl', [1, 2, 3].map((i) => ({ messages: [user(`q${i}`), assistant(`a${i}`)] })));
    await expect(learn({ kind: 'sft', data, base: 'tiny', outDir: 'out-lr0', engine: 'builtin', cwd })).rejects.toThrow(
      `${join(cwd, 'three.jsonl')}: 3 row(s) make 1 optimizer step(s) (--batch-size 4 × --grad-accum 4 rows a step), and each has learning rate 0 (the first warm-up step): training would change nothing. Lower --batch-size or --grad-accum, raise --epochs, or pass --warmup-ratio 0.`,
    );
    expect(existsSync(join(cwd, 'out-lr0', 'adapter'))).toBe(false);
    const r = await learn({ kind: 'sft', data, base: 'tiny', outDir: 'out-lr0', engine: 'builtin', cwd, hyper: { warmupRatio: 0 }, lora: { r: 4 } });
    expect(r.steps).toBe(1);
    expect(readTrainLog(join(cwd, 'out-lr0', 'train.jsonl'))[0]?.learning_rate).toBe(1e-5);
  });

  it('DPO uses the reference log-probs stored in the dataset instead of computing them', async () => {
    const data = writeRows('dpo-ref.jsonl', [
      { prompt: [user('Ask.')], chosen: [assistant('Is it alive?')], rejected: [assistant('Is it red?')], ref_chosen_logps: -1000, ref_rejected_logps: -10 },
    ]);
    await learn({ kind: 'dpo', data, base: 'tiny', outDir: 'out-dpo-ref', engine: 'builtin', cwd, hyper: { maxSteps: 1, batchSize: 1, gradAccum: 1, warmupRatio: 0 }, lora: { r: 4 } });
    const [first] = readTrainLog(join(cwd, 'out-dpo-ref', 'train.jsonl'));
    expect(first?.rewards_chosen).toBeCloseTo(0.1 * ((first?.logps_chosen as number) + 1000), 4);
    expect(first?.rewards_rejected).toBeCloseTo(0.1 * ((first?.logps_rejected as number) + 10), 4);
    expect(existsSync(join(cwd, 'out-dpo-ref', 'ref-logps.json'))).toBe(false);
  });

  it('policy gradient: a positive and a negative weight move two replies\' log-probabilities apart', async () => {
    const prompt = [user('Think of an animal.')];
    const good = 'Is it a mammal?';
    const bad = 'Is it a tool?';
    const data = writeRows('pg.jsonl', [
      { messages: [...prompt, assistant(good)], weight: 1 },
      { messages: [...prompt, assistant(bad)], turn_weights: [null, -1] },
    ]);
    await learn({
      kind: 'pg', data, base: 'tiny', outDir: 'out-pg', engine: 'builtin', cwd, register: 'tiny-pg',
      hyper: { learningRate: 5e-3, epochs: 8, batchSize: 2, gradAccum: 1, warmupRatio: 0 }, lora: { r: 8 },
    });
    const measure = async (name: string) => {
      const model = await open(name);
      try {
        return [await logprob(model, prompt, good), await logprob(model, prompt, bad)] as const;
      } finally {
        await model.close();
      }
    };
    const [goodBefore, badBefore] = await measure('tiny');
    const [goodAfter, badAfter] = await measure('tiny-pg');
    expect(goodAfter).toBeGreaterThan(goodBefore + 1);
    expect(badAfter).toBeLessThan(badBefore - 1);
  });
});
