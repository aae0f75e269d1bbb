import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../backends/backend.js';
import { createRng, hashSeed } from '../../base/rng.js';
import { optimalExpectedQuestions } from './info-gain.js';
import { consistentWords, greedyQuestion, kbQuestions, oracleReply, randomQuestion, readAnswer, readQuestionerHistory, UNMAPPED_REPLY } from './strategies.js';
import { isCorrectGuess } from './win-rule.js';
import { WORDS, findWord, type WordEntry } from './words.js';

/** Plays one game directly (no framework): a Questioner strategy against kb-oracle. */
function play(target: WordEntry, ask: (messages: ChatMessage[]) => string, max = 20): { win: boolean; questions: number } {
  const messages: ChatMessage[] = [{ role: 'user', content: `Let's play.\nAsk question 1 of ${max}.` }];
  for (let q = 1; q <= max; q++) {
    const question = ask(messages);
    messages.push({ role: 'assistant', content: question });
    const { reply } = oracleReply(question, target);
    if (reply === 'Yes.' && isCorrectGuess(question, target)) return { win: true, questions: q };
    messages.push({ role: 'user', content: `${reply}\n\nAsk question ${q + 1} of ${max}.` });
  }
  return { win: false, questions: max };
}

describe('reading a Questioner history', () => {
  it('pairs its questions with the answers in the next prompts', () => {
    const view = readQuestionerHistory([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'Rules…\nAsk question 1 of 20.' },
      { role: 'assistant', content: 'Is it alive?' },
      { role: 'user', content: 'No.\n\nAsk question 2 of 20.' },
      { role: 'assistant', content: 'Is it made of metal?' },
      { role: 'user', content: '**Yes**\n\nAsk question 3 of 20.' },
    ]);
    expect(view).toEqual({ asked: [{ question: 'Is it alive?', answer: 'no' }, { question: 'Is it made of metal?', answer: 'yes' }], questionNumber: 3, maxQuestions: 20 });
    expect(readAnswer('maybe.')).toBe('maybe');
    expect(readAnswer('I think yes')).toBeNull();
    expect(['Answer: Yes', 'answer - no', 'My answer is: **No.**', 'Nope', 'Not really'].map(readAnswer)).toEqual(['yes', 'no', 'no', null, null]);
  });

  it('recovers when the answers contradict every word', () => {
    const asked = [{ question: 'Is it a cat?', answer: 'no' as const }, { question: 'Is it alive?', answer: 'yes' as const }, { question: 'Is it man-made?', answer: 'yes' as const }];
    const left = consistentWords(asked);
    expect(left).toHaveLength(157);
    expect(left).not.toContain('Cat');
  });
});

describe('kb-oracle', () => {
  it('answers from the KB and gives the documented reply when it cannot map a question', () => {
    const cat = findWord('Cat')!;
    expect(oracleReply('Is it alive?', cat).reply).toBe('Yes.');
    expect(oracleReply('Is it a dog?', cat).reply).toBe('No.');
    expect(oracleReply('Is it popular in Japan?', cat)).toEqual({ reply: UNMAPPED_REPLY, mapping: { kind: 'unmapped', reason: 'no known attribute, category or word' } });
  });
});

describe('kb-greedy against kb-oracle, all 158 words', () => {
  const results = WORDS.map((w) => ({ word: w.word, ...play(w, (m) => greedyQuestion(readQuestionerHistory(m)).question) }));
  const mean = results.reduce((s, r) => s + r.questions, 0) / results.length;

  it('wins every episode', () => {
    expect(results.filter((r) => !r.win)).toEqual([]);
  });

  it('needs between F(158) and F(158) + 1 questions on average', () => {
    // F(158) = 7.785: the least mean any player can reach when every split is available and a win needs a
    // "yes" to a naming question (info-gain.ts). The KB offers near-even splits where it matters (its best
    // first question splits the 158 words with 0.994 bits), and near-duplicates (Ocean/Sea) force a second
    // guess (+1 question for one of the pair); the rest of the gap is the unevenness of later splits, which
    // we bound by one question on average.
    const f158 = optimalExpectedQuestions(158)[158] as number;
    expect(greedyQuestion({ asked: [], questionNumber: 1, maxQuestions: 20 }).expectedGain).toBeGreaterThan(0.99);
    expect(mean).toBeGreaterThanOrEqual(f158);
    expect(mean).toBeLessThanOrEqual(f158 + 1);
    // issue 13's bound: the attributes added for real models' questions must not cost kb-greedy (7.88 measured)
    expect(mean).toBeLessThanOrEqual(8.0);
    expect(Math.max(...results.map((r) => r.questions))).toBeLessThanOrEqual(12);
  });

  it('guesses a near-duplicate pair one after the other', () => {
    expect(results.find((r) => r.word === 'Sea')!.questions - results.find((r) => r.word === 'Ocean')!.questions).toBe(1);
  });
});

describe('random-kb', () => {
  it('is a floor: far fewer wins, deterministic from its history', () => {
    const ask = (m: ChatMessage[]) => randomQuestion(readQuestionerHistory(m), createRng(hashSeed('random-kb', ...m.map((x) => x.content))));
    const results = WORDS.map((w) => play(w, ask));
    const wins = results.filter((r) => r.win).length;
    expect(wins).toBeGreaterThan(0);
    expect(wins).toBeLessThan(WORDS.length / 2);
    expect(WORDS.map((w) => play(w, ask).questions)).toEqual(results.map((r) => r.questions));
  });

  it('asks only KB questions and never repeats one', () => {
    const texts = new Set(kbQuestions().map((q) => q.text));
    const messages: ChatMessage[] = [{ role: 'user', content: 'Ask question 1 of 20.' }];
    const asked: string[] = [];
    for (let q = 1; q < 20; q++) {
      const question = randomQuestion(readQuestionerHistory(messages), createRng(q));
      asked.push(question);
      messages.push({ role: 'assistant', content: question }, { role: 'user', content: `No.\nAsk question ${q + 1} of 20.` });
    }
    expect(new Set(asked).size).toBe(asked.length);
    for (const q of asked) expect(texts.has(q) || /^Is it (a |an )?[a-z ]+\?$/.test(q)).toBe(true);
  });
});
