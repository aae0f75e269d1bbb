import type { Backend } from '../../backends/backend.js';
import type { RewardContext } from '../../core/rewards.js';
import { KB, type KnowledgeBase } from './kb.js';
import { kbAnswer } from './question-mapper.js';
import { mapQuestion, readAnswer } from './strategies.js';
import { WORDS, type WordEntry } from './words.js';

/** Yes/no per word (canonical name); null where the labeler's reply could not be read. */
export type WordLabels = ReadonlyMap<string, boolean | null>;

/** Where labels came from: the knowledge base, an LLM labeler, or nowhere (an unmapped question and no labeler). */
export type LabelSource = 'kb' | 'labeler' | null;

/** Cache namespace of LLM labels; one entry per (labeler model, question) holding every word labelled so far. */
export const LABEL_CACHE = '20q-word-labels';

const entryOf = (word: string): WordEntry => {
  const w = WORDS.find((x) => x.word === word);
  if (!w) throw new Error(`games/20q: unknown word '${word}'`);
  return w;
};

/**
 * Labels words for questions: the knowledge base answers every question it can map; for the others an LLM
 * Answerer (`ctx.models.labeler`, any backend) is asked once per word with the game's own Answerer prompt, and
 * the answers are cached on disk keyed on the model and the question (as Mazzaccara et al. 2024 label every
 * candidate with an annotator model), so a second run makes no call. Calls still in flight are shared.
 */
export class WordLabeler {
  private readonly inFlight = new Map<string, Promise<boolean | null>>();

  constructor(private readonly kb: KnowledgeBase = KB) {}

  /** Labels of `words` for `question`, and where they came from; null labels when the question is unmapped and there is no labeler. */
  async labels(question: string, words: readonly string[], ctx: RewardContext): Promise<{ labels: WordLabels | null; source: LabelSource }> {
    const mapping = mapQuestion(question);
    if (mapping.kind !== 'unmapped') return { labels: new Map(words.map((w) => [w, kbAnswer(mapping, w, this.kb)])), source: 'kb' };
    const labeler = ctx.models.labeler;
    if (!labeler) return { labels: null, source: null };
    const key = { model: labeler.name, question: question.trim() };
    const cached = ((await ctx.cache.get(LABEL_CACHE, key)) ?? {}) as Record<string, boolean | null>;
    const missing = words.filter((w) => !(w in cached));
    if (missing.length > 0) {
      const fresh = await Promise.all(missing.map((w) => this.ask(labeler, question, w, ctx)));
      // re-read just before writing: another state may have labelled other words of this question meanwhile
      const latest = ((await ctx.cache.get(LABEL_CACHE, key)) ?? {}) as Record<string, boolean | null>;
      Object.assign(cached, latest);
      missing.forEach((w, i) => (cached[w] = fresh[i] as boolean | null));
      await ctx.cache.set(LABEL_CACHE, key, cached);
    }
    return { labels: new Map(words.map((w) => [w, cached[w] ?? null])), source: 'labeler' };
  }

  private ask(labeler: Backend, question: string, word: string, ctx: RewardContext): Promise<boolean | null> {
    const id = JSON.stringify([labeler.name, question.trim(), word]);
    let p = this.inFlight.get(id);
    if (!p) {
      const w = entryOf(word);
      const prompt = ctx.render('answerer-initial', { word: w.word, other_variants: w.variants.slice(1), question: question.trim(), allow_maybe: false });
      p = labeler
        .generate({ messages: [{ role: 'user', content: prompt }], args: { temperature: 0, maxTokens: 8 } }, ctx.signal)
        .then((r) => {
          const answer = readAnswer(r.choices[0]?.text ?? '');
          return answer === 'yes' ? true : answer === 'no' ? false : null;
        });
      p.catch(() => this.inFlight.delete(id));
      this.inFlight.set(id, p);
    }
    return p;
  }
}
