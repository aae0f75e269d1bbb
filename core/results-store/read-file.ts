export { FileBytesReader } from './file-bytes.js';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { parseJsonFile } from '../../registry/parse.js';
import { readJsonTolerant } from '../../registry/tolerant-json.js';

/**
 * Reads a JSON file (tolerating Python's bare NaN/Infinity) and parses it with `schema`. Throws FileFormatError
 * naming the file for invalid JSON or a schema mismatch, and the file-system error if it cannot be read.
 */
export async function readJsonFile<T extends z.ZodType>(file: string, schema: T): Promise<z.infer<T>> {
  return parseJsonFile(schema, file, await readFile(file, 'utf8'), readJsonTolerant);
}
