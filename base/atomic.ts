import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;
/** A temporary file name beside `file` (`.<name>.<pid>.<n>.tmp`, which removeStaleTempFiles clears). */
export function tempPathFor(file: string): string {
  counter = (counter + 1) % 1_000_000;
  return join(dirname(file), `.${basename(file)}.${process.pid}.${counter}.tmp`);
}

/** Throws on the first non-finite number in a JSON-bound value (JSON.stringify would write it as null). */
function assertFinite(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`refusing to write the non-finite number ${value} at ${path || '(root)'} as JSON; use null`);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertFinite(value[i], `${path}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) assertFinite((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
  }
}

/** Strict JSON text: throws on NaN/Infinity instead of writing null silently (missing numbers must be null). */
export function toStrictJson(value: unknown): string {
  assertFinite(value, '');
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes a file atomically: a temporary file in the same folder, fsync, then rename over the target. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, toStrictJson(value));
}

/** Async twin of writeFileAtomic, for the runner's hot path. A failed write removes its temporary file. */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array, options: { folderExists?: boolean } = {}): Promise<void> {
  if (!options.folderExists) await mkdir(dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  try {
    await writeAndSync(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function writeAndSync(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeJsonAtomicAsync(file: string, value: unknown, options: { folderExists?: boolean } = {}): Promise<void> {
  await writeFileAtomicAsync(file, toStrictJson(value), options);
}
