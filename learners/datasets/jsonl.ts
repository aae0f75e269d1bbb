import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { writeFileAtomic } from '../../base/atomic.js';
import { FileFormatError } from '../../base/errors.js';
import { formatIssues } from '../../registry/parse.js';

/** One JSON object per line (no pretty printing), NaN and Infinity refused, ending with a newline when not empty. */
export function toJsonLines(rows: readonly unknown[]): string {
  return rows.map((row, i) => jsonLine(row, i)).join('');
}

/** One row as a JSON line; throws on a non-finite number (JSON would write it as null silently). */
export function jsonLine(row: unknown, index = 0): string {
  const text = JSON.stringify(row, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`row ${index}: refusing to write the non-finite number ${value} as JSON; use null`);
    return value;
  });
  return `${text}\n`;
}

/** Parses every row with `schema` first (nothing is written that cannot be read back), then writes the file atomically. */
export function writeJsonLines<S extends z.ZodType>(file: string, schema: S, rows: readonly z.infer<S>[]): void {
  rows.forEach((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new FileFormatError(`${file} (line ${i + 1}, before writing)`, formatIssues(parsed.error, row));
  });
  writeFileAtomic(file, toJsonLines(rows));
}

/**
 * Reads a JSON Lines file, each non-empty line parsed by `schema`. Throws FileFormatError naming the file, the line
 * and each JSON path that does not fit (all issues of the first bad line).
 */
export function readJsonLines<S extends z.ZodType>(file: string, schema: S): z.infer<S>[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const rows: z.infer<S>[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (e) {
      throw new FileFormatError(`${file} (line ${i + 1})`, [`not valid JSON: ${(e as Error).message}`]);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new FileFormatError(`${file} (line ${i + 1})`, formatIssues(parsed.error, data));
    rows.push(parsed.data);
  });
  return rows;
}
