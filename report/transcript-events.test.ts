import { describe, expect, it } from 'vitest';
import { flaggedReplies, participantsOf } from './transcript-events.js';
import type { EventRead } from '../registry/interactions.js';

const ev = (from: string, to: string, type: string): EventRead => ({ from, to, action: { type, content: '' } });

describe('flaggedReplies', () => {
  it('marks the reply a verdict is about, not replies before a turn limit or an error', () => {
    const events = [
      ev('GM', 'Player 1', 'send message'),
      ev('Player 1', 'GM', 'get message'),
      ev('GM', 'GM', 'violation noted'),
      ev('GM', 'Player 1', 'send message'),
      ev('Player 1', 'GM', 'get message'),
      ev('GM', 'GM', 'question'),
      ev('GM', 'GM', 'turn limit'),
    ];
    expect([...flaggedReplies(events).entries()].map(([i, f]) => [i, f.flag])).toEqual([[1, 'note']]);
    expect([...flaggedReplies([ev('Player 2', 'GM', 'get message'), ev('GM', 'GM', 'error')]).keys()]).toEqual([]);
    expect([...flaggedReplies([ev('Player 2', 'GM', 'get message'), ev('GM', 'GM', 'invalid format')]).entries()].map(([i, f]) => [i, f.flag])).toEqual([[0, 'abort']]);
  });
});

describe('participantsOf', () => {
  it('orders GM first, then listed players, then names seen only in events, each with its own colour', () => {
    const p = participantsOf({ 'Player 1': { role: 'Q', model: 'a' }, GM: { role: 'Game Master', model: 'programmatic' } }, [ev('Player 9', 'GM', 'get message')]);
    expect([...p.keys()]).toEqual(['GM', 'Player 1', 'Player 9']);
    expect(new Set([...p.values()].map((x) => x.colour)).size).toBe(3);
    expect(p.get('Player 9')?.role).toBe('');
  });
});
