import type { ChatMessage } from '../../backends/backend.js';

/**
 * A player's messages as a judge reads them: what the game sent it as `[Game]`, its own replies as
 * `[<role>]`, a system message as `[System]`. One block per message, separated by blank lines.
 */
export function transcriptText(messages: readonly ChatMessage[], role: string): string {
  if (messages.length === 0) return '(nothing yet)';
  const who = { system: 'System', user: 'Game', assistant: role } as const;
  return messages.map((m) => `[${who[m.role]}] ${m.content.trim()}`).join('\n\n');
}

/**
 * The first JSON object in a judge's reply (models wrap it in prose or code fences), parsed; null when there is
 * none or it does not parse. Scans for balanced braces outside strings.
 */
export function firstJsonObject(text: string): unknown {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        try {
          return JSON.parse(text.slice(start, i + 1)) as unknown;
        } catch {
          break; // not JSON from this brace on: try the next opening brace
        }
      }
    }
  }
  return null;
}

/** A judge score in [0, 1]: a number, or an object's `score`; null when missing or out of range. */
export function unitScore(value: unknown): number | null {
  const v = typeof value === 'object' && value !== null && 'score' in value ? (value as { score: unknown }).score : value;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

/** Whitespace-separated tokens of some texts (verl's `token_amount`: no tokenizer, comparable across models). */
export function whitespaceTokens(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + (t.trim() === '' ? 0 : t.trim().split(/\s+/).length), 0);
}

/** Clamps to [−1, 1] (CollabLLM's per-term clamp). */
export const clampUnit = (x: number): number => Math.max(-1, Math.min(1, x));

/**
 * What happened from the branch point on, as a judge reads it: every reply in play order as `[<role>] …`
 * (the candidate first), then how the game ended, or that it goes on.
 */
export function futureText(future: import('../../core/replay.js').Branch): string {
  const roles = future.interactions.players;
  const lines = future.turns.slice(future.from).flatMap((t) => (t.reply === null ? [] : [`[${roles[t.player]?.game_role ?? t.player}] ${t.reply.trim()}`]));
  lines.push(future.outcome === null ? '[Game] (the game goes on)' : `[Game] The game ended: ${future.outcome === 'success' ? 'won' : future.outcome === 'lose' ? 'lost' : 'aborted (a reply broke the format)'}.`);
  return lines.join('\n\n');
}
