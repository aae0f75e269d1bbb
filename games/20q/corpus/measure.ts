import { readQuestion } from '../question-format.js';
import { MAPPER, kbAnswer, type Mapping } from '../question-mapper.js';
import * as winRule from '../win-rule.js';
import { WORDS, findWord, type WordEntry } from '../words.js';
import { CORPUS_GROUPS, CORPUS_SPLITS, type CorpusFile, type CorpusItem, type CorpusSplit } from './schema.js';

/** What measuring needs of an item: the reply, what it expects, its labels and its winning words (corpus or independent set). */
export type MeasuredItem = Pick<CorpusItem, 'text' | 'expect' | 'answers' | 'wins_for'>;

/** How one item was understood: the question read from the reply, its mapping, and what went wrong. */
export interface ItemResult<I extends MeasuredItem = CorpusItem> {
  item: I;
  question: string | null;
  mapping: Mapping;
  mapped: boolean;
  offTask: boolean;
  /** Target words whose KB answer disagrees with the expected one (mapped items only). */
  wrong: string[];
  /** Winning turns the win rule missed, and words it fired for wrongly. */
  missedWin: string[];
  falseWins: string[];
}

/** Counts for one split and group (or all groups: group `all`). */
export interface Figures {
  /** The corpus part, or the independent set (`independent`, `independent dev`, `independent blind`). */
  split: CorpusSplit | string;
  group: string;
  items: number;
  answerable: number;
  mapped: number;
  pairs: number;
  correct: number;
  /** Answerable (item, word) pairs, and those kb-oracle answers right (an unmapped question gets "No."). */
  oraclePairs: number;
  oracleCorrect: number;
  /** Answerable pairs a constant "No." gets right (the expected answer is no): the floor kb-oracle must beat. */
  constantNoCorrect: number;
  refuse: number;
  refused: number;
  offTask: number;
  offTaskRecognised: number;
  /** Answerable items taken for off-task turns. */
  falseOffTask: number;
  winTurns: number;
  winsRecognised: number;
  /** Winning turns where kb-oracle also says yes, so the game is won. */
  winsPlayed: number;
  falseWins: number;
}

// correctGuesses reads a question once for all words; an older checkout (the "before" figures) has only isCorrectGuess
const correctGuesses = (question: string, words: readonly WordEntry[]): WordEntry[] =>
  'correctGuesses' in winRule ? winRule.correctGuesses(question, words) : words.filter((w) => winRule.isCorrectGuess(question, w, words));

const UNREADABLE: Mapping = { kind: 'unmapped', reason: 'the game master cannot read a question from this reply' };
const isOffTask = (m: Mapping) => m.kind === 'unmapped' && (m as { offTask?: boolean }).offTask === true;

/**
 * Reads each reply as the game master does in lenient mode, maps it as kb-oracle does, and checks the
 * answers and the win rule against the corpus. Uses only the exported API of the mapper, the question
 * reader and the win rule, so the same file measures an older checkout.
 */
export function evaluateItem<I extends MeasuredItem>(item: I, words: readonly WordEntry[] = WORDS): ItemResult<I> {
  let question: string | null = null;
  try {
    question = readQuestion(item.text, { strict: false, maxWords: 40 }).question;
  } catch {
    question = null;
  }
  const mapping = question === null ? UNREADABLE : MAPPER.map(question);
  const offTask = isOffTask(mapping);
  const mapped = mapping.kind !== 'unmapped';
  const wrong = mapped ? Object.entries(item.answers).filter(([w, gold]) => kbAnswer(mapping, w) !== (gold === 'yes')).map(([w]) => w) : [];
  const winners = new Set(question === null ? [] : correctGuesses(question, words).map((w) => w.word));
  const missedWin = item.wins_for.filter((w) => !winners.has((findWord(w, words) as WordEntry).word));
  const falseWins = [...winners].filter((w) => !item.wins_for.includes(w));
  return { item, question, mapping, mapped, offTask, wrong, missedWin, falseWins };
}

function emptyFigures(split: string, group: string): Figures {
  return {
    split, group, items: 0, answerable: 0, mapped: 0, pairs: 0, correct: 0, oraclePairs: 0, oracleCorrect: 0, constantNoCorrect: 0, refuse: 0, refused: 0,
    offTask: 0, offTaskRecognised: 0, falseOffTask: 0, winTurns: 0, winsRecognised: 0, winsPlayed: 0, falseWins: 0,
  };
}

function add(f: Figures, r: ItemResult<MeasuredItem>): void {
  const { item } = r;
  f.items += 1;
  f.falseWins += r.falseWins.length;
  if (item.expect === 'off_task') {
    f.offTask += 1;
    if (r.offTask) f.offTaskRecognised += 1;
    return;
  }
  if (item.expect === 'refuse') {
    f.refuse += 1;
    if (!r.mapped) f.refused += 1;
    return;
  }
  f.answerable += 1;
  if (r.offTask) f.falseOffTask += 1;
  const targets = Object.entries(item.answers);
  f.oraclePairs += targets.length;
  f.constantNoCorrect += targets.filter(([, gold]) => gold === 'no').length;
  for (const [w, gold] of targets) if ((r.mapped ? kbAnswer(r.mapping, w) === true : false) === (gold === 'yes')) f.oracleCorrect += 1;
  if (r.mapped) {
    f.mapped += 1;
    f.pairs += targets.length;
    f.correct += targets.length - r.wrong.length;
  }
  for (const w of item.wins_for) {
    f.winTurns += 1;
    if (!r.missedWin.includes(w)) {
      f.winsRecognised += 1;
      if (r.mapped && kbAnswer(r.mapping, w) === true) f.winsPlayed += 1;
    }
  }
}

/** Figures per split and group, and per split over all groups (`all`), in a fixed order. */
export function measureCorpus(corpus: CorpusFile, words: readonly WordEntry[] = WORDS): { figures: Figures[]; results: ItemResult[] } {
  const results = corpus.items.map((item) => evaluateItem(item, words));
  const figures: Figures[] = [];
  for (const split of CORPUS_SPLITS) {
    const all = emptyFigures(split, 'all');
    for (const group of CORPUS_GROUPS) {
      const f = emptyFigures(split, group);
      for (const r of results) if (r.item.split === split && r.item.group === group) (add(f, r), add(all, r));
      figures.push(f);
    }
    figures.push(all);
  }
  return { figures, results };
}

/**
 * Figures of items grouped by `groupOf`, per group in the order of `groups` and over all of them (`all`), under the
 * split name `split` (the independent set and its halves use this; the corpus uses measureCorpus).
 */
export function measureGroups<I extends MeasuredItem>(
  results: readonly ItemResult<I>[],
  split: string,
  groups: readonly string[],
  groupOf: (item: I) => string,
): Figures[] {
  const all = emptyFigures(split, 'all');
  const figures = groups.map((group) => {
    const f = emptyFigures(split, group);
    for (const r of results) if (groupOf(r.item) === group) (add(f, r), add(all, r));
    return f;
  });
  return [...figures, all];
}

const pct = (n: number, d: number) => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`);

/** One markdown table per split: mapped rate, agreement (and a constant "No."'s), refusals, off-task recognition, win rule. */
export function figuresTable(figures: readonly Figures[], split: string): string {
  const rows = figures.filter((f) => f.split === split);
  const head = '| group | items | mapped | correct when mapped | kb-oracle right (unmapped → No) | constant "No." right | refused (of refuse) | off-task recognised | win rule (winning turns) | false wins |';
  const sep = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map(
    (f) =>
      `| ${f.group === 'all' ? '**all**' : f.group} | ${f.items} | ${pct(f.mapped, f.answerable)} | ${pct(f.correct, f.pairs)} | ${pct(f.oracleCorrect, f.oraclePairs)} | ${pct(f.constantNoCorrect, f.oraclePairs)} | ${
        f.refuse === 0 ? '–' : `${f.refused}/${f.refuse}`
      } | ${f.offTask === 0 ? (f.falseOffTask > 0 ? `${f.falseOffTask} false` : '–') : `${pct(f.offTaskRecognised, f.offTask)}${f.falseOffTask > 0 ? `, ${f.falseOffTask} false` : ''}`} | ${
        f.winTurns === 0 ? '–' : `${pct(f.winsRecognised, f.winTurns)} (${f.winsRecognised}/${f.winTurns})`
      } | ${f.falseWins} |`,
  );
  return [head, sep, ...lines].join('\n');
}
