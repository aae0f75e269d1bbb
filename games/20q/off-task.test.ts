import { describe, expect, it } from 'vitest';
import { offTaskPattern } from './off-task.js';

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
});
