import { ParseError } from '../../base/errors.js';

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

/**
 * Reads a Questioner reply (quotes or emphasis around the whole reply are dropped first). Strict: exactly one line, one "?", at the end, 2 to `maxWords` words; anything
 * else throws ParseError (the episode is aborted). Lenient: takes the first question (the sentence that ends
 * at the first "?") of a longer reply and reports it as a violation; a reply without "?" still throws.
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
  const line = text.split(/\r?\n/).find((l) => l.includes('?'));
  if (line === undefined) throw new ParseError('the reply holds no question (no "?")', reply);
  // markdown emphasis and a "Question:" label are not part of the question
  const plain = line.replace(/[*_`]/g, '');
  const before = plain.slice(0, plain.indexOf('?') + 1);
  const start = Math.max(before.lastIndexOf('. '), before.lastIndexOf('! '), before.lastIndexOf(': ')) + 1;
  const question = before
    .slice(start)
    .replace(/^[\s"'>\-–•]+/, '')
    .replace(/^(question|q)\s*\d*\s*[:.)-]\s*/i, '')
    .trim();
  checkLength(question, rules, reply);
  return { question, violation: `${problem}; took the first question` };
}
