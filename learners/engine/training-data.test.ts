import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../backends/backend.js';
import { writeTinyLlama } from '../../backends/onnx/index.js';
import { type ChatTokenizer, loadChatTokenizer } from '../../backends/transformers/index.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { type SeqExample, readTrainingData } from './training-data.js';

/**
 * Rows → token ids and per-token loss weights through the tiny model's real ChatML template: which tokens each
 * loss trains on (assistant replies and their end-of-turn token only), and where each kind of PG weight lands.
 */
const tmp = tempDirs('clem-ts-training-data-');
let dir: string;
let tok: ChatTokenizer;
beforeAll(async () => {
  dir = tmp.make();
  writeTinyLlama(join(dir, 'tiny'), { seed: 1 });
  tok = await loadChatTokenizer(join(dir, 'tiny'));
});
afterAll(() => tmp.cleanup());

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });
const conversation = [user('Think of an animal.'), assistant('Is it alive?'), user('Yes.'), assistant('Is it a dog?')];

function file(name: string, rows: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return path;
}

/** The text of the tokens whose mask is 1, one string per run of consecutive trained tokens. */
function trainedText(s: SeqExample): string[] {
  const runs: number[][] = [];
  s.mask.forEach((m, i) => {
    if (m !== 1) return;
    const last = runs.at(-1);
    if (last && last.at(-1) === i - 1) last.push(i);
    else runs.push([i]);
  });
  return runs.map((r) => tok.decode(r.map((i) => s.ids[i] as number)));
}

function seq(kind: 'sft' | 'pg', path: string, index = 0): SeqExample {
  const e = readTrainingData(kind, path, tok, 2048).examples[index];
  if (e?.kind !== 'seq') throw new Error('expected a sequence');
  return e.seq;
}

describe('readTrainingData (tiny model, ChatML)', () => {
  it('SFT trains on every assistant reply and its end-of-turn token, with weight 1, and nothing else', () => {
    const s = seq('sft', file('sft.jsonl', [{ messages: conversation, metadata: { any: 1 } }]));
    expect(trainedText(s)).toEqual(['Is it alive?<|im_end|>', 'Is it a dog?<|im_end|>']);
    expect(s.weights).toEqual(s.mask);
  });

  it('PG: weight on every assistant token, turn_weights per reply (null leaves it at 0), token_weights in order', () => {
    const sft = seq('sft', file('ref.jsonl', [{ messages: conversation }]));
    const positions = sft.mask.flatMap((m, i) => (m === 1 ? [i] : []));
    const firstReply = tok.encode('Is it alive?').length + 1;
    const path = file('pg.jsonl', [
      { messages: conversation, weight: -0.5 },
      { messages: conversation, turn_weights: [null, 2, null, null] },
      { messages: conversation, token_weights: positions.map((_, k) => k / 10) },
    ]);
    const [bySequence, byTurn, byToken] = [0, 1, 2].map((i) => seq('pg', path, i));
    expect(bySequence?.ids).toEqual(sft.ids);
    expect(bySequence?.weights).toEqual(sft.mask.map((m) => (m === 1 ? -0.5 : 0)));
    expect(positions.map((p) => byTurn?.weights[p])).toEqual(positions.map((_, k) => (k < firstReply ? 2 : 0)));
    expect(byTurn?.weights.filter((w) => w !== 0)).toHaveLength(firstReply);
    expect(positions.map((p) => byToken?.weights[p])).toEqual(positions.map((_, k) => k / 10));
    expect(byToken?.weights.reduce((a, w) => a + Math.abs(w), 0)).toBeCloseTo(positions.reduce((a, _, k) => a + k / 10, 0), 12);
  });

  it('PG: token_weights that do not match the template\'s assistant tokens are refused with both counts', () => {
    const path = file('pg-bad.jsonl', [{ messages: conversation, token_weights: [1, 2, 3] }]);
    expect(() => readTrainingData('pg', path, tok, 2048)).toThrow(/pg-bad\.jsonl \(line 1\): token_weights has 3 values but the base model's chat template gives \d+ assistant tokens/);
    const both = file('pg-both.jsonl', [{ messages: conversation, weight: 1, token_weights: [1] }]);
    expect(() => readTrainingData('pg', both, tok, 2048)).toThrow(/give exactly one of weight, turn_weights, token_weights/);
  });

  it('DPO: chosen and rejected share the prompt, only the replies are trained on; stored references are all or none', () => {
    const pair = { prompt: conversation.slice(0, 3), chosen: [assistant('Is it a cat?')], rejected: [assistant('Is it red?')] };
    const [e] = readTrainingData('dpo', file('dpo.jsonl', [pair]), tok, 2048).examples;
    if (e?.kind !== 'pair') throw new Error('expected a pair');
    expect(trainedText(e.chosen)).toEqual(['Is it a cat?<|im_end|>']);
    expect(trainedText(e.rejected)).toEqual(['Is it red?<|im_end|>']);
    expect(e.ref).toBeNull();
    const partial = file('dpo-partial.jsonl', [{ ...pair, ref_chosen_logps: -3, ref_rejected_logps: -4 }, pair]);
    expect(() => readTrainingData('dpo', partial, tok, 2048)).toThrow('dpo-partial.jsonl: 1 of 2 rows carry ref_chosen_logps/ref_rejected_logps; give them in every row or in none.');
  });

  it('cuts rows longer than maxLength at the end and counts them', () => {
    const path = file('long.jsonl', [{ messages: conversation }, { messages: [user('a'), assistant('b')] }]);
    const short = seq('sft', path, 1).ids.length;
    const data = readTrainingData('sft', path, tok, short);
    expect(data.truncated).toBe(1);
    const [first, second] = data.examples.map((e) => (e.kind === 'seq' ? e.seq : null));
    expect(first?.ids).toEqual(seq('sft', path, 0).ids.slice(0, short));
    expect(first?.mask).toHaveLength(short);
    expect(second?.ids).toHaveLength(short);
  });
});
