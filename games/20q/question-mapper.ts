import { allOf, anyOf, asksWhichOne, partsOf, splitConjuncts } from './coordination.js';
import type { Mapping, PartMapping } from './mapping.js';
import { askingClause, focusTokens } from './hedges.js';
import { KB, type KnowledgeBase } from './kb.js';
import { kbAnswer } from './kb-answer.js';
import { namesSomething, offTaskPattern, talksAboutTheGame } from './off-task.js';
import { COLOUR_WORDS, GUESS_FILLERS, GUESS_FRAMES, createNameReader, type GuessedNames } from './guess-names.js';
import { compareStrength, createPhraseTable, disjointStrongest, targetKey, type Found, type Phrase } from './phrase-table.js';
import { readSizeComparison } from './size-comparison.js';
import { matchesAt, normalise } from './text.js';
import { finalPhraseStart, otherThingModifier } from './win-rule.js';

export type { Mapping, PartMapping } from './mapping.js';
/** The KB's answer to a mapped question (kb-answer.ts), exported here as before for rewards.ts and info-gain.ts. */
export { kbAnswer };

const NEGATIONS = new Set(['not', 'never']);
/** Prepositions whose object a coordinated name may be ("found in a kitchen or a garage"). */
const OBJECT_PREPOSITIONS = new Set(['in', 'on', 'at', 'from', 'with', 'into', 'inside', 'near', 'under', 'by', 'through', 'onto', 'around']);
/** Prepositions after which a bare gerund names an activity ("used for painting", "good at drawing"). */
const ACTIVITY_PREPOSITIONS = new Set(['for', 'to', 'at', 'in']);
/** Unknown phrases that compare sizes: answered from the words' sizes when the thing compared is known (size-comparison.ts). */
const COMPARATIVES = new Set(['bigger than', 'larger than', 'smaller than', 'taller than', 'longer than', 'shorter than', 'wider than', 'more than', 'less than', 'fit in a', 'fits in a', 'fit into', 'fits into', 'fit inside', 'fits inside']);
/** Words that start a clause of circumstance after the question ("… when you cut it", "… if you drop it"). */
const SUBORDINATORS = new Set(['when', 'whenever', 'while', 'once', 'if', 'because', 'after']);
const OFF_TASK: Mapping = { kind: 'unmapped', reason: 'not a question about the object (a turn about the game or the conversation)', offTask: true };
const WH = new Set(['what', 'where', 'how', 'which', 'who', 'why', 'when', 'whose']);

/** The phrase table of a KB, built once per KB. */
export interface QuestionMapper {
  map(question: string): Mapping;
}

/**
 * Maps a natural-language yes/no question to an attribute, a category, a word guess or a combination of
 * them, or `unmapped`. Order: an off-task turn ("Would you like to play again?") and a question that is
 * not yes/no ("What color is it?") are unmapped; the asking clause is read without recap, hedges and
 * examples (hedges.ts); then (1) a direct guess frame whose rest is only word names ("Is it a pair of
 * shoes?", "Is it a cat or a dog?"); (2) things joined by "or"/"and" (coordination.ts); (3) a question that
 * ends with a word's name after a guess frame ("Is it a big black cat?"), unless the best phrase overlaps
 * that name; (4) the longest attribute or category phrase, skipping phrases inside a longer named word
 * ("ball" in "tennis ball"); else unmapped. Negation words flip the answer. A question left unmapped is read
 * once more without a trailing clause of circumstance ("Does it make you cry when you cut it?").
 */
export function createQuestionMapper(kb: KnowledgeBase = KB): QuestionMapper {
  const table = createPhraseTable(kb);
  const kbPhrases = new Set(table.phrases.map((p) => p.tokens.join(' ')));
  const names = createNameReader(kb, (phrase) => kbPhrases.has(phrase));
  const namedSpans = names.namedSpans;
  const guessWords = names.guessNames;
  const wordNames = kb.words.map((w) => w.word);
  const holds = (m: Mapping, w: string) => kbAnswer(m, w, kb) === true;

  // Questions repeat across episodes (the Answerer, the game master and the scorer map each one, and players
  // ask the same questions): remember mappings by question text, frozen since callers share them.
  const memo = new Map<string, Mapping>();
  const MEMO_LIMIT = 20_000;
  return {
    map(question) {
      let mapping = memo.get(question);
      if (mapping === undefined) {
        mapping = deepFreeze(mapQuestionText(question));
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(question, mapping);
      }
      return mapping;
    },
  };

  function mapQuestionText(question: string): Mapping {
    const clause = askingClause(question);
    if (offTaskPattern(clause) !== null) return OFF_TASK;
    const tokens = focusTokens(question);
    const mapping = mapFocus(clause, tokens);
    if (mapping.kind !== 'unmapped' || tokens.length === 0) return mapping;
    // nothing of the KB, no word, no "it" and no guess frame before a name ("Are you thinking of unicorns?"): a turn about
    // the game ("Are you ready to start?", "Let me think.")
    const plain = tokens.filter((t) => t !== ',');
    const guessFrame = GUESS_FRAMES.some((f) => matchesAt(plain, 0, f, false) && namesSomething(plain.slice(f.length)));
    const aboutNothing = !guessFrame && table.find(plain).length === 0 && namedSpans(plain).length === 0;
    return aboutNothing && talksAboutTheGame(plain, clause.includes('?')) ? OFF_TASK : mapping;
  }

  function mapFocus(clause: string, tokens: readonly string[]): Mapping {
    // "Which is it: a fruit or a vegetable?", "Which one, a cat or a dog?"
    if (/^which\b/.test(normalise(clause))) return { kind: 'unmapped', reason: "asks 'which', not a yes/no question" };
    if (tokens.length === 0) return { kind: 'unmapped', reason: 'empty question' };
    if (WH.has(tokens[0] as string)) return { kind: 'unmapped', reason: `asks '${tokens[0]}', not a yes/no question` };
    const full = mapTokens(tokens);
    if (full.kind !== 'unmapped') return full;
    // "Does it make you cry when you cut it?": a circumstance the KB cannot read does not change what is asked
    const cut = tokens.findIndex((t, i) => i >= 3 && SUBORDINATORS.has(t));
    if (cut < 0) return full;
    const main = mapTokens(tokens.slice(0, tokens[cut - 1] === ',' ? cut - 1 : cut));
    return main.kind === 'unmapped' ? full : main;
  }

  function mapTokens(tokens: readonly string[]): Mapping {
    const plain = tokens.filter((t) => t !== ',');
    const direct = directGuess(plain);
    if (direct) return direct;
    const split = splitConjuncts(tokens, (i) => isInsidePhrase(tokens, i));
    if (split === 'mixed') return { kind: 'unmapped', reason: "joins things with both 'or' and 'and'" };
    if (split) return mapCoordinated(split.op, split.negated, split.conjuncts);
    return mapSimple(plain);
  }

  /** A coordinator inside a KB phrase or a word's name ("long and thin") joins nothing. */
  function isInsidePhrase(tokens: readonly string[], i: number): boolean {
    const plainTokens = tokens.map((t) => (t === ',' ? '' : t));
    return table.find(plainTokens).some((f) => f.start < i && i < f.end) || namedSpans(plainTokens).some((s) => s.start < i && i < s.end);
  }

  function directGuess(tokens: readonly string[]): Mapping | null {
    const negated = tokens.some((t) => NEGATIONS.has(t));
    for (const frame of GUESS_FRAMES) {
      if (!matchesAt(tokens, 0, frame, false)) continue;
      const rest = tokens.slice(frame.length);
      const guess = guessWords(rest);
      // "Is it orange?" without an article asks the colour, not the fruit
      const content = rest.filter((t) => !GUESS_FILLERS.has(t));
      const colourLike = guess?.bare === true && content.length === 1 && COLOUR_WORDS.has(content[0] as string);
      if (guess && !colourLike) return guessMapping(guess, negated);
      return null;
    }
    return null;
  }

  /** Word names guessed; things that are none of the words ("a pear") add nothing, and alone are never. */
  function guessMapping(guess: GuessedNames, negated: boolean): Mapping {
    if (guess.words.length === 0) return { kind: 'never', phrase: guess.others.join(' or '), negated };
    return { kind: 'guess', words: guess.words.map((w) => w.word), negated };
  }

  function mapCoordinated(op: 'or' | 'and', negated: boolean, conjuncts: string[][]): Mapping {
    if (op === 'or' && asksWhichOne(conjuncts)) return { kind: 'unmapped', reason: 'asks which of two opposites it is' };
    const mapped: Mapping[] = [];
    for (const [i, c] of conjuncts.entries()) {
      const m = mapConjunct(conjuncts, i);
      if (m.kind === 'unmapped') return { kind: 'unmapped', reason: `cannot read '${c.join(' ')}' of a question joined by '${op}' (${m.reason})` };
      mapped.push(m);
    }
    const parts = mapped.map(partsOf);
    const siblings = parts.map((p, i) => (i === 0 ? p.at(-1) : p[0]) as Mapping);
    const shared = parts.flatMap((p, i) => (i === 0 ? p.slice(0, -1) : p.slice(1)));
    let result: Mapping;
    if (op === 'and') {
      // "used indoors and outdoors": both of two opposites asks where it can be, which the KB does not say
      const key = (m: Mapping) => (m.kind === 'attribute' ? `a:${m.id}` : m.kind === 'category' ? `c:${m.name}` : '');
      if (siblings.some((a) => key(a) !== '' && siblings.some((b) => key(b) === key(a) && (b as PartMapping).negated !== (a as PartMapping).negated)))
        return { kind: 'unmapped', reason: 'asks a thing and its opposite at once' };
      result = allOf([...shared, ...siblings], wordNames, holds);
    }
    else {
      const context = wordNames.filter((w) => shared.every((s) => holds(s, w)));
      // alternatives that split the words in question between them ask which one ("man-made or natural",
      // "a wild or a domesticated animal"); one that holds for all of them alone is just redundant
      const covered = (s: Mapping) => context.every((w) => holds(s, w));
      if (!negated && context.length > 1 && !siblings.some(covered) && context.every((w) => siblings.some((s) => holds(s, w))))
        return { kind: 'unmapped', reason: 'asks which of the alternatives it is: every word is one of them' };
      result = anyOf(shared.length === 0 ? siblings : siblings.map((s) => allOf([...shared, s], wordNames, holds)), wordNames, holds);
    }
    return negated && result.kind !== 'unmapped' ? { ...result, negated: !result.negated } : result;
  }

  /** One conjunct alone, or with the words it leaves out taken from the first conjunct ("… used for cooking or eating"). */
  function mapConjunct(conjuncts: readonly string[][], i: number): Mapping {
    const own = conjuncts[i] as string[];
    const alone = mapSimple(own, true);
    const first = conjuncts[0] as string[];
    // "lives in the jungle or the forest": a name after the coordinator is the object of the first conjunct's preposition
    const at = first.reduce((last, t, j) => (OBJECT_PREPOSITIONS.has(t) ? j : last), -1);
    if (i > 0 && (alone.kind === 'guess' || alone.kind === 'never') && at >= 1 && at >= first.length - 4) return mapSimple([...first.slice(0, at + 1), ...own], true);
    // "used for writing, drawing or painting": a bare name after a verb's preposition is an activity, when the
    // first conjunct's words make one of it ("used for painting"); with an article it stays a guess ("or a painting")
    const bareName = i > 0 && alone.kind === 'guess' && own.length === 1 && first.at(-2) !== undefined && ACTIVITY_PREPOSITIONS.has(first.at(-2) as string);
    if (alone.kind !== 'unmapped' && !bareName) return alone;
    const second = conjuncts[1] as string[];
    const key = (m: Mapping) => JSON.stringify(m);
    // the borrowed words' own parts belong to the other conjunct: keep what this conjunct adds
    const added = (m: Mapping, borrowed: readonly string[]): Mapping | null => {
      if (m.kind === 'unmapped') return null;
      const theirs = new Set(partsOf(mapSimple(borrowed, true)).map(key));
      const mine = partsOf(m).filter((p) => !theirs.has(key(p)));
      return mine.length === 0 ? null : allOf(mine, wordNames, holds);
    };
    if (i > 0)
      for (let n = first.length - 1; n >= 1; n--) {
        const m = added(mapSimple([...first.slice(0, n), ...own], true), first.slice(0, n));
        if (m && !(bareName && m.kind === 'guess')) return m;
      }
    else
      // "found or used outdoors", "bigger or smaller than a breadbox": the shared tail is the meaning
      for (let n = 1; n < second.length; n++) {
        const m = mapSimple([...own, ...second.slice(n)], true);
        if (m.kind !== 'unmapped') return m;
      }
    return alone;
  }

  /** `keepParts`: keep every phrase as a part (a conjunct's last phrase is the one joined), even when one alone gives the same answers. */
  function mapSimple(tokens: readonly string[], keepParts = false): Mapping {
    if (tokens.length === 0) return { kind: 'unmapped', reason: 'empty question' };
    // "more expensive than a microwave", "less heavy than a car": a comparison the KB has no values for
    const compared = tokens.findIndex((t, i) => (t === 'more' || t === 'less') && tokens.slice(i + 2, i + 4).includes('than'));
    if (compared >= 0) return { kind: 'unmapped', reason: `compares '${tokens.slice(compared, compared + 2).join(' ')}', which the knowledge base has no values for` };
    const negated = tokens.some((t) => NEGATIONS.has(t));
    const direct = directGuess(tokens);
    if (direct) return direct;
    // a conjunct that only names things with an article ("… or a pear")
    const names = guessWords(tokens);
    if (names && !names.bare) return guessMapping(names, negated);

    // attribute or category phrases, unless the question ends with a guessed word the phrase does not touch
    const spans = namedSpans(tokens);
    let best: Phrase | null = null;
    const found: Found[] = [];
    const unknown: { phrase: string; start: number; end: number }[] = [];
    for (const { phrase, start, end } of table.find(tokens)) {
      const insideLongerWord = spans.some((s) => s.start <= start && end <= s.end && s.end - s.start > phrase.tokens.length);
      if (insideLongerWord) continue;
      found.push({ start, end, key: targetKey(phrase), phrase });
      if (phrase.target.kind === 'unknown') {
        unknown.push({ phrase: phrase.target.phrase, start, end });
        continue;
      }
      if (!best || compareStrength(phrase, best) > 0) best = phrase;
    }
    // a guess with extra words before the name ("Is it a big black cat?")
    const final = spans.filter((s) => s.end === tokens.length).sort((a, b) => a.start - b.start)[0];
    const looseGuess = final && finalPhraseStart(tokens, final.word) >= 0 ? final : undefined;
    const touched = looseGuess !== undefined && found.some((f) => f.start < looseGuess.end && looseGuess.start < f.end);
    // "a string instrument like a guitar" asks the class, not the guitar
    const example = looseGuess !== undefined && best !== null && tokens.slice(0, looseGuess.start).some((t) => t === 'like' || t === 'as');
    if (looseGuess && !touched && !example) {
      const modifier = otherThingModifier(tokens, looseGuess.start, looseGuess.word);
      if (modifier !== undefined) return { kind: 'never', phrase: `${modifier} ${looseGuess.word.word.toLowerCase()}`, negated };
      return { kind: 'guess', words: [looseGuess.word.word], negated };
    }
    // only phrases not inside a longer one are asked; a qualifier the KB cannot answer ("eat it raw") makes any
    // shorter phrase's answer wrong, so it wins unless a longer known phrase covers or extends it
    const asked = found.filter((f) => f.phrase.target.kind !== 'unknown' && !found.some((g) => g !== f && g.start <= f.start && f.end <= g.end && g.end - g.start > f.end - f.start));
    const blocker = unknown.find((u) => !found.some((f) => f.phrase.target.kind !== 'unknown' && f.start < u.end && u.start < f.end && f.end >= u.end && (f.end - f.start > u.end - u.start || f.end > u.end)));
    if (blocker) {
      // "bigger than a basketball": compared with a thing whose size the KB knows
      const named = (span: readonly string[]) => namedSpans(span).find((x) => x.start === 0 && x.end === span.length)?.word;
      const size = COMPARATIVES.has(blocker.phrase) ? readSizeComparison(tokens, blocker.start, kb, named) : null;
      if (size) return size;
      return { kind: 'unmapped', reason: `asks '${blocker.phrase}', which the knowledge base does not know` };
    }
    // several separate phrases ("a red fruit", "jewelry worn on the finger") ask all of them
    const parts = disjointStrongest(asked);
    // "a fruit that isn't sweet" ("sweet" asks the fruit category): the same thing asked and denied is not understood
    const negAt = tokens.findIndex((t) => NEGATIONS.has(t));
    if (negAt >= 0 && asked.some((f) => f.start < negAt && asked.some((g) => g.start > negAt && g.key === f.key)))
      return { kind: 'unmapped', reason: 'asks a thing and denies it in one question' };
    if (parts.length > 1) {
      // "a fruit that is not red": a negation after some of the parts negates only the parts after it
      const scoped = negAt >= 0 && parts.some((f) => f.start < negAt) && parts.some((f) => f.start > negAt);
      return combine(parts.map((f) => f.phrase), negated && !scoped, keepParts, parts.map((f) => scoped && f.start > negAt));
    }
    if (best) {
      const flip = best.negative !== negated;
      const t = best.target;
      if (t.kind === 'attribute') return { kind: 'attribute', id: t.id, negated: flip };
      if (t.kind === 'category') return { kind: 'category', name: t.name, negated: flip };
      if (t.kind === 'never') return { kind: 'never', phrase: t.phrase, negated: flip };
      if (t.kind === 'all') return { kind: 'all', parts: t.parts.map((p) => ({ kind: 'attribute', id: p.id, negated: p.negated })), negated: flip };
    }
    if (spans.length > 0) return { kind: 'unmapped', reason: `names ${spans[0]?.word.word} but asks nothing the knowledge base knows` };
    return { kind: 'unmapped', reason: 'no known attribute, category or word' };
  }

  /**
   * "A red fruit": every part must hold. A part that no word is ("a bird that flies") answers no; two
   * categories at once, or parts no word has together ("used to hit a ball": the racket is no ball), mean
   * the phrases are not all about the thing, so the question is unmapped. When one part alone gives the
   * same answers ("worn on the head" and "worn") that part is the mapping. `flipped[i]`: part i stands after a
   * negation that does not reach the parts before it ("a fruit that is not red"); "not a bird" then holds for all.
   */
  function combine(all: Phrase[], negated: boolean, keepParts: boolean, flipped: readonly boolean[]): Mapping {
    const parts = all.filter((p, i) => !(flipped[i] && p.target.kind === 'never'));
    const flips = flipped.filter((_, i) => !(flipped[i] && all[i]?.target.kind === 'never'));
    const never = parts.find((p) => p.target.kind === 'never');
    if (never?.target.kind === 'never') return { kind: 'never', phrase: never.target.phrase, negated: never.negative !== negated };
    if (parts.filter((p) => p.target.kind === 'category').length > 1) return { kind: 'unmapped', reason: 'asks two categories at once' };
    if (parts.some((p, i) => flips[i] && p.target.kind === 'all')) return { kind: 'unmapped', reason: 'negates a phrase that asks several things at once' };
    const maps = parts.flatMap((p, i): PartMapping[] => {
      const t = p.target;
      const neg = p.negative !== (flips[i] === true);
      if (t.kind === 'attribute') return [{ kind: 'attribute', id: t.id, negated: neg }];
      if (t.kind === 'category') return [{ kind: 'category', name: t.name, negated: neg }];
      if (t.kind === 'all') return t.parts.map((x): PartMapping => ({ kind: 'attribute', id: x.id, negated: x.negated }));
      return [];
    });
    if (maps.length === 1 && !keepParts) return { ...(maps[0] as PartMapping), negated: (maps[0] as PartMapping).negated !== negated };
    const yes = new Set(wordNames.filter((w) => maps.every((m) => holds(m, w))));
    if (keepParts) return { kind: 'all', parts: maps, negated };
    if (yes.size === 0) return { kind: 'unmapped', reason: `no word is ${parts.map((p) => `'${p.tokens.join(' ')}'`).join(' and ')} at once` };
    const same = keepParts ? undefined : maps.find((m) => wordNames.every((w) => holds(m, w) === yes.has(w)));
    if (same) return { ...same, negated: same.negated !== negated };
    return { kind: 'all', parts: maps, negated };
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The mapper of the shipped KB. */
export const MAPPER: QuestionMapper = createQuestionMapper(KB);
