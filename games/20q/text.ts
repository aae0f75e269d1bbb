/**
 * Small text helpers shared by the win rule and the question mapper: no NLP dependency, just a normaliser,
 * a tokenizer and a plural-tolerant token comparison.
 */

/** Lower case, contractions expanded ("isn't" → "is not", "someone's" → "someone"), everything but letters and digits → space. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\bcan't\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/n't\b/g, ' not')
    .replace(/'re\b/g, ' are')
    .replace(/'d\b/g, ' would')
    .replace(/'ll\b/g, ' will')
    .replace(/'ve\b/g, ' have')
    .replace(/'m\b/g, ' am')
    .replace(/\b(it|that|what|there|this)'s\b/g, '$1 is')
    .replace(/'s\b/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function tokenize(text: string): string[] {
  const n = normalise(text);
  return n === '' ? [] : n.split(' ');
}

/** The token and the singular forms it could stand for ("knives" → knive, kniv, knif, knife). */
export function tokenForms(token: string): string[] {
  const forms = [token];
  if (token.length > 3 && token.endsWith('s') && !token.endsWith('ss')) forms.push(token.slice(0, -1));
  if (token.length > 4 && token.endsWith('es')) forms.push(token.slice(0, -2));
  if (token.length > 4 && token.endsWith('ies')) forms.push(`${token.slice(0, -3)}y`);
  if (token.length > 4 && token.endsWith('ves')) forms.push(`${token.slice(0, -3)}f`, `${token.slice(0, -3)}fe`);
  return forms;
}

/** Whether a question token is `word` or a regular plural of it ("knives" for "knife"); never the reverse. */
export function isFormOf(token: string, word: string): boolean {
  return token === word || tokenForms(token).includes(word);
}

/** Whether `tokens[at…]` starts with `phrase` (token-wise; the last token may be a plural of the phrase's). */
export function matchesAt(tokens: readonly string[], at: number, phrase: readonly string[], plural = true): boolean {
  if (at < 0 || at + phrase.length > tokens.length) return false;
  return phrase.every((p, i) => {
    const t = tokens[at + i] as string;
    return i === phrase.length - 1 && plural ? isFormOf(t, p) : t === p;
  });
}

/** Start indices where `phrase` occurs in `tokens`. */
export function findPhrase(tokens: readonly string[], phrase: readonly string[], plural = true): number[] {
  const out: number[] = [];
  if (phrase.length === 0) return out;
  for (let i = 0; i + phrase.length <= tokens.length; i++) if (matchesAt(tokens, i, phrase, plural)) out.push(i);
  return out;
}
