import type { z } from 'zod';
import { FileFormatError } from '../base/errors.js';

/** `a.b[2].c` from a zod issue path. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

/**
 * One issue as lines `json.path: expected …, got …`. A failed union is reported through the one branch whose
 * kind fits the value (a clemgame.json object is checked as an object, not as "invalid input"); a custom
 * message is taken as complete (it says what it got itself).
 */
function issueLines(issue: z.core.$ZodIssue, data: unknown, prefix: readonly PropertyKey[], describe: (value: unknown) => string): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const fitting = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
    const [only] = fitting;
    if (fitting.length === 1 && only && only.length > 0) return only.flatMap((i) => issueLines(i, data, path, describe));
  }
  const where = formatJsonPath(path);
  const got = describe(valueAt(data, path));
  if (issue.code === 'invalid_type') return [`${where}: expected ${issue.expected}, got ${got}`];
  if (issue.code === 'custom' || issue.code === 'unrecognized_keys') return [`${where}: ${issue.message}`];
  return [`${where}: ${issue.message}, got ${got}`];
}

/** What a value is, without showing it (`a string`), for files whose values are secret (key.json). */
export function describeKind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * Every issue as `json.path: expected …, got …`, all at once. `hideValues` says only what kind of value was
 * found (`got a string`), never the value: for key.json. (Custom messages are the schema's own text.)
 */
export function formatIssues(error: z.ZodError, data: unknown, options: { hideValues?: boolean } = {}): string[] {
  return error.issues.flatMap((issue) => issueLines(issue, data, [], options.hideValues ? describeKind : describeValue));
}

/** Parses already-decoded data with a schema; throws FileFormatError naming the file and each field. */
export function parseData<S extends z.ZodType>(schema: S, file: string, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new FileFormatError(file, formatIssues(result.error, data));
  return result.data;
}

/**
 * `not valid JSON: <why>` for an error JSON.parse threw, in one line that quotes none of the text (V8 quotes the
 * text around the error, line breaks included); `at position N` becomes a line and column of `text` when given.
 */
export function notValidJson(error: unknown, text?: string): string {
  let why = error instanceof Error ? error.message : String(error);
  const token = /^Unexpected token '([\s\S])', [\s\S]* is not valid JSON$/.exec(why);
  if (token) why = `unexpected character ${JSON.stringify(token[1])}`;
  const at = /at position (\d+)/.exec(why);
  if (at && text !== undefined) {
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    why = why.replace(/at position \d+( \(line \d+ column \d+\))?/, `at line ${line}, column ${before.length - before.lastIndexOf('\n')}`);
  }
  why = why.replace(' in JSON', '').replace(/\s+/g, ' ');
  return `not valid JSON: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
}

/**
 * Decodes JSON text and parses it with a schema; bad JSON and bad fields both name the file. `decode` replaces
 * JSON.parse (e.g. readJsonTolerant for clemcore files with bare NaN); it must throw on text that is not JSON.
 */
export function parseJsonFile<S extends z.ZodType>(schema: S, file: string, text: string, decode: (text: string) => unknown = JSON.parse): z.infer<S> {
  let data: unknown;
  try {
    data = decode(text);
  } catch (e) {
    throw new FileFormatError(file, [notValidJson(e, text)], { cause: e });
  }
  return parseData(schema, file, data);
}
