import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseJsonFile } from '../../registry/parse.js';
import { readJsonTolerant } from '../../registry/tolerant-json.js';

/**
 * Reading whole files for the reader: one open, reads into a reusable buffer, one close (readFileSync adds an fstat
 * and a fresh allocation per file, which at 10k small files is most of the cost, bench P4).
 */
export class FileBytesReader {
  private buffer = Buffer.allocUnsafe(256 * 1024);

  /** The file's bytes, valid until the next call. Throws the file-system error. */
  read(file: string): Uint8Array {
    const fd = openSync(file, 'r');
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        const n = readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (n === 0) break;
        length += n;
      }
      return this.buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Reads a JSON file (tolerating Python's bare NaN/Infinity) and parses it with `schema`. Throws FileFormatError
 * naming the file for invalid JSON or a schema mismatch, and the file-system error if it cannot be read.
 */
export async function readJsonFile<T extends z.ZodType>(file: string, schema: T): Promise<z.infer<T>> {
  return parseJsonFile(schema, file, await readFile(file, 'utf8'), readJsonTolerant);
}
