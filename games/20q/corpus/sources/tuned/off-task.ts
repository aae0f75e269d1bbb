import { list, type Source } from '../types.js';

const off = (rows: string[]) => rows.map((t) => [t, 'off'] as const);

/** Turns that are not a question about the object: chat, game management, hints, asking for the answer. */
export const offTask: Source = {
  name: 'tuned/off-task',
  group: 'off_task',
  note: 'hand-written for clem-ts after the off-task turns of chat-model Questioners (issue 13)',
  templates: list('ot', off([
    'Would you like to play again?', 'How can I help you today?', 'Are you ready to play?', 'Shall we start?', 'Can you give me a hint?', 'Could I get a hint?',
    'Did I get it right?', 'Am I close?', 'Am I getting warmer?', 'What is it?', 'Can you tell me what it is?', 'Do you want to play another round?',
    'Is there anything else I can help you with?', 'How many questions do I have left?', 'Can we start over?', 'Ready for my next question?',
    'Do you have an object in mind?', 'Have you thought of something?', 'Did you think of an object yet?', 'Is it my turn?', 'What category is it in?',
    "What's the answer?", 'Could you repeat the question?', 'Can you remind me of the rules?', 'May I ask another question?', 'Is it okay if I make a guess?',
    'Can I make a guess now?', 'Should I guess now?', 'Are you sure?', 'Oh, really?', 'Was my guess correct?', 'Could you clarify your answer?', 'But why?',
    'Is that a yes or a no?', 'Would you like me to continue?', 'How are you?', 'Do you enjoy this game?', 'Would you like to think of a new object?',
    'Shall I ask another question?', 'Any hints?', 'Great game! Would you like to play again?', "I'm sorry, I don't have enough information. Could you give me a hint?",
    'Congratulations on a fun game! Do you want to play another round?', 'I give up. What is it?', 'Hello! How can I assist you today?', 'What would you like to talk about?',
    'Can you think of something else?', 'Thank you for playing! Do you want to go again?', 'Did you enjoy the game?', 'Can I have one more question?',
    'Could you tell me the answer?', 'Was I right?', 'Do you want me to ask more questions?', "I'm ready! What's the first clue?", 'Is this game over?',
  ])),
};
