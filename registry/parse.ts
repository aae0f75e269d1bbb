import type { z } from 'zod';
import { FileFormatError } from '../core/errors.js';

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

/** Every issue as `json.path: message, got …`, all at once. */
export function formatIssues(error: z.ZodError, data: unknown): string[] {
  return error.issues.map((issue) => {
    const got = issue.code === 'unrecognized_keys' ? '' : `, got ${describeValue(valueAt(data, issue.path))}`;
    return `${formatJsonPath(issue.path)}: ${issue.message}${got}`;
  });
}

/** Parses already-decoded data with a schema; throws FileFormatError naming the file and each field. */
export function parseData<S extends z.ZodType>(schema: S, file: string, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new FileFormatError(file, formatIssues(result.error, data));
  return result.data;
}

/** Decodes JSON text and parses it with a schema; bad JSON and bad fields both name the file. */
export function parseJsonFile<S extends z.ZodType>(schema: S, file: string, text: string): z.infer<S> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FileFormatError(file, [`not valid JSON: ${(e as Error).message}`], { cause: e });
  }
  return parseData(schema, file, data);
}
