import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../backend.js';
import { type TinyLlamaModel, writeTinyLlama } from '../onnx/index.js';
import { type ChatTokenizer, loadChatTokenizer, tokenizeChat } from './chat-tokens.js';

let root: string;
let tiny: TinyLlamaModel;
let chat: ChatTokenizer;
let raw: PreTrainedTokenizer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'clem-chat-tokens-'));
  tiny = writeTinyLlama(join(root, 'tiny'), { seed: 3, safetensors: false });
  chat = await loadChatTokenizer(tiny.dir);
  raw = await AutoTokenizer.from_pretrained(tiny.dir, { local_files_only: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const conversation: ChatMessage[] = [
  { role: 'system', content: 'You play 20 questions.' },
  { role: 'user', content: 'Ask your first question.' },
  { role: 'assistant', content: 'Q: Is it alive?' },
  { role: 'user', content: 'A: no' },
  { role: 'assistant', content: 'Q: Is it a tool?' },
  { role: 'user', content: 'A: yes' },
];
const encode = (text: string) => raw.encode(text, { add_special_tokens: false });

describe('ChatTokenizer.tokenize', () => {
  it('marks exactly the assistant replies and their end-of-turn token', () => {
    const t = chat.tokenize(conversation);
    expect(t.text).toBe(
      '<|im_start|>system\nYou play 20 questions.<|im_end|>\n<|im_start|>user\nAsk your first question.<|im_end|>\n' +
        '<|im_start|>assistant\nQ: Is it alive?<|im_end|>\n<|im_start|>user\nA: no<|im_end|>\n' +
        '<|im_start|>assistant\nQ: Is it a tool?<|im_end|>\n<|im_start|>user\nA: yes<|im_end|>\n',
    );
    // ChatML replies start after a newline: the pieces tokenize as the whole text does.
    expect(t.ids).toEqual(encode(t.text));
    expect(t.assistantMask).toHaveLength(t.ids.length);
    const masked = t.ids.filter((_, i) => t.assistantMask[i] === 1);
    expect(raw.decode(masked, { skip_special_tokens: false })).toBe('Q: Is it alive?<|im_end|>Q: Is it a tool?<|im_end|>');
    expect(t.spans.map((s) => s.message)).toEqual([2, 4]);
    for (const s of t.spans) {
      expect(s.hasEndOfTurn).toBe(true);
      expect(t.ids[s.end - 1]).toBe(tiny.tokenIds.imEnd);
      expect(t.assistantMask.slice(s.start, s.end).every((m) => m === 1)).toBe(true);
    }
    // Everything outside the spans is unmasked, the newline after <|im_end|> included.
    expect(t.assistantMask.reduce((a, b) => a + b, 0)).toBe(t.spans.reduce((a, s) => a + s.end - s.start, 0));
    expect(raw.decode([t.ids[(t.spans[0]?.end ?? 0)] as number])).toBe('\n');
  });

  it('starts each reply where generate() would: after promptIds of the messages before it', () => {
    const t = chat.tokenize(conversation);
    for (const s of t.spans) expect(t.ids.slice(0, s.start)).toEqual(chat.promptIds(conversation.slice(0, s.message)));
  });

  it('has no mask without assistant replies, and ends with the generation prompt nowhere', () => {
    const t = chat.tokenize(conversation.slice(0, 2));
    expect(t.spans).toEqual([]);
    expect(t.assistantMask.every((m) => m === 0)).toBe(true);
    expect(t.text.endsWith('<|im_start|>assistant\n')).toBe(false);
  });

  it('masks the whole reply where the template writes no end-of-turn token', () => {
    const render = (ms: ChatMessage[], gen: boolean) => ms.map((m) => `${m.role}: ${m.content}\n`).join('') + (gen ? 'assistant: ' : '');
    const t = tokenizeChat(conversation.slice(1, 3), { render, encode, endOfTurnIds: new Set([tiny.tokenIds.imEnd]) });
    expect(t.spans).toEqual([{ message: 1, start: encode('user: Ask your first question.\nassistant: ').length, end: t.ids.length, hasEndOfTurn: false }]);
    expect(raw.decode(t.ids.slice(t.spans[0]?.start))).toBe('Q: Is it alive?\n');
  });

  it('refuses a template that rewrites earlier replies once later turns follow', () => {
    // Drops every assistant reply but the last, as templates that strip earlier reasoning do.
    const render = (ms: ChatMessage[], gen: boolean) =>
      ms.map((m, i) => (m.role === 'assistant' && i < ms.length - 1 ? '' : `${m.role}: ${m.content}\n`)).join('') + (gen ? 'assistant: ' : '');
    expect(() => tokenizeChat(conversation, { render, encode, endOfTurnIds: new Set() })).toThrow(
      'the chat template renders message 2 (assistant) differently once later messages follow, so its tokens cannot be marked; ' +
        'use a template that renders earlier turns unchanged (model_config.custom_chat_template).',
    );
  });

  it('reads end-of-turn ids from the folder and names a folder without a tokenizer', async () => {
    expect([...chat.endOfTurnIds].sort((a, b) => a - b)).toEqual([tiny.tokenIds.endOfText, tiny.tokenIds.imEnd].sort((a, b) => a - b));
    const empty = join(root, 'empty');
    await expect(loadChatTokenizer(empty)).rejects.toThrow(`could not load the tokenizer in ${empty}`);
  });
});
