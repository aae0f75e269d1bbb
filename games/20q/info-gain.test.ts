import { describe, expect, it } from 'vitest';
import { binaryEntropy, expectedInformationGain, filterCandidates, optimalExpectedQuestions, realisedInformationGain, yesCandidates } from './info-gain.js';
import { MAPPER } from './question-mapper.js';

describe('information gain', () => {
  it('matches hand-computed values', () => {
    expect(binaryEntropy(0.5)).toBe(1);
    expect(binaryEntropy(0)).toBe(0);
    expect(binaryEntropy(1)).toBe(0);
    // H_b(1/4) = 1/4·2 + 3/4·log2(4/3) = 0.5 + 0.311278 = 0.811278
    expect(expectedInformationGain(1, 4)).toBeCloseTo(0.811278, 6);
    // 10 yes of 158: p = 0.0632911; p·log2(1/p) = 0.0632911·3.98196 = 0.252023; (1-p)·log2(1/(1-p)) = 0.936709·0.0943272 = 0.088357
    expect(expectedInformationGain(10, 158)).toBeCloseTo(0.34038, 4);
    expect(expectedInformationGain(3, 3)).toBe(0);
    expect(expectedInformationGain(0, 0)).toBeNull();
    expect(realisedInformationGain(158, 10)).toBeCloseTo(Math.log2(15.8), 12);
    expect(realisedInformationGain(8, 8)).toBe(0);
    expect(realisedInformationGain(8, 0)).toBeNull();
  });

  it('splits candidates by the KB and filters them by the answer', () => {
    const cands = ['Cat', 'Dog', 'Hammer', 'Apple'];
    const alive = MAPPER.map('Is it alive?');
    expect(yesCandidates(alive, cands)).toEqual(['Cat', 'Dog']);
    expect(filterCandidates(alive, 'no', cands)).toEqual(['Hammer', 'Apple']);
    expect(filterCandidates(alive, 'maybe', cands)).toEqual(cands);
    expect(yesCandidates(MAPPER.map('Is it popular in Japan?'), cands)).toBeNull();
    expect(filterCandidates(MAPPER.map('Is it a cat or a dog?'), 'yes', cands)).toEqual(['Cat', 'Dog']);
  });

  it('computes the optimal expected question count F(n)', () => {
    const f = optimalExpectedQuestions(158);
    // F(2) = 1 + 1/2·F(1); F(3) = 1 + 2/3·F(2); F(4) = 2.5 (guess or halve); F(5) = 1 + 2/5·F(2) + 3/5·F(3) = 2.8
    expect(f.slice(1, 6)).toEqual([1, 1.5, 2, 2.5, 2.8]);
    expect(f[158]).toBeGreaterThan(Math.log2(158));
    expect(f[158]).toBeLessThan(Math.log2(158) + 1);
  });
});
