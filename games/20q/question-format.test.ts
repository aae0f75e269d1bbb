import { describe, expect, it } from 'vitest';
import { thrownMessage } from '../../test/helpers/errors.js';
import { readQuestion } from './question-format.js';

const strict = { strict: true, maxWords: 40 };
const lenient = { strict: false, maxWords: 40 };

describe('readQuestion', () => {
  it('accepts exactly one one-line question in strict mode', () => {
    expect(readQuestion('  Is it alive?\n', strict)).toEqual({ question: 'Is it alive?', violation: null });
    expect(thrownMessage(() => readQuestion('Is it alive', strict))).toBe('the reply must end with "?"');
    expect(thrownMessage(() => readQuestion('Is it alive? Is it big?', strict))).toBe('the reply must hold exactly one question');
    expect(thrownMessage(() => readQuestion('Hmm.\nIs it alive?', strict))).toBe('the reply must be one line');
    expect(thrownMessage(() => readQuestion('Cat?', strict))).toBe('the question is too short (at least 2 words)');
    expect(thrownMessage(() => readQuestion(`Is ${'it '.repeat(40)}big?`, strict))).toBe('the question is too long (42 words, at most 40)');
    expect(thrownMessage(() => readQuestion('   ', strict))).toBe('the reply is empty');
    // quotes or emphasis around the whole reply are formatting, not a second sentence
    for (const wrapped of ['"Is it alive?"', '\u201cIs it alive?\u201d', "'Is it alive?' ", '**Is it alive?**', '`Is it alive?`', '*"Is it alive?"*'])
      expect([wrapped, readQuestion(wrapped, strict)]).toEqual([wrapped, { question: 'Is it alive?', violation: null }]);
    expect(thrownMessage(() => readQuestion('Is it alive?"', strict))).toBe('the reply must end with "?"');
    expect(thrownMessage(() => readQuestion('""', strict))).toBe('the reply is empty');
  });

  it('takes the first question of a longer reply in lenient mode and says so', () => {
    expect(readQuestion('Good start. Is it alive? Then I will ask more.', lenient)).toEqual({
      question: 'Is it alive?',
      violation: 'the reply must end with "?"; took the first question',
    });
    expect(readQuestion('Let me think step by step.\n\n**Question:** Is it made of metal?', lenient).question).toBe('Is it made of metal?');
    expect(readQuestion('Is it alive?', lenient).violation).toBeNull();
    expect(thrownMessage(() => readQuestion('I think it is a cat.', lenient))).toBe('the reply holds no question (no "?")');
  });
});
