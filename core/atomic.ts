import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;
function tempName(file: string): string {
  counter = (counter + 1) % 1_000_000;
  return join(dirname(file), `.${basename(file)}.${process.pid}.${counter}.tmp`);
}

/** Strict JSON text: throws on NaN/Infinity instead of writing null silently (missing numbers must be null). */
export function toStrictJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`refusing to write the non-finite number ${v} as JSON; use null`);
    return v;
  }, 2)}\n`;
}

/** Writes a file atomically: a temporary file in the same folder, fsync, then rename over the target. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = tempName(file);
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

/** Async twin of writeFileAtomic, for the runner's hot path. */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = tempName(file);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

export async function writeJsonAtomicAsync(file: string, value: unknown): Promise<void> {
  await writeFileAtomicAsync(file, toStrictJson(value));
}
