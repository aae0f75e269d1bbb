import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../registry/keys.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend, ChatMessage, ScoreRequest, ScoreResult } from '../backend.js';
import { type LlamaWeights, SafetensorsFile, type TinyLlamaModel, logSoftmaxRows, referenceLogits, writeTinyLlama } from '../onnx/index.js';
import { type ChatTokenizer, createTransformersBackend, loadChatTokenizer } from './index.js';

let root: string;
let tiny: TinyLlamaModel;
let weights: LlamaWeights;
let backend: Backend;
let chat: ChatTokenizer;

const spec: ModelSpec = { model_name: 'tiny', backend: 'transformers', huggingface_id: 'tiny' };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'clem-score-'));
  tiny = writeTinyLlama(join(root, 'tiny'), { seed: 5 });
  const f = SafetensorsFile.open(join(root, 'tiny', 'model.safetensors'));
  weights = new Map([...f.entries.keys()].map((k) => [k, f.readF32(k)]));
  backend = await createTransformersBackend(spec, { keys: KeyRing.empty(), cacheDir: join(root, 'cache'), modelsDir: root });
  chat = await loadChatTokenizer(tiny.dir);
});
afterAll(async () => {
  await backend.close();
  rmSync(root, { recursive: true, force: true });
});

const history: ChatMessage[] = [
  { role: 'user', content: 'Guess the word.' },
  { role: 'assistant', content: 'Is it alive?' },
  { role: 'user', content: 'no' },
];
const requests: ScoreRequest[] = [
  { messages: history, continuation: 'Is it a tool?' },
  { messages: history, continuation: 'Is it a kitchen tool that cuts things?' },
  { messages: history.slice(0, 1), continuation: 'apple' },
  { messages: history, continuation: 'Is it a tool?', endOfTurn: false },
];

/** Log-probabilities of the reply's tokens (and <|im_end|>) from the plain-TypeScript forward pass. */
function referenceScore(request: ScoreRequest): number[] {
  const prompt = chat.promptIds(request.messages);
  const reply = [...chat.encode(request.continuation), ...(request.endOfTurn === false ? [] : [tiny.tokenIds.imEnd])];
  const all = [...prompt, ...reply];
  const V = tiny.config.vocabSize;
  const lsm = logSoftmaxRows(referenceLogits(tiny.config, weights, all), V);
  return reply.map((id, i) => lsm[(prompt.length + i - 1) * V + id] as number);
}

describe('transformers score()', () => {
  it('scores the reply and its end-of-turn token as an independent log-softmax does', async () => {
    for (const request of requests) {
      const score = await backend.score?.(request);
      const expected = referenceScore(request);
      expect(score?.tokenLogprobs).toHaveLength(expected.length);
      score?.tokenLogprobs.forEach((lp, i) => expect(lp).toBeCloseTo(expected[i] as number, 3));
      expect(score?.logprob).toBeCloseTo(expected.reduce((a, b) => a + b, 0), 2);
      expect(score?.tokens.join('')).toBe(request.endOfTurn === false ? request.continuation : `${request.continuation}<|im_end|>`);
    }
  });

  it('gives the same scores batched in one forward as one at a time', async () => {
    const alone: (ScoreResult | undefined)[] = [];
    for (const request of requests) alone.push(await backend.score?.(request));
    const together = await Promise.all(requests.map((r) => backend.score?.(r)));
    together.forEach((t, k) => {
      expect(t?.tokens).toEqual(alone[k]?.tokens);
      t?.tokenLogprobs.forEach((lp, i) => expect(lp).toBeCloseTo(alone[k]?.tokenLogprobs[i] as number, 5));
    });
  });

  it('runs concurrent score calls as one forward pass, not one per call', async () => {
    const alone = await backend.score?.(requests[0] as ScoreRequest);
    expect(alone?.batchRows).toBe(1);
    const together = await Promise.all(requests.map((r) => backend.score?.(r)));
    expect(together.map((t) => t?.batchRows)).toEqual([4, 4, 4, 4]);
  });

  it('scores while generation runs, and both stay right', async () => {
    const [generated, scored] = await Promise.all([
      backend.generate({ messages: history, args: { maxTokens: 5 } }),
      backend.score?.(requests[1] as ScoreRequest),
    ]);
    expect(generated.choices[0]?.text.length).toBeGreaterThan(0);
    const expected = referenceScore(requests[1] as ScoreRequest);
    scored?.tokenLogprobs.forEach((lp, i) => expect(lp).toBeCloseTo(expected[i] as number, 3));
  });
});
