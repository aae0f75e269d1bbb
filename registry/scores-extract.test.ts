import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sliceScores } from './scores-extract.js';
import { parseEpisodeScoresBytes, parseEpisodeScoresText } from './scores.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '../test/fixtures/clemcore/playpen-sft-initial/llama3-8b-sft-t0.0');
const realFiles = [
  'taboo/0_high_en/episode_3/scores.json',
  'wordle_withcritic/0_high_frequency_words_clue_with_critic/episode_0/scores.json',
  'wordle_withcritic/0_high_frequency_words_clue_with_critic/episode_1/scores.json',
  'wordle_withcritic/1_medium_frequency_words_clue_with_critic/episode_2/scores.json',
].map((f) => path.join(fixtures, f));

const bytes = (text: string): Uint8Array => Buffer.from(text);

describe('sliceScores', () => {
  it('reads meta and episode scores of real clemcore files exactly as a full parse does', () => {
    for (const file of realFiles) {
      const raw = readFileSync(file);
      expect(sliceScores(raw)).toBeDefined();
      expect(parseEpisodeScoresBytes(file, raw)).toEqual(parseEpisodeScoresText(file, raw.toString('utf8')));
    }
  });

  it('turns bare NaN into null and leaves the words inside strings alone', () => {
    const text = '{\n  "meta": {"game_name": "NaN game"},\n  "turn scores": {"0": {"x": NaN}},\n  "episode scores": {"Main Score": NaN, "note": "Infinity \\"NaN\\"", "Aborted": 1}\n}\n';
    expect(sliceScores(bytes(text))).toEqual({ meta: { game_name: 'NaN game' }, 'episode scores': { 'Main Score': null, note: 'Infinity "NaN"', Aborted: 1 } });
  });

  it('reads minified files and keys in any order after meta', () => {
    expect(sliceScores(bytes('{"episode scores":{"a":1},"players":{}}'))).toEqual({ 'episode scores': { a: 1 } });
    expect(sliceScores(bytes('{"meta":{},"episode scores":{"a":[1,{"b":"}"}]},"player_models":{"0":{"x":"{["}}}'))).toEqual({
      meta: {},
      'episode scores': { a: [1, { b: '}' }] },
    });
  });

  it('takes the last of repeated root keys, as Python does', () => {
    expect(sliceScores(bytes('{"episode scores": {"a": 1}, "episode scores": {"a": 2}}'))).toEqual({ 'episode scores': { a: 2 } });
  });

  it('hands every file it cannot prove right to the full parse', () => {
    const cases = [
      // cut off after the episode scores (a full disk while writing)
      '{"meta": {}, "episode scores": {"a": 1}, "player_models": {"0": {"x": 1',
      '{"episode scores": {"a": 1}, "player_models": {}',
      // the last "episode scores" is nested, not the root's
      '{"episode scores": {"a": 1}, "turn scores": {"0": {"episode scores": {"a": 2}}}}',
      // an escaped quote: part of a key named `x "episode scores`
      '{"x \\"episode scores": {"a": 1}}',
      // meta that is not the first key: maybe nested, maybe not
      '{"players": {"meta": {}}, "episode scores": {"a": 1}}',
      // not an object after the key
      '{"episode scores": [1]}',
      // something after the root object
      '{"episode scores": {"a": 1}} x',
    ];
    for (const text of cases) expect(sliceScores(bytes(text)), text).toBeUndefined();
  });

  it('gives the full parse’s result or error whenever it gives up', () => {
    const file = 'x/scores.json';
    expect(parseEpisodeScoresBytes(file, bytes('{"players": {"meta": {}}, "episode scores": {"a": 1}}'))).toEqual({ 'episode scores': { a: 1 } });
    expect(() => parseEpisodeScoresBytes(file, bytes('{"meta": {}, "episode scores": {"a": 1}, "player_models": {"0"'))).toThrow(/^x\/scores\.json: not valid JSON/);
    expect(() => parseEpisodeScoresBytes(file, bytes('{"episode scores": {"a": 1, "b": nan}}'))).toThrow(/^x\/scores\.json: not valid JSON/);
    expect(() => parseEpisodeScoresBytes(file, bytes('{"turn scores": {}}'))).toThrow(/^x\/scores\.json: episode scores: expected record, got nothing/);
    expect(() => parseEpisodeScoresBytes(file, bytes('{"meta": [], "episode scores": {}}'))).toThrow(/^x\/scores\.json: meta: expected record, got an array/);
  });
});
