import type { GenerateRequest } from '../../backends/backend.js';
import type { Program } from '../../backends/programmatic/program.js';
import { ConfigError } from '../../base/errors.js';
import { createRng, hashSeed } from '../../base/rng.js';
import { TwentyQInstanceSchema } from './instances.js';
import { greedyQuestion, oracleReply, randomQuestion, readQuestionerHistory } from './strategies.js';
import { findWord } from './words.js';

/** The question in an Answerer prompt: the text after the last "Question:", else the last non-empty line. */
export function questionInPrompt(prompt: string): string {
  const at = prompt.lastIndexOf('Question:');
  if (at >= 0) return prompt.slice(at + 'Question:'.length).trim();
  return prompt.trim().split(/\r?\n/).filter((l) => l.trim() !== '').at(-1)?.trim() ?? '';
}

const lastUser = (request: GenerateRequest) => [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';

/** Questioner: the KB question with the largest expected information gain; guesses when that is better. */
export const kbGreedy: Program = {
  name: 'kb-greedy',
  description: '20q Questioner: asks the knowledge-base question with the largest expected information gain over the words still consistent (from its own history), guesses when one is left or guessing is cheaper.',
  respond: (request) => greedyQuestion(readQuestionerHistory(request.messages)).question,
};

/** Questioner floor: random KB questions, seeded by the request seed and its own history. */
export const randomKb: Program = {
  name: 'random-kb',
  description: '20q Questioner baseline: random knowledge-base questions; guesses a consistent word when one is left or on the last question.',
  respond: (request) => {
    const rng = createRng(hashSeed('random-kb', request.args.seed ?? 0, ...request.messages.map((m) => m.content)));
    return randomQuestion(readQuestionerHistory(request.messages), rng);
  },
};

/**
 * Answerer: the knowledge base's answer about the episode's target. A question it cannot map goes to the
 * fallback model when one is configured (`-m kb-oracle+gpt-4o-mini`: that model gets the Answerer's own
 * messages, the LLM Answerer prompts), else it gets "No."; an off-task turn always gets "No.".
 */
export const kbOracle: Program = {
  name: 'kb-oracle',
  description:
    '20q Answerer: answers Yes./No. from the knowledge base about the target in the episode instance; a question it cannot map goes to the fallback model (kb-oracle+<model>), else gets "No." (counted as Unmapped Questions).',
  respond: async (request, signal, context) => {
    const parsed = TwentyQInstanceSchema.safeParse(request.episode?.instance);
    const target = parsed.success ? findWord(parsed.data.target) : undefined;
    if (!target) throw new ConfigError('kb-oracle needs a 20q episode (request.episode.instance with a known target); it plays only the Answerer of 20q.');
    const { reply, mapping } = oracleReply(questionInPrompt(lastUser(request)), target);
    const handOff = mapping.kind === 'unmapped' && mapping.offTask !== true && context?.fallbackModel != null;
    return handOff && context ? context.handOff(request, signal) : reply;
  },
};

/** `-m mock`: a malformed Questioner (no question mark, so the episode aborts at once) and a sane Answerer. */
export const mock: Program = {
  name: 'mock',
  description: '20q mock: the Questioner replies without a question (aborts), the Answerer says "No.".',
  respond: (request) => (request.episode?.role === 'Answerer' ? 'No.' : 'I am the mock Questioner and I ask nothing'),
};

export const programs: readonly Program[] = [kbGreedy, randomKb, kbOracle];
