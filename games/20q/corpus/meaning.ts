import type { KnowledgeBase } from '../kb.js';
import { findWord } from '../words.js';

/**
 * The corpus meaning notation: what a question asks, written by the corpus author, never computed by the
 * question mapper. Atoms: `a:<attribute>`, `c:<category>`, `g:<word>` (a guess of that word), `never`
 * (something no word is); `!` negates, `&` is and, `|` is or, parentheses group. Whole-expression forms:
 * `t:<Word>=y;<Word>=n…` (answers written by hand where the knowledge base has no value), `refuse` (no
 * yes/no answer: "Is it man-made or natural?") and `off` (not a question about the object).
 */
export type Meaning =
  | { kind: 'attribute'; id: string }
  | { kind: 'category'; name: string }
  | { kind: 'guess'; word: string }
  | { kind: 'never' }
  | { kind: 'not'; of: Meaning }
  | { kind: 'and' | 'or'; of: Meaning[] };

export type ParsedMeaning =
  | { kind: 'expr'; expr: Meaning }
  | { kind: 'targets'; answers: Record<string, 'yes' | 'no'> }
  | { kind: 'refuse' }
  | { kind: 'off' };

/** Parses the notation; throws with the text and position on a syntax error or an unknown name. */
export function parseMeaning(text: string, kb: KnowledgeBase): ParsedMeaning {
  const t = text.trim();
  if (t === 'refuse') return { kind: 'refuse' };
  if (t === 'off') return { kind: 'off' };
  if (t.startsWith('t:')) {
    const answers: Record<string, 'yes' | 'no'> = {};
    for (const pair of t.slice(2).split(';')) {
      const [name, value] = pair.split('=').map((s) => s.trim());
      const word = findWord(name ?? '', kb.words)?.word;
      if (!word || (value !== 'y' && value !== 'n')) throw new Error(`meaning '${text}': expected Word=y or Word=n, got '${pair}'`);
      answers[word] = value === 'y' ? 'yes' : 'no';
    }
    return { kind: 'targets', answers };
  }
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`meaning '${text}': ${what} at ${at}`);
  };
  const skip = () => {
    while (t[at] === ' ') at += 1;
  };
  const parseOr = (): Meaning => {
    const of = [parseAnd()];
    skip();
    while (t[at] === '|') {
      at += 1;
      of.push(parseAnd());
      skip();
    }
    return of.length === 1 ? (of[0] as Meaning) : { kind: 'or', of };
  };
  const parseAnd = (): Meaning => {
    const of = [parseUnary()];
    skip();
    while (t[at] === '&') {
      at += 1;
      of.push(parseUnary());
      skip();
    }
    return of.length === 1 ? (of[0] as Meaning) : { kind: 'and', of };
  };
  const parseUnary = (): Meaning => {
    skip();
    if (t[at] === '!') {
      at += 1;
      return { kind: 'not', of: parseUnary() };
    }
    if (t[at] === '(') {
      at += 1;
      const inner = parseOr();
      skip();
      if (t[at] !== ')') fail("expected ')'");
      at += 1;
      return inner;
    }
    const start = at;
    while (at < t.length && !'|&()'.includes(t[at] as string)) at += 1;
    return atom(t.slice(start, at).trim());
  };
  const atom = (a: string): Meaning => {
    if (a === 'never') return { kind: 'never' };
    const [kind, ...rest] = a.split(':');
    const name = rest.join(':').trim();
    if (kind === 'a' && kb.attributes.some((x) => x.id === name)) return { kind: 'attribute', id: name };
    if (kind === 'c' && kb.categories.some((c) => c.name === name)) return { kind: 'category', name };
    const word = kind === 'g' ? findWord(name, kb.words)?.word : undefined;
    if (word) return { kind: 'guess', word };
    return fail(`unknown atom '${a}'`);
  };
  const expr = parseOr();
  skip();
  if (at !== t.length) fail('unexpected text');
  return { kind: 'expr', expr };
}

/** Whether a meaning holds for a word (canonical name), from the knowledge base's values. */
export function holds(m: Meaning, word: string, kb: KnowledgeBase): boolean {
  switch (m.kind) {
    case 'attribute':
      return kb.has(word, m.id);
    case 'category':
      return kb.categoryOf(word) === m.name;
    case 'guess':
      return m.word === word;
    case 'never':
      return false;
    case 'not':
      return !holds(m.of, word, kb);
    case 'and':
      return m.of.every((x) => holds(x, word, kb));
    case 'or':
      return m.of.some((x) => holds(x, word, kb));
  }
}
