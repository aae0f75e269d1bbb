import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FileFormatError } from '../base/errors.js';
import { type Scores, parseScoresText, readJsonTolerant, stringifyScores } from './scores.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const real = path.join(
  here,
  '../test/fixtures/clemcore/playpen-sft-initial/llama3-8b-sft-t0.0/wordle_withcritic/0_high_frequency_words_clue_with_critic/episode_1/scores.json',
);

describe('readJsonTolerant', () => {
  it('turns bare NaN and ±Infinity into null', () => {
    expect(readJsonTolerant('{"a": NaN, "b": [Infinity, -Infinity, 1.5e3, -2], "c": -0.5}')).toEqual({
      a: null,
      b: [null, null, 1500, -2],
      c: -0.5,
    });
  });

  it('leaves the same words inside strings alone, escaped quotes included', () => {
    const text = '{"NaN": "NaN and -Infinity", "q": "say \\"NaN\\" Infinity", "x": NaN}';
    expect(readJsonTolerant(text)).toEqual({ NaN: 'NaN and -Infinity', q: 'say "NaN" Infinity', x: null });
  });

  it('still rejects what is not JSON', () => {
    expect(() => readJsonTolerant('{"a": nan}')).toThrow(SyntaxError);
    expect(() => readJsonTolerant('{"a": NaNx}')).toThrow(SyntaxError);
  });
});

describe('scores.json', () => {
  it('reads a real clemcore 2.5.1 file with NaN scores', async () => {
    const scores = parseScoresText(real, await readFile(real, 'utf8'));
    expect(scores['episode scores']['Main Score']).toBeNull();
    expect(scores['episode scores'].Aborted).toBe(1);
    expect(scores['turn scores']?.['0']).toEqual({ 'Closeness Score': null, 'Strategy Score': null });
    expect(scores.meta?.clem_version).toBe('2.5.1');
  });

  it('keeps string scores as clemcore codenames logs them', () => {
    const s = parseScoresText('f.json', '{"episode scores": {"experiment name": "risk_low", "Main Score": 100}}');
    expect(s['episode scores']['experiment name']).toBe('risk_low');
  });

  it('names the file and field when episode scores are missing', () => {
    expect(() => parseScoresText('x/scores.json', '{"turn scores": {}}')).toThrow(FileFormatError);
    expect(() => parseScoresText('x/scores.json', '{"turn scores": {}}')).toThrow(/^x\/scores\.json: episode scores: /);
  });

  it('writes strict JSON and refuses NaN', () => {
    const ok = { 'round scores': { '0': { 'Request Count': 1 } }, 'episode scores': { Aborted: 1, 'Main Score': null } };
    expect(JSON.parse(stringifyScores('s.json', ok))).toEqual(ok);
    expect(() => stringifyScores('s.json', { 'episode scores': { 'Main Score': Number.NaN } })).toThrow(
      /^s\.json: episode scores\.Main Score: /,
    );
  });

  it('infers number | null scores for the writer schema', () => {
    expectTypeOf<Scores['episode scores'][string]>().toEqualTypeOf<number | null>();
  });
});
