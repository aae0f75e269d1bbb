import { list, type Source } from '../types.js';

const off = (rows: string[]) => rows.map((t) => [t, 'off'] as const);

/** Held out: other off-task turns. */
export const offTask: Source = {
  name: 'held-out/off-task',
  group: 'off_task',
  note: 'hand-written for clem-ts: off-task turns kept out of tuning',
  templates: list('hot', off([
    'Do you want to play one more time?', 'What can I do for you today?', 'Are you ready to begin?', 'Shall we get started?', 'Could you give me a clue?',
    'Can I get a small hint, please?', 'Did I guess correctly?', 'Am I on the right track?', 'Am I getting closer?', 'So what was it?', 'Will you tell me what it was?',
    'Want to play another game?', 'Is there something else you need help with?', 'How many guesses do I have left?', 'Can we play again from the start?',
    'Ready for the next one?', 'Have you picked an object?', 'Is it your turn or mine?', "What's the category?", 'What was the word?', 'Could you say that again?',
    'What are the rules again?', 'Can I ask you something else?', 'Would it be alright if I took a guess?', 'Can I guess now?', 'Are you certain about that?',
    'Seriously?', 'Was that the right answer?', 'Can you explain your last answer?', 'Did you mean yes or no?', 'Should I keep going?', "How's your day going?",
    'Would you like to pick a different object?', 'Great job! Do you want to try another one?', "I'm stumped. Can you tell me the answer?",
  ])),
};
