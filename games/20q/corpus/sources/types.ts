import type { CorpusGroup } from '../schema.js';

/** One value of a slot: its text (and other text fields) and its meaning in the corpus notation. */
export interface PoolEntry {
  t: string;
  m: string;
  /** Examples for "(e.g., …)" and "like …" frames. */
  eg?: string;
  /** Article and space for a guessed word ("a ", "an ", ""). */
  a?: string;
}

/**
 * A template: `text` with `{slot.field}` holes filled from pools (`{p.t}`, `{p.eg}`), and `meaning` with
 * `{slot}` holes filled with each slot's meaning. Without slots it is one hand-written question. `given`
 * restricts the target words to those it holds for (a recap before the question: "Since it's not alive, …").
 * `n`: how many fillings to draw (default: every filling when there are few, else 12).
 */
export interface Template {
  id: string;
  text: string;
  meaning: string;
  slots?: Record<string, string>;
  given?: string;
  n?: number;
}

/** A list of templates of one group, tuned or held out, named for the `source` field. */
export interface Source {
  name: string;
  group: CorpusGroup;
  note: string;
  templates: Template[];
}

/** Hand-written questions as [text, meaning] or [text, meaning, given]. */
export function list(prefix: string, rows: readonly (readonly [string, string] | readonly [string, string, string])[]): Template[] {
  return rows.map(([text, meaning, given], i) => ({ id: `${prefix}${String(i + 1).padStart(3, '0')}`, text, meaning, ...(given !== undefined ? { given } : {}) }));
}

/** Pool entries from [text, meaning] or [text, meaning, examples] rows. */
export function pool(rows: readonly (readonly [string, string] | readonly [string, string, string])[]): PoolEntry[] {
  return rows.map(([t, m, eg]) => ({ t, m, ...(eg !== undefined ? { eg } : {}) }));
}
