/**
 * JSON as Python's json module writes it: strict JSON plus the bare `NaN`, `Infinity` and `-Infinity` tokens
 * (clemcore's scores.json holds `"Main Score": NaN` for every aborted episode). clem-ts never writes these tokens;
 * it reads them as `null` (a missing number).
 */

// A whole string token (escapes included) or a bare non-finite token. The regular expression engine skips strings
// at native speed; a character loop in JavaScript was 1.5–2× slower on clemcore's 15 KB scores.json files (bench P4).
const STRING_OR_TOKEN = /"[^"\\]*(?:\\.[^"\\]*)*"|-?Infinity|NaN/g;

/** Whether `text` may hold a bare non-finite token (a cheap test: false means plain JSON.parse will do). */
export function mayHoldNonFinite(text: string): boolean {
  return text.includes('NaN') || text.includes('Infinity');
}

/** `text` with every bare NaN/±Infinity token outside strings replaced by `null`. */
export function nullNonFinite(text: string): string {
  if (!mayHoldNonFinite(text)) return text;
  return text.replace(STRING_OR_TOKEN, (m) => (m.charCodeAt(0) === 34 /* " */ ? m : 'null'));
}

/**
 * `JSON.parse` that also accepts the bare `NaN`, `Infinity` and `-Infinity` tokens Python writes, turning each into
 * `null`. Tokens inside strings are left alone. Throws `SyntaxError` for anything else that is not JSON. Use it to
 * read clemcore files.
 */
export function readJsonTolerant(text: string): unknown {
  return JSON.parse(nullNonFinite(text));
}
