import { describe, expect, it } from 'vitest';
import { decideEpisode } from './episode-run.js';

const pending = { status: 'pending' } as const;
const completed = { status: 'completed' } as const;
const errored = (text: string) => ({ status: 'errored', errorText: text }) as const;

describe('decideEpisode: whose result is it', () => {
  it('done before this worker started: skipped; done since: another worker’s', () => {
    expect(decideEpisode(completed, completed, false)).toBe('skipped');
    expect(decideEpisode(pending, completed, false)).toBe('done-elsewhere');
    expect(decideEpisode(errored('e1'), completed, true)).toBe('done-elsewhere');
    expect(decideEpisode(pending, errored('e1'), true)).toBe('done-elsewhere');
  });

  it('an earlier failure is retried only with --retry-errors, and only if no other worker retried it meanwhile', () => {
    expect(decideEpisode(errored('e1'), errored('e1'), false)).toBe('skipped-errored');
    expect(decideEpisode(errored('e1'), errored('e1'), true)).toBe('play');
    expect(decideEpisode(errored('e1'), errored('e2'), true)).toBe('done-elsewhere');
    expect(decideEpisode(errored('e1'), pending, false)).toBe('play');
  });

  it('pending (never played, or a dead worker’s attempt): play', () => {
    expect(decideEpisode(pending, pending, false)).toBe('play');
    expect(decideEpisode(completed, pending, false)).toBe('play');
  });
});
