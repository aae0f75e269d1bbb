import { describe, expect, it } from 'vitest';
import { focusTokens, realQuestion, sentences } from './hedges.js';

const focus = (text: string) => focusTokens(text).join(' ');

describe('realQuestion', () => {
  it('takes the last sentence that asks, or the guess a confirmation asks about', () => {
    expect(sentences('Great! Next question: Is it alive? e.g. a dog.')).toEqual(['Great!', 'Next question: Is it alive?', 'eg a dog.']);
    expect(realQuestion('Is it an animal? If not, is it a plant?')).toEqual({ question: 'If not, is it a plant?', hasQuestionMark: true });
    expect(realQuestion('My guess is a cat. Is that correct?')?.question).toBe('My guess is a cat. Is that correct?');
    expect(realQuestion("I think it's a cat! Am I right?")?.question).toBe("I think it's a cat! Am I right?");
    expect(realQuestion('Is it a cat? That is my final guess.')?.question).toBe('Is it a cat?');
    expect(realQuestion('I believe the object is a cat.')).toEqual({ question: 'I believe the object is a cat.', hasQuestionMark: false });
    expect(realQuestion(' ** ')).toBeNull();
    // a short wh- follow-up leaves the yes/no question before it; an off-task aside after the question is skipped
    expect(realQuestion('Does it have legs? If so, how many?')?.question).toBe('Does it have legs?');
    expect(realQuestion('Is it a fruit? Which one?')?.question).toBe('Is it a fruit?');
    expect(realQuestion('What color is it?')?.question).toBe('What color is it?');
    expect(realQuestion('Is it a tool? Should I keep asking?')?.question).toBe('Is it a tool?');
  });
});

describe('focusTokens', () => {
  it('drops recaps, long subjects and hedging frames', () => {
    expect(focus("Since it's not alive, is it made of metal?")).toBe('is it made of metal');
    expect(focus("Okay, so it's not an animal. Is it used outdoors?")).toBe('is it used outdoors');
    expect(focus("Is the object you're thinking of something that can fly?")).toBe('is it can fly');
    expect(focus('Is the object you have in mind a baseball?')).toBe('is it a baseball');
    expect(focus('Would you say it is typically found in a kitchen?')).toBe('is it found in a kitchen');
    expect(focus('Alright, my next question is: is it a common household item?')).toBe('is it a household item');
    expect(focus('**Question 4:** Is the hidden word edible?')).toBe('is it edible');
  });

  it('drops examples and tags, keeps what they hang on', () => {
    expect(focus('Is it a kitchen utensil (e.g., a spoon or a whisk)?')).toBe('is it a kitchen utensil');
    expect(focus('Is it used for hair care, like a brush or comb?')).toBe('is it used for hair care');
    expect(focus('Is it a tool such as a hammer?')).toBe('is it a tool');
    expect(focus("It's a cat, isn't it?")).toBe('it is a cat');
    expect(focus('Is it a violin, perhaps?')).toBe('is it a violin');
    expect(focus('Is it alive or not?')).toBe('is it alive');
    expect(focus('Is it a cat by any chance?')).toBe('is it a cat');
    // the generic noun of "an object that …" says nothing; alone it still asks something
    expect(focus('Is it an object that has legs?')).toBe('is it has legs');
    expect(focus('Is it an object?')).toBe('is it an object');
  });

  it('keeps commas as tokens for lists', () => {
    expect(focusTokens('Is it a fruit, a vegetable, or a plant?')).toEqual(['is', 'it', 'a', 'fruit', ',', 'a', 'vegetable', ',', 'or', 'a', 'plant']);
  });
});
