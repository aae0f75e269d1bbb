import type { ReplyContext } from '../fixtures/openai-server.js';

const QUESTIONS = ['Is it an animal?', 'Is it a plant?', 'Is it a tool?', 'Is it made of metal?', 'Is it food?', 'Is it bigger than a car?'];

/**
 * A fake server's 20q Questioner: asks well-formed yes/no questions in turn (by how many it asked before), so
 * an episode runs its full length whatever the answers, even from a prompt a server cut.
 */
export function cyclingQuestioner({ messages }: ReplyContext): string {
  return QUESTIONS[messages.filter((m) => m.role === 'assistant').length % QUESTIONS.length] as string;
}
