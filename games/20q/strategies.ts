import type { ChatMessage } from '../../backends/backend.js';
import type { Rng } from '../../base/rng.js';
import { filterCandidates, optimalExpectedQuestions, expectedInformationGain } from './info-gain.js';
import { KB, type KnowledgeBase } from './kb.js';
import { MAPPER, kbAnswer, type Mapping } from './question-mapper.js';
import { WORDS, guessQuestion, type WordEntry } from './words.js';

export type Answer = 'yes' | 'no' | 'maybe';

/** One asked question and the answer the Questioner saw (null when its prompt held no readable answer). */
export interface AskedQuestion {
  question: string;
  answer: Answer | null;
}

/** What a Questioner program can know: its own questions, the answers in its prompts, and the limit. */
export interface QuestionerView {
  asked: AskedQuestion[];
  /** The number of the question to ask now (1-based). */
  questionNumber: number;
  maxQuestions: number;
}

/** The reply the oracle gives to a question it cannot map (LMRL's fallback). */
export const UNMAPPED_REPLY = 'No.';
const ANSWER_AT_START = /^[\s"'*_>`]*(?:(?:my\s+)?answer\s*(?:is)?\s*[:\-]?\s*["'*_`]*)?(yes|no|maybe)\b/i;
const QUESTION_OF = /question\s+(\d+)\s+of\s+(\d+)/i;

/** Reads "Yes." / "no" / "**Maybe**" / "Answer: Yes" at the start of a text; null otherwise ("Nope", "I think so"). */
export function readAnswer(text: string): Answer | null {
  const m = ANSWER_AT_START.exec(text);
  return m ? ((m[1] as string).toLowerCase() as Answer) : null;
}

/**
 * Rebuilds a Questioner's view from its message history alone: each assistant message is a question, the
 * user message after it starts with the answer; the last user message says "question N of M".
 */
export function readQuestionerHistory(messages: readonly ChatMessage[], defaultMax = 20): QuestionerView {
  const asked: AskedQuestion[] = [];
  messages.forEach((m, i) => {
    if (m.role !== 'assistant') return;
    const next = messages[i + 1];
    asked.push({ question: m.content.trim(), answer: next?.role === 'user' ? readAnswer(next.content) : null });
  });
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const counted = last ? QUESTION_OF.exec(last.content) : null;
  return {
    asked,
    questionNumber: counted ? Number(counted[1]) : asked.length + 1,
    maxQuestions: counted ? Number(counted[2]) : defaultMax,
  };
}

/** A question a program may ask, with its KB meaning. */
export interface KbQuestion {
  text: string;
  mapping: Mapping;
}

/**
 * The KB's canonical questions: every attribute, and every category whose answers no attribute already
 * gives (the Animals category is the `animal` attribute). Programs ask these verbatim.
 */
export function kbQuestions(kb: KnowledgeBase = KB): KbQuestion[] {
  const out: KbQuestion[] = kb.attributes.map((a) => ({ text: a.question, mapping: { kind: 'attribute', id: a.id, negated: false } }));
  const key = (m: Mapping) => kb.words.map((w) => (kbAnswer(m, w.word, kb) ? '1' : '0')).join('');
  const seen = new Set(out.map((q) => key(q.mapping)));
  for (const c of kb.categories) {
    const q: KbQuestion = { text: c.question, mapping: { kind: 'category', name: c.name, negated: false } };
    if (!seen.has(key(q.mapping))) out.push(q);
    seen.add(key(q.mapping));
  }
  return out;
}

const POOL: readonly KbQuestion[] = kbQuestions(KB);
/** Canonical question texts → meaning, so programs re-reading their history skip the mapper. */
const KNOWN: ReadonlyMap<string, Mapping> = new Map<string, Mapping>([
  ...POOL.map((q): [string, Mapping] => [q.text, q.mapping]),
  ...WORDS.map((w): [string, Mapping] => [guessQuestion(w), { kind: 'guess', words: [w.word], negated: false }]),
]);
const F: readonly number[] = optimalExpectedQuestions(WORDS.length);

/** The KB meaning of a question (fast for the canonical ones). */
export function mapQuestion(question: string): Mapping {
  return KNOWN.get(question.trim()) ?? MAPPER.map(question);
}

/**
 * The words still consistent with the answers seen (uniform prior). If the answers contradict every word
 * (an Answerer that disagrees with the KB), start again from the words not yet ruled out by a guess.
 */
export function consistentWords(asked: readonly AskedQuestion[], words: readonly WordEntry[] = WORDS): string[] {
  let candidates = words.map((w) => w.word);
  for (const { question, answer } of asked) {
    if (answer === null) continue;
    const next = filterCandidates(mapQuestion(question), answer, candidates);
    if (next.length === 0) {
      const denied = new Set(asked.filter((a) => a.answer === 'no').flatMap((a) => { const m = mapQuestion(a.question); return m.kind === 'guess' && !m.negated ? m.words : []; }));
      candidates = words.map((w) => w.word).filter((w) => !denied.has(w));
    } else candidates = next;
  }
  return candidates;
}

const guessOf = (word: string): string => guessQuestion(WORDS.find((w) => w.word === word) as WordEntry);

/** The next question of `kb-greedy`, with the expected gain it was chosen for (bits). */
export function greedyQuestion(view: QuestionerView): { question: string; expectedGain: number } {
  const candidates = consistentWords(view.asked);
  const n = candidates.length;
  const first = candidates[0] ?? (WORDS[0] as WordEntry).word;
  const guess = { question: guessOf(first), expectedGain: expectedInformationGain(1, Math.max(n, 1)) ?? 0 };
  if (n <= 1 || view.questionNumber >= view.maxQuestions) return guess;
  const asked = new Set(view.asked.map((a) => a.question.trim()));
  let best: { q: KbQuestion; yes: number; gain: number } | null = null;
  for (const q of POOL) {
    if (asked.has(q.text)) continue;
    const yes = candidates.filter((w) => kbAnswer(q.mapping, w) === true).length;
    const gain = expectedInformationGain(yes, n) ?? 0;
    if (!best || gain > best.gain + 1e-12) best = { q, yes, gain };
  }
  if (!best || best.gain === 0) return guess;
  // guess when its expected cost (F: optimal play afterwards) is no worse than the best split's
  const f = (k: number) => F[k] ?? k;
  const costSplit = 1 + (best.yes / n) * f(best.yes) + ((n - best.yes) / n) * f(n - best.yes);
  const costGuess = 1 + ((n - 1) / n) * f(n - 1);
  return costGuess <= costSplit + 1e-12 ? guess : { question: best.q.text, expectedGain: best.gain };
}

/** The next question of `random-kb`: a random unasked KB question; a random consistent word when one is left or on the last question. */
export function randomQuestion(view: QuestionerView, rng: Rng): string {
  const candidates = consistentWords(view.asked);
  const asked = new Set(view.asked.map((a) => a.question.trim()));
  const open = POOL.filter((q) => !asked.has(q.text));
  if (candidates.length <= 1 || view.questionNumber >= view.maxQuestions || open.length === 0) return guessOf(rng.pick(candidates.length > 0 ? candidates : WORDS.map((w) => w.word)));
  return rng.pick(open).text;
}

/** `kb-oracle`'s reply to a question about `target`: "Yes." / "No.", and `UNMAPPED_REPLY` when unmapped. */
export function oracleReply(question: string, target: WordEntry): { reply: string; mapping: Mapping } {
  const mapping = mapQuestion(question);
  const answer = kbAnswer(mapping, target.word);
  return { reply: answer === null ? UNMAPPED_REPLY : answer ? 'Yes.' : 'No.', mapping };
}
