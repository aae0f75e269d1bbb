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

  it('takes the last real question of a longer reply in lenient mode, or a guess it states, and says so', () => {
    expect(readQuestion('Good start. Is it alive? Then I will ask more.', lenient)).toEqual({
      question: 'Is it alive?',
      violation: 'the reply must end with "?"; took the last question',
    });
    expect(readQuestion('Let me think step by step.\n\n**Question:** Is it made of metal?', lenient).question).toBe('Is it made of metal?');
    // a recap or a first question before the real one is dropped
    expect(readQuestion('Is it an animal? If not, is it a plant?', lenient).question).toBe('If not, is it a plant?');
    expect(readQuestion('So far: alive? No. Man-made? Yes.\nIs it made of metal?', lenient).question).toBe('Is it made of metal?');
    // "Is that correct?" asks about the guess before it, which is kept
    expect(readQuestion('My guess is a stapler. Is that correct? Thanks!', lenient).question).toBe('My guess is a stapler. Is that correct?');
    expect(readQuestion("Based on your answers, I'm going to guess that the object is a stapler.", lenient)).toEqual({
      question: "Based on your answers, I'm going to guess that the object is a stapler.",
      violation: 'the reply must end with "?"; took the guess it states',
    });
    expect(readQuestion('I believe it is an apple!', lenient).question).toBe('I believe it is an apple!');
    expect(readQuestion('Is it alive?', lenient).violation).toBeNull();
    for (const noQuestion of ['I have no idea.', 'I think it is alive.', 'Let me think about it for a moment.'])
      expect([noQuestion, thrownMessage(() => readQuestion(noQuestion, lenient))]).toEqual([noQuestion, 'the reply holds no question (no "?")']);
  });
});
