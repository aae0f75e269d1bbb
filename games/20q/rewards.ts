import { z } from 'zod';
import type { Branch } from '../../core/replay.js';
import { defineReward, type GameRewards, type PlayerState, type RewardContext } from '../../core/rewards.js';
import type { JsonValue } from '../../registry/json.js';
import { binaryEntropy } from './info-gain.js';
import { TwentyQExperimentSchema, TwentyQInstanceSchema } from './instances.js';
import { AnswerEventSchema, QuestionEventSchema } from './scorer.js';
import { greedyQuestion, readQuestionerHistory } from './strategies.js';
import { WordLabeler, type LabelSource } from './word-labels.js';
import { WORDS, findWord, guessQuestion, type WordEntry } from './words.js';

/**
 * 20q's proxy rewards (exact information gain over the words still consistent, UoT's sharpened split) and the
 * hooks the generic rewards need (the hidden word as the judges' reference, naming it as the log-prob target,
 * realised information gain of a sampled future). Uniform prior over the 158 words; the knowledge base answers
 * for every word, an LLM labeler where it cannot map a question (word-labels.ts).
 */

const QUESTIONER = 'Questioner';

function targetOf(state: PlayerState): WordEntry {
  const instance = TwentyQInstanceSchema.parse(state.episode.instance);
  return findWord(instance.target) as WordEntry;
}

/** How a question splits the words consistent at a state, and what it would be answered about the hidden word. */
export interface QuestionSplit {
  /** K_t: words consistent with the answers the Questioner saw (uniform prior). */
  consistent: number;
  /** |Y|: of those, how many are labelled yes; null when no label is available. */
  yes: number | null;
  /** The answer about the hidden word (KB or labeler); null when unknown. */
  answer: boolean | null;
  /** |K_{t+1}| after that answer; null when unknown. */
  after: number | null;
  source: LabelSource;
  /** Earlier answers that contradicted every remaining word (ignored), or earlier questions no one could label. */
  notes: string[];
}

/**
 * The words consistent with the Questioner's history at `state` (its own questions and the answers in its
 * prompts), then how `candidate` splits them. Earlier questions are labelled like candidates (KB, else labeler);
 * one without labels, or whose answer would leave no word, is skipped and noted.
 */
export async function questionSplit(state: PlayerState, candidate: string, ctx: RewardContext, labeler: WordLabeler): Promise<QuestionSplit> {
  const notes: string[] = [];
  let words = WORDS.map((w) => w.word);
  for (const { question, answer } of readQuestionerHistory(state.messages).asked) {
    if (answer === null || answer === 'maybe') continue;
    const { labels } = await labeler.labels(question, words, ctx);
    if (labels === null) {
      notes.push(`unlabelled earlier question: ${question}`);
      continue;
    }
    const next = words.filter((w) => labels.get(w) !== (answer === 'no')); // an unreadable label keeps the word
    if (next.length === 0) notes.push(`answer '${answer}' to '${question}' contradicts every remaining word; ignored`);
    else words = next;
  }
  const target = targetOf(state).word;
  const { labels, source } = await labeler.labels(candidate, [...new Set([...words, target])], ctx);
  if (labels === null) return { consistent: words.length, yes: null, answer: null, after: null, source, notes };
  const yes = words.filter((w) => labels.get(w) === true).length;
  const answer = labels.get(target) ?? null;
  const after = answer === null ? null : words.filter((w) => labels.get(w) === answer).length;
  return { consistent: words.length, yes, answer, after, source, notes };
}

/** UoT's sharpened split reward for a yes-fraction x: H_b(x) / (1 + |2x − 1| / λ); 0 at x ∈ {0, 1}; 1 when the two sides differ by one word. */
export function uotSplitReward(yes: number, total: number, lambda = 0.4): number {
  if (total <= 0 || yes <= 0 || yes >= total) return 0;
  if (Math.abs(yes - (total - yes)) === 1) return 1;
  const x = yes / total;
  return binaryEntropy(x) / (1 + Math.abs(2 * x - 1) / lambda);
}

function splitDetails(s: QuestionSplit): Record<string, JsonValue> {
  const expected = s.yes === null ? null : binaryEntropy(s.yes / s.consistent);
  const realised = s.after === null || s.after === 0 ? null : Math.log2(s.consistent / s.after);
  const out: Record<string, JsonValue> = { consistent: s.consistent, yes: s.yes, answer: s.answer === null ? null : s.answer ? 'yes' : 'no', after: s.after, expected_gain: expected, realised_gain: realised, source: s.source, notes: s.notes };
  if (s.yes === null) out.reason = 'the knowledge base cannot map the question and no labeler model was given (--labeler MODEL)';
  return out;
}

const EigOptionsSchema = z.strictObject({
  score: z.enum(['expected', 'realised']).default('expected').describe('expected: H_b(|Y|/|K|) bits; realised: log2|K_t| − log2|K_t+1| after the answer about the hidden word.'),
});

const eig = defineReward({
  name: 'eig',
  description: 'Exact information gain (bits) of a Questioner question over the words consistent so far: expected H_b(|yes|/|K|), or realised log2|K_t| − log2|K_t+1|.',
  options: EigOptionsSchema,
  create: (opts) => {
    const labeler = new WordLabeler();
    return {
      name: 'eig',
      description: `exact information gain (${opts.score})`,
      roles: [QUESTIONER],
      needs: [],
      async score(state, candidates, ctx) {
        const splits = await Promise.all(candidates.map((c) => questionSplit(state, c, ctx, labeler)));
        const details = splits.map(splitDetails);
        const key = opts.score === 'expected' ? 'expected_gain' : 'realised_gain';
        return { scores: details.map((d) => d[key] as number | null), details };
      },
    };
  },
});

const uot = defineReward({
  name: 'uot',
  description: "UoT's sharpened split reward H_b(x) / (1 + |2x − 1| / λ) of a question over the words consistent so far (Hu et al. 2024), λ = 0.4.",
  options: z.strictObject({ lambda: z.number().positive().default(0.4).describe('UoT\'s λ: smaller prefers even splits more sharply.') }),
  create: (opts) => {
    const labeler = new WordLabeler();
    return {
      name: 'uot',
      description: `UoT split reward, λ = ${opts.lambda}`,
      roles: [QUESTIONER],
      needs: [],
      async score(state, candidates, ctx) {
        const splits = await Promise.all(candidates.map((c) => questionSplit(state, c, ctx, labeler)));
        return {
          scores: splits.map((s) => (s.yes === null ? null : uotSplitReward(s.yes, s.consistent, opts.lambda))),
          details: splits.map(splitDetails),
        };
      },
    };
  },
});

/** Realised information gain (bits) of the questions played in a future, from the game's own question/answer events. */
function futureInformationGain(future: Branch): number {
  const fromRound = future.turns[future.from]?.round ?? 0;
  let bits = 0;
  for (const events of future.interactions.turns.slice(fromRound)) {
    const gm = (type: string) => events.filter((e) => e.from === 'GM' && e.to === 'GM' && e.action.type === type).map((e) => e.action.content);
    const q = gm('question').map((c) => QuestionEventSchema.parse(c))[0];
    const a = gm('answer').map((c) => AnswerEventSchema.parse(c))[0];
    if (q && a && q.yes !== null && a.answer !== 'maybe' && a.candidates > 0) bits += Math.log2(q.candidates / a.candidates);
  }
  return bits;
}

/** The hooks and rewards 20q gives learners (GameModule.rewards). */
export const rewards: GameRewards = {
  defaultRole: QUESTIONER,
  definitions: [eig, uot],
  task: (state) => {
    const max = TwentyQExperimentSchema.parse(state.episode.experiment).max_questions;
    return `20 Questions. The Questioner asks yes/no questions to find a hidden word (one of ${WORDS.length} common things: animals, fruits, vegetables, vehicles, clothes, tools, household objects, …) in at most ${max} questions; it wins when the answer to a question naming the word is yes. The Answerer knows the word.`;
  },
  reference: (state) => {
    const target = targetOf(state);
    const greedy = greedyQuestion(readQuestionerHistory(state.messages)).question;
    const also = target.variants.length > 1 ? ` (also accepted: ${target.variants.slice(1).join(', ')})` : '';
    return `The hidden word is "${target.word}"${also}, category ${target.category}. A knowledge-base player that maximises the expected information gain would ask here: "${greedy}"`;
  },
  logprobTarget: (state, after) => {
    if (state.role !== QUESTIONER) return null; // only the Questioner is after the hidden word
    if (after.outcome === 'success') return { kind: 'certain', probability: 1, reason: 'the candidate named the hidden word and won' };
    if (after.next?.player !== state.player) return { kind: 'certain', probability: 0, reason: `the game ended (${after.outcome ?? 'stopped'}) without naming the word` };
    const conversation = after.conversations.find((c) => c.player === state.player);
    return { kind: 'score', messages: conversation?.messages ?? [], continuation: guessQuestion(targetOf(state)) };
  },
  futureMetrics: {
    information_gain: { description: 'realised information gain of the future\'s KB-mapped questions, in bits (candidate included)', defaultWeight: 0.25 },
  },
  measureFuture: (_state, future) => ({ information_gain: futureInformationGain(future) }),
};
