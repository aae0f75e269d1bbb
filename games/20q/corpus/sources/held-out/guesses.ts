import { list, type Source } from '../types.js';

/** Held out: guesses and word-naming questions in other phrasings. */
export const guesses: Source = {
  name: 'held-out/guesses',
  group: 'guesses',
  note: 'clem-ts templates over the 158 words and their variants, in phrasings kept out of tuning',
  templates: [
    { id: 'thing-thinking', text: "Is the thing you're thinking of {w.a}{w.t}?", meaning: '{w}', slots: { w: 'word' }, n: 19 },
    { id: 'would-be', text: 'Would it be {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 16 },
    { id: 'any-chance', text: 'Is it {w.a}{w.t} by any chance?', meaning: '{w}', slots: { w: 'word' }, n: 16 },
    { id: 'ill-guess', text: "I'll guess {w.a}{w.t}. Is that right?", meaning: '{w}', slots: { w: 'word' }, n: 16 },
    { id: 'isnt-it', text: "Let me guess: it's {w.a}{w.t}, isn't it?", meaning: '{w}', slots: { w: 'word' }, n: 16 },
    { id: 'final-answer', text: 'My final answer is {w.a}{w.t}. Am I correct?', meaning: '{w}', slots: { w: 'word' }, n: 16 },
    { id: 'secret-object', text: 'Is the secret object {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 16 },
    { id: 'i-believe', text: 'I believe the object is {w.a}{w.t}.', meaning: '{w}', slots: { w: 'word' }, n: 16 },
    { id: 'so-is-it', text: 'So, is it {w.a}{w.t}?', meaning: '{w}', slots: { w: 'word' }, n: 16 },
    { id: 'what-youre', text: "Is what you're thinking of {w.a}{w.t}?", meaning: '{w}', slots: { w: 'word' }, n: 16 },
    { id: 'your-word', text: 'Is your word "{w.t}"?', meaning: '{w}', slots: { w: 'word' }, n: 13 },
    { id: 'variant', text: 'Could the answer be {w.a}{w.t}?', meaning: '{w}', slots: { w: 'variant' }, n: 19 },
    { id: 'either-or', text: 'Is it either {x.a}{x.t} or {y.a}{y.t}?', meaning: '{x}|{y}', slots: { x: 'word', y: 'word' }, n: 10 },
    { id: 'or-maybe', text: 'Is it {x.a}{x.t} or maybe {y.a}{y.t}?', meaning: '{x}|{y}', slots: { x: 'word', y: 'word' }, n: 10 },
    ...list('hgc', [
      ['Is it a fruit, such as a banana?', 'c:Fruits'], ['Is it an instrument like a piano?', 'c:Musical Instruments'], ['Is it a pet rabbit?', 'g:Rabbit'],
      ['Is it a toy truck?', 'never'], ['Is it an animal similar to a horse?', 'a:animal'], ['Is it the same kind of thing as a hammer?', 'refuse'],
      ['Is it made of wood, like a table?', 'a:made_of_wood'], ['Is it kept near a computer?', 'refuse'], ['Is it a vehicle, like a bus or a train?', 'c:Vehicles'],
    ]),
  ],
};
