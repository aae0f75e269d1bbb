import { list, type Source } from '../types.js';

/**
 * Guesses as chat models make them (the win rule must fire for the guessed word and no other), and
 * questions that name a word without guessing it (it must fire for none).
 */
export const guesses: Source = {
  name: 'tuned/guesses',
  group: 'guesses',
  note: 'clem-ts templates over the 158 words and their variants, after the guesses of chat-model Questioners (issue 13)',
  templates: [
    { id: 'is-it', text: 'Is it {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 23 },
    { id: 'answer', text: 'Is the answer {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 12 },
    { id: 'the-object', text: 'Is the object {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 12 },
    { id: 'could-be', text: 'Could it be {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 12 },
    { id: 'perhaps', text: 'Is it {w.a}{w.t}, perhaps?', meaning: '{w}', slots: { w: 'word' }, n: 9 },
    { id: 'my-guess', text: 'My guess is {w.a}{w.t}. Is that correct?', meaning: '{w}', slots: { w: 'word' }, n: 12 },
    { id: 'take-a-guess', text: "I'm going to take a guess that the object is {w.a}{w.t}. Is that correct?", meaning: '{w}', slots: { w: 'word' }, n: 12 },
    { id: 'statement', text: "Based on your answers, I'm going to guess that the object is {w.a}{w.t}.", meaning: '{w}', slots: { w: 'word' }, n: 12 },
    { id: 'in-mind', text: 'Is the object you have in mind {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 12 },
    { id: 'final-tail', text: "Is it {w.a}{w.t}? That's my final guess.", meaning: '{w}', slots: { w: 'word' }, n: 9 },
    { id: 'thinking-of', text: 'Are you thinking of {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 9 },
    { id: 'am-i-right', text: "I think it's {w.a}{w.t}! Am I right?", meaning: '{w}', slots: { w: 'word' }, n: 9 },
    { id: 'quoted', text: 'Is the hidden word "{w.t}"?', meaning: '{w}', slots: { w: 'word' }, n: 9 },
    { id: 'final-guess', text: 'Final guess: is it {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 9 },
    { id: 'make-a-guess', text: "Okay, I'll make a guess. Is it {w.a}{w.t}?", meaning: '{w}', slots: { w: 'word' }, n: 9 },
    { id: 'variant', text: 'Is it {w.a}{w.t}?', meaning: '{w}', slots: { w: 'variant' }, n: 14 },
    { id: 'or-two', text: 'Is it {x.a}{x.t} or {y.a}{y.t}?', meaning: '{x}|{y}', slots: { x: 'word', y: 'word' }, n: 12 },
    { id: 'not', text: 'Is it not {w.a}{w.t}?', meaning: '!{w}', slots: { w: 'word' }, n: 7 },
    { id: 'animal-like', text: 'Is it an animal like {w.a}{w.t}?', meaning: 'a:animal', slots: { w: 'animalWord' }, n: 6 },
    ...list('gc', [
      ['Is it used with a computer?', 'a:used_with_computer'], ['Is it bigger than a car?', 'a:bigger_than_car'], ['Is it a toy car?', 'never'],
      ['Is it a model airplane?', 'never'], ['Is it a fruit like an apple?', 'c:Fruits'], ['Is it a vehicle such as a car?', 'c:Vehicles'],
      ['Is it a musical instrument, like a guitar or a violin?', 'c:Musical Instruments'], ['Is it a cat, a dog, or a rabbit?', 'g:Cat|g:Dog|g:Rabbit'],
      ['Is it neither a cat nor a dog?', '!(g:Cat|g:Dog)'], ['Is it an apple or a pear?', 'g:Apple|never'], ['Is it something you would find in a kitchen, like a spoon?', 'a:found_in_kitchen'],
      ['Is it a pot?', 'g:Cooking pot'], ['Is it a computer?', 'g:Computer'], ['Is it a keyboard?', 'g:Computer keyboard'], ['Is it a tennis ball?', 'g:Tennis ball'],
      ['Is it made of paper?', 'a:made_of_paper'], ['Is it in the same category as a lion?', 'a:animal'], ['Is it a type of dog?', 'g:Dog'],
      ['Is it a pet, like a cat or a dog?', 'a:pet'], ['Is it smaller than a basketball?', 't:Tennis ball=y;Golf ball=y;Car=n;Piano=n'],
    ]),
  ],
};
