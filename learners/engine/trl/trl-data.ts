import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessage } from '../../../backends/backend.js';
import type { TrlSftFormat } from './trl-config.js';

/** A conversational SFT row (TRL's `messages` format). */
export interface SftConversation {
  messages: ChatMessage[];
}

/** A conversational preference row with an explicit prompt (TRL's `prompt` / `chosen` / `rejected`). */
export interface PreferencePair {
  prompt: ChatMessage[];
  chosen: ChatMessage[];
  rejected: ChatMessage[];
}

const GENERATION_BLOCK = /\{%-?\s*generation\s*-?%\}/;

/** The chat template of a local model folder (tokenizer_config.json or chat_template.jinja), or null. */
export function readChatTemplate(dir: string): string | null {
  const jinja = join(dir, 'chat_template.jinja');
  if (existsSync(jinja)) return readFileSync(jinja, 'utf8');
  const configPath = join(dir, 'tokenizer_config.json');
  if (!existsSync(configPath)) return null;
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { chat_template?: unknown };
  const t = config.chat_template;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const entry = t.find((e: unknown) => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'default') as { template?: unknown } | undefined;
    return typeof entry?.template === 'string' ? entry.template : null;
  }
  return null;
}

/**
 * How SFT rows go to TRL. TRL's `assistant_only_loss` needs a chat template with `{% generation %}` blocks
 * (HF's return_assistant_tokens_mask); most templates have none, so by default every assistant reply becomes
 * its own prompt/completion row (loss on that reply only: the same tokens the built-in engine trains on).
 */
export function chooseSftFormat(baseDir: string | null): TrlSftFormat {
  if (baseDir === null) return 'prompt-completion';
  const template = readChatTemplate(baseDir);
  return template !== null && GENERATION_BLOCK.test(template) ? 'messages' : 'prompt-completion';
}

/** TRL rows for SFT conversations in the chosen format. */
export function trlSftRows(rows: readonly SftConversation[], format: TrlSftFormat): unknown[] {
  if (format === 'messages') return rows.map((r) => ({ messages: r.messages }));
  const out: unknown[] = [];
  for (const { messages } of rows) {
    messages.forEach((m, i) => {
      if (m.role === 'assistant' && i > 0) out.push({ prompt: messages.slice(0, i), completion: [m] });
    });
  }
  return out;
}

/** TRL rows for preference pairs (only the three columns TRL reads). */
export function trlDpoRows(rows: readonly PreferencePair[]): unknown[] {
  return rows.map((r) => ({ prompt: r.prompt, chosen: r.chosen, rejected: r.rejected }));
}
