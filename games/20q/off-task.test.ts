import { describe, expect, it } from 'vitest';
import { offTaskPattern, talksAboutTheGame } from './off-task.js';
import { MAPPER } from './question-mapper.js';
import { focusTokens } from './hedges.js';

describe('offTaskPattern', () => {
  it('recognises turns about the game or the conversation', () => {
    const off = [
      'Would you like to play again?', 'How can I help you today?', 'Can you give me a hint?', 'Am I close?', 'What is it?', 'How many questions do I have left?',
      'Shall we start?', 'Did I get it right?', 'Is it my turn?', 'Are you sure?', 'But why?', 'Do you want to play another round?', 'Can I make a guess now?',
      'Okay, I give up. What was it?', 'How am I doing so far?', 'Is this my last question?', 'Are you an AI?', 'What do you mean?', 'Could you be more specific?',
      'Can you give me more details?', 'Can we switch roles?', 'Shall we move on?', 'Is that your final answer?', 'What question number are we on?',
    ];
    expect(off.filter((q) => offTaskPattern(q) === null)).toEqual([]);
  });

  it('leaves questions about the object alone, "you" and "like" included', () => {
    const about = [
      'Would you find it in a kitchen?', 'Do you wear it?', 'Can you eat it?', 'Are you thinking of an animal?', 'Is it something you would like to eat?',
      'Am I right in thinking it is a tool?', 'Would you say it is heavy?', 'Is it used to play music?', 'Can it give you a hint of color?', 'What color is it?',
      'Is it a human?', 'Is it something you give as a gift?', 'Is it used at the end of a meal?', 'Can it move on its own?', 'Is it a robot?', 'Do you give it to children?',
    ];
    expect(about.filter((q) => offTaskPattern(q) !== null)).toEqual([]);
  });

  it('adds the player\'s own moves and the game\'s difficulty, anchored so that questions with them stay questions', () => {
    const off = ['Please think of an object.', 'Let me narrow it down.', 'Sounds good!', 'Did you pick a hard one?', 'Is the word hard to guess?', 'That was fun!', 'Got it.', 'Are there any rules?',
      'Now it is your turn.', 'Thought: I should narrow down the category first.', 'Are you still there?', 'Have I guessed it?', 'What is your answer?', 'Waiting for your response.'];
    expect(off.filter((q) => offTaskPattern(q) === null)).toEqual([]);
    const about = ['To narrow things down, is it a machine?', 'I will narrow things down: does it have legs?', 'Time to narrow it down a bit: is it bigger than a car?', 'Could the object be a bed?', 'Is it hard to carry?', 'Does it make a sound like a bell?', 'Is it fun to play with?'];
    expect(about.filter((q) => offTaskPattern(q) !== null)).toEqual([]);
  });
});

describe('talksAboutTheGame (turns the mapper cannot read, with no KB phrase and no word)', () => {
  const read = (text: string) => talksAboutTheGame(focusTokens(text).filter((t) => t !== ','), text.includes('?'));
  it('takes statements that point at nothing, and questions made of the game\'s words only', () => {
    const off = ['Let me think.', 'Great!', 'Thanks for playing.', 'I need more information.', 'Are you ready?', 'Can I ask you another question?', 'What should I ask next?'];
    expect(off.filter((q) => !read(q))).toEqual([]);
  });

  it('leaves turns that point at the object or name something', () => {
    const about = ['Do people use it at night?', 'Is this something old?', 'Do you need a license to operate?', 'My guess: a tractor?', 'Would a child enjoy one?', 'Is she friendly?', 'Would a teacher ask pupils to bring some?'];
    expect(about.filter((q) => read(q))).toEqual([]);
  });

  it('is what the mapper reports as off-task, and never for a guess of an unknown thing', () => {
    const offTask = (q: string) => { const m = MAPPER.map(q); return m.kind === 'unmapped' && m.offTask === true; };
    expect(['Hmm, let me think.', 'Are you ready to start?', 'I\'d like to guess now.'].map(offTask)).toEqual([true, true, true]);
    expect(['Are you thinking of unicorns?', 'Is it a unicorn?', 'Is it popular in Japan?'].map(offTask)).toEqual([false, false, false]);
  });
});
