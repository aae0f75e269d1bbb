import { KB, type KnowledgeBase } from './kb.js';
import type { Mapping } from './mapping.js';

/** The KB's answer to a mapped question for one word (canonical name); null when unmapped. */
export function kbAnswer(mapping: Mapping, word: string, kb: KnowledgeBase = KB): boolean | null {
  switch (mapping.kind) {
    case 'attribute':
      return kb.has(word, mapping.id) !== mapping.negated;
    case 'category':
      return (kb.categoryOf(word) === mapping.name) !== mapping.negated;
    case 'all':
      return mapping.parts.every((p) => kbAnswer(p, word, kb) === true) !== mapping.negated;
    case 'any':
      return mapping.parts.some((p) => kbAnswer(p, word, kb) === true) !== mapping.negated;
    case 'guess':
      return mapping.words.includes(word) !== mapping.negated;
    case 'never':
      return mapping.negated;
    case 'unmapped':
      return null;
  }
}
