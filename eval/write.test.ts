import { stringify } from 'csv-stringify/sync';
import { expect, it } from 'vitest';
import { csvLine, csvText, rawValueCell } from './write.js';

it('csvLine and csvText write what csv-stringify writes, awkward fields included', () => {
  const rows = [
    ['', 'game', 'model', 'experiment', 'episode', 'metric', 'value'],
    ['0', 'taboo', 'm-t0.0--m-t0.0', '0_high_en', 'episode_3', 'Main Score', '33.333333333333336'],
    ['1', 'g', 'm', 'e', 'x', 'a, b', 'say "hi"'],
    ['2', 'g', 'm', 'e', 'x', 'multi\nline', 'cr\rhere'],
    ['3', 'g', 'm', 'e', 'x', '"', ''],
  ];
  expect(rows.map(csvLine).join('')).toBe(stringify(rows));
  expect(csvText(rows)).toBe(stringify(rows));
});

it('raw value cells follow pandas for the types clemcore files hold', () => {
  expect([0, 1.5, 100, null, true, false, 'Word Frequency', [1, 2]].map(rawValueCell)).toEqual(['0', '1.5', '100', '', 'True', 'False', 'Word Frequency', '[1,2]']);
});
