import { distance } from 'fastest-levenshtein';

/** Up to `max` known names closest to `name` (edit distance, then substring), for "did you mean" messages. */
export function closestNames(name: string, known: readonly string[], max = 3): string[] {
  const lower = name.toLowerCase();
  return [...new Set(known)]
    .map((k) => {
      const kl = k.toLowerCase();
      const d = distance(lower, kl);
      const bonus = kl.includes(lower) || lower.includes(kl) ? -2 : 0;
      return { k, score: d + bonus, d };
    })
    .filter(({ d, k }) => d <= Math.max(3, Math.floor(name.length / 2)) || k.toLowerCase().includes(lower))
    .sort((a, b) => a.score - b.score || a.k.localeCompare(b.k))
    .slice(0, max)
    .map(({ k }) => k);
}
