import { nullNonFinite } from './tolerant-json.js';

/**
 * Reading only the parts of a scores.json that eval and the episode index need — `"meta"` and `"episode scores"` —
 * without decoding or parsing the rest. clemcore's scores.json files are ~15 KB, almost all of it "turn scores" and
 * the model spec in "player_models"; eval needs ~1 KB of it. Parsing whole files cost eval ~0.6 s per 10k episodes
 * (bench P4); slicing costs a search from the end of the buffer and a scan of the slice and the tail.
 *
 * The slice is found from the end (`lastIndexOf`), so a key repeated in the file resolves as Python's json module
 * resolves duplicate keys (the last wins). The text after the slice is scanned to its end: it must close exactly
 * one object and hold nothing else, which proves the key sits in the root object and that the file was not cut off
 * (a truncated write fails here). The text before the slice ("turn scores") is not read. Whenever a check fails
 * the caller parses the whole file instead, so the result never differs from a full parse of a valid file.
 */

const EPISODE_KEY = Buffer.from('"episode scores"');
const META_KEY = Buffer.from('"meta"');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && isSpace(bytes[i])) i++;
  return i;
}

/**
 * From an opening brace or bracket at `start`, the index after the bracket that closes it (strings and escapes
 * skipped); -1 if the text ends first. With `closeOne`, starts at depth 0 and returns the index after the first
 * unmatched closing bracket instead.
 */
function scanToClose(bytes: Uint8Array, start: number, end: number, closeOne = false): number {
  let depth = 0;
  let i = start;
  while (i < end) {
    const c = bytes[i] as number;
    if (c === QUOTE) {
      i++;
      while (i < end) {
        const d = bytes[i] as number;
        if (d === BACKSLASH) i += 2;
        else if (d === QUOTE) break;
        else i++;
      }
      if (i >= end) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (closeOne ? depth < 0 : depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** The JSON text of `buf` from `start` to `end`, parsed NaN tolerant (one decode, no view made per slice). */
function decodeObject(buf: Buffer, start: number, end: number): unknown {
  return JSON.parse(nullNonFinite(buf.toString('utf8', start, end)));
}

/** Index of the `{` that opens the value of the key whose opening quote is at `k`, or -1. */
function objectValueAfterKey(bytes: Uint8Array, k: number, keyLength: number, end: number): number {
  if (k > 0 && bytes[k - 1] === BACKSLASH) return -1; // an escaped quote inside some string: not a key
  let i = skipSpace(bytes, k + keyLength, end);
  if (bytes[i] !== COLON) return -1;
  i = skipSpace(bytes, i + 1, end);
  return bytes[i] === OPEN_BRACE ? i : -1;
}

/** The parts of a scores.json that eval reads; `meta` is absent when the file has none. */
export interface ScoresSlices {
  meta?: unknown;
  'episode scores': unknown;
}

/**
 * Slices `meta` (when it is the first key, as both clemcore and clem-ts write it; a second root "meta", which no
 * writer makes, is not looked for) and `episode scores` out of the
 * bytes of a scores.json, NaN tolerant. Returns undefined when the file is not laid out so that the slices can be
 * proven right (see the module comment): the caller must then parse the whole file. Throws `SyntaxError` if a slice
 * is not JSON.
 */
export function sliceScores(bytes: Uint8Array): ScoresSlices | undefined {
  const end = bytes.length;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, end);
  const k = buf.lastIndexOf(EPISODE_KEY);
  if (k < 0) return undefined;
  const open = objectValueAfterKey(bytes, k, EPISODE_KEY.length, end);
  if (open < 0) return undefined;
  const close = scanToClose(bytes, open, end);
  if (close < 0) return undefined;
  const rootClose = scanToClose(bytes, close, end, true);
  if (rootClose < 0 || skipSpace(bytes, rootClose, end) !== end || bytes[rootClose - 1] !== CLOSE_BRACE) return undefined;

  const slices: ScoresSlices = { 'episode scores': decodeObject(buf, open, close) };
  const first = skipSpace(bytes, 0, end);
  if (bytes[first] !== OPEN_BRACE) return undefined;
  const m = skipSpace(bytes, first + 1, end);
  if (buf.indexOf(META_KEY, m) === m) {
    const metaOpen = objectValueAfterKey(bytes, m, META_KEY.length, end);
    if (metaOpen < 0) return undefined;
    const metaClose = scanToClose(bytes, metaOpen, end);
    if (metaClose < 0 || metaClose > k) return undefined;
    slices.meta = decodeObject(buf, metaOpen, metaClose);
  } else if (buf.indexOf(META_KEY) >= 0) {
    return undefined; // a "meta" somewhere else: only a full parse can say whether it is the root's
  }
  return slices;
}
