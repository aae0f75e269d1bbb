import { ParseError } from '../../base/errors.js';
import { realQuestion } from './hedges.js';
import { findWord } from './words.js';

export interface QuestionRules {
  strict: boolean;
  maxWords: number;
}

/** A Questioner reply read as one question; `violation` says what lenient mode forgave (null: none). */
export interface ReadQuestion {
  question: string;
  violation: string | null;
}

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

function checkLength(question: string, rules: QuestionRules, reply: string): void {
  const words = wordCount(question);
  if (words < 2) throw new ParseError('the question is too short (at least 2 words)', reply);
  if (words > rules.maxWords) throw new ParseError(`the question is too long (${words} words, at most ${rules.maxWords})`, reply);
}

/** Quotes or emphasis around the whole reply ('"Is it alive?"', '**Is it alive?**') are not part of the question. */
const WRAPPERS: [string, string][] = [['**', '**'], ['__', '__'], ['"', '"'], ['\u201c', '\u201d'], ["'", "'"], ['\u2018', '\u2019'], ['`', '`'], ['*', '*'], ['_', '_']];

function unwrap(text: string): string {
  for (const [open, close] of WRAPPERS) {
    if (text.length >= open.length + close.length && text.startsWith(open) && text.endsWith(close)) return unwrap(text.slice(open.length, -close.length).trim());
  }
  return text;
}

/** A statement that makes a guess ("Based on your answers, I'm going to guess that it is a stapler."). */
const GUESS_STATEMENT = /\b(my (final |best )?(guess|answer) (is|would be)|i (am going to |will |would |ll |d )?(take a )?(guess|think|believe|bet|say)|i m (going to )?guess|(pretty |quite )?sure (it|that)|it (must|has to|should) be|the answer (is|must be)|(the|your) (object|word|thing|item) (is|must be)|it s (a|an|the)\b)/i;

/** It says it guesses and ends with what it guesses: "…, I'm going to guess that the object is a stapler." */
function isGuessStatement(sentence: string): boolean {
  const plain = sentence.replace(/[\u2018\u2019']/g, ' ').replace(/[.!\s]+$/, '');
  if (!GUESS_STATEMENT.test(plain)) return false;
  const words = plain.toLowerCase().split(/\s+/);
  const tail = (n: number) => words.slice(-n).join(' ').replace(/[^a-z0-9 ]/g, '');
  return /\b(a|an|the)\s+[a-z][\w-]*(\s[a-z][\w-]*){0,2}$/i.test(plain) || [1, 2, 3].some((n) => findWord(tail(n)) !== undefined);
}

/**
 * Reads a Questioner reply (quotes or emphasis around the whole reply are dropped first). Strict: exactly one line, one "?", at the end, 2 to
 * `maxWords` words; anything else throws ParseError (the episode is aborted). Lenient: takes the last real
 * question of a longer reply (a recap or a first question before it is dropped; "Is that correct?" after a
 * guess keeps the guess: "My guess is a cat. Is that correct?"), or a guess made as a statement, and reports
 * it as a violation; a reply with neither still throws.
 */
export function readQuestion(reply: string, rules: QuestionRules): ReadQuestion {
  const text = unwrap(reply.trim());
  if (text === '') throw new ParseError('the reply is empty', reply);
  const problem =
    /[\r\n]/.test(text) ? 'the reply must be one line'
    : !text.endsWith('?') ? 'the reply must end with "?"'
    : text.indexOf('?') !== text.length - 1 ? 'the reply must hold exactly one question'
    : null;
  if (problem === null) {
    checkLength(text, rules, reply);
    return { question: text, violation: null };
  }
  if (rules.strict) throw new ParseError(problem, reply);
  const picked = realQuestion(text);
  const statement = picked !== null && !picked.hasQuestionMark;
  if (picked === null || (statement && !isGuessStatement(picked.question))) throw new ParseError('the reply holds no question (no "?")', reply);
  // markdown emphasis, a "Question 3:" label and list marks are not part of the question
  const question = picked.question
    .replace(/[*_`]/g, '')
    .replace(/^[\s"'>\-–•]+/, '')
    .replace(/^(question|q)\s*\d*\s*[:.)-]\s*/i, '')
    .trim();
  checkLength(question, rules, reply);
  return { question, violation: `${problem}; took ${statement ? 'the guess it states' : 'the last question'}` };
}
