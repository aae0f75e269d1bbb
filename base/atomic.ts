import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { WriteError } from './errors.js';
import { redactedForWrite } from './redact.js';

/**
 * Atomic file writes: a temporary file beside the target, every byte written (short writes are looped over),
 * fsync, then rename over the target. Text passes through the process's redactor first (base/redact.ts). A
 * failure of any step (ENOSPC, EACCES, EIO…) removes the temporary file, leaves the previous target as it was,
 * and throws {@link WriteError}, whose one-line message names the file and the cause.
 *
 * Temporary files are named `.<name>~<host>~<pid>~<n>.tmp` so that the writer can be identified: a later
 * command removes only those whose writer is gone ({@link isDeadWriterTemp}), never a live writer's, which
 * is what lets many processes (on one machine or several, over a network file system) share a folder.
 */

/** The file-system calls an async atomic write makes; node:fs/promises by default. Tests inject faults here. */
export interface WriteIO {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: 'wx'): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

/** An open file as WriteIO returns it (node's FileHandle fits). `write` may write fewer bytes than asked. */
export interface WritableFile {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The synchronous twin of {@link WriteIO}; node:fs by default. */
export interface SyncWriteIO {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  openSync(path: string, flags: 'wx'): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: true }): void;
}

/**
 * `mkdir -p` that reports the real cause. Node's recursive mkdir says ENOENT for the folder it could not make when
 * the cause is another (a read-only file system gives EROFS): the first missing folder is then made alone, which
 * fails with the real error (or succeeds, and the recursive mkdir is tried once more).
 */
export async function makeFolder(path: string, mkdir: (path: string, options?: { recursive?: boolean }) => Promise<unknown> = fsp.mkdir): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(firstMissingFolder(path));
    await mkdir(path, { recursive: true });
  }
}

/** The synchronous twin of {@link makeFolder}. */
export function makeFolderSync(path: string, mkdirSync: (path: string, options?: { recursive?: boolean }) => unknown = fs.mkdirSync): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(firstMissingFolder(path));
    mkdirSync(path, { recursive: true });
  }
}

/** The outermost folder of `path` that does not exist (its parent does). */
function firstMissingFolder(path: string): string {
  let p = resolve(path);
  while (dirname(p) !== p && !fs.existsSync(dirname(p))) p = dirname(p);
  return p;
}

export const nodeWriteIO: WriteIO = { mkdir: (path) => makeFolder(path), open: fsp.open, rename: fsp.rename, rm: fsp.rm };
export const nodeSyncWriteIO: SyncWriteIO = { ...fs, mkdirSync: (path: string) => makeFolderSync(path) };

export interface AtomicWriteOptions {
  /** The folder exists (skip the mkdir). */
  folderExists?: boolean;
  io?: WriteIO;
}

// ------------------------------------------------------------------------------------------ temporary files

/** This machine's name as it appears in temporary file names (letters, digits, '.', '-', '_'; at most 64). */
export const THIS_HOST = sanitizeHost(hostname());

function sanitizeHost(host: string): string {
  return (host.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'host');
}

let counter = 0;
/** A temporary file name beside `file`: `.<name>~<host>~<pid>~<n>.tmp` (see {@link isDeadWriterTemp}). */
export function tempPathFor(file: string): string {
  counter = (counter + 1) % 1_000_000;
  return join(dirname(file), `.${basename(file)}~${THIS_HOST}~${process.pid}~${counter}.tmp`);
}

const TEMP_NAME = /^\.(.+)~([A-Za-z0-9._-]+)~(\d+)~(\d+)\.tmp$/;
/** Before issue 8: `.<name>.<pid>.<n>.tmp`, no host (always this machine's then). */
const OLD_TEMP_NAME = /^\.(.+)\.(\d+)\.(\d+)\.tmp$/;

/** The writer of a temporary file, from its name; undefined when `name` is not one of ours. */
export function tempFileWriter(name: string): { host: string; pid: number } | undefined {
  const m = TEMP_NAME.exec(name);
  if (m) return { host: m[2] as string, pid: Number(m[3]) };
  const old = OLD_TEMP_NAME.exec(name);
  if (old) return { host: THIS_HOST, pid: Number(old[2]) };
  return undefined;
}

/** Whether process `pid` exists on this machine (a process of another user counts). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary files of another machine older than this are taken as dead (its processes cannot be asked). */
export const FOREIGN_TEMP_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Whether the temporary file `name` (in `dir`) was left by a writer that is gone: on this machine, its process
 * no longer exists; on another machine (a shared network folder), the file is older than `foreignMaxAgeMs`
 * (an atomic write takes well under that). False for names that are not temporary files.
 */
export function isDeadWriterTemp(dir: string, name: string, options: { now?: number; foreignMaxAgeMs?: number } = {}): boolean {
  const writer = tempFileWriter(name);
  if (!writer) return false;
  if (writer.host === THIS_HOST) return !isProcessAlive(writer.pid);
  const stat = fs.statSync(join(dir, name), { throwIfNoEntry: false });
  if (!stat) return false;
  return (options.now ?? Date.now()) - stat.mtimeMs > (options.foreignMaxAgeMs ?? FOREIGN_TEMP_MAX_AGE_MS);
}

/**
 * Removes the temporary files in `dir` whose writer is gone (a killed run, eval or transcribe), and with
 * `recursive` in every folder below too. Live writers' files are left alone. Returns the paths removed. A
 * missing `dir` removes nothing.
 */
export function removeDeadTempFiles(dir: string, options: { recursive?: boolean; now?: number; foreignMaxAgeMs?: number } = {}): string[] {
  const removed: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return removed; // nothing to clean: no folder there
    throw e;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (options.recursive) removed.push(...removeDeadTempFiles(path, options));
    } else if (entry.name.endsWith('.tmp') && isDeadWriterTemp(dir, entry.name, options)) {
      fs.rmSync(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}

// ------------------------------------------------------------------------------------------------ JSON text

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

// ------------------------------------------------------------------------------------------------- writing

/** Text is redacted (no key this process loaded reaches a file: base/redact.ts); bytes are written as they are. */
function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(redactedForWrite(data)) : data;
}

/** Writes every byte of `data` at the file's position, looping over short writes; a write of 0 bytes is a failure. */
async function writeAll(file: WritableFile, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset);
    if (bytesWritten <= 0) throw shortWrite(offset, data.length);
    offset += bytesWritten;
  }
}

function writeAllSync(io: SyncWriteIO, fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) {
    const written = io.writeSync(fd, data, offset, data.length - offset);
    if (written <= 0) throw shortWrite(offset, data.length);
    offset += written;
  }
}

function shortWrite(written: number, total: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`the file system accepted ${written} of ${total} bytes and then no more (short write)`), { code: 'ESHORTWRITE' });
}

/** Writes a file atomically (see the module comment). Throws WriteError; the previous file stays. */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: { io?: SyncWriteIO } = {}): void {
  const io = options.io ?? nodeSyncWriteIO;
  const tmp = tempPathFor(file);
  let created = false;
  try {
    io.mkdirSync(dirname(file), { recursive: true });
    const fd = io.openSync(tmp, 'wx');
    created = true;
    try {
      writeAllSync(io, fd, toBytes(data));
      io.fsyncSync(fd);
    } finally {
      io.closeSync(fd);
    }
    io.renameSync(tmp, file);
  } catch (e) {
    if (created) io.rmSync(tmp, { force: true });
    throw new WriteError(file, e);
  }
}

export function writeJsonAtomic(file: string, value: unknown, options: { io?: SyncWriteIO } = {}): void {
  writeFileAtomic(file, toStrictJson(value), options);
}

/** Async twin of writeFileAtomic, for the runner's hot path. */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const writer = await AtomicFileWriter.open(file, options);
  try {
    await writer.write(data);
  } catch (e) {
    await writer.abort();
    throw e;
  }
  await writer.commit();
}

export async function writeJsonAtomicAsync(file: string, value: unknown, options: AtomicWriteOptions = {}): Promise<void> {
  await writeFileAtomicAsync(file, toStrictJson(value), options);
}

/**
 * A file written in pieces (e.g. a large CSV) and put in place atomically by `commit`: until then the
 * previous file is untouched; `abort` (or any failed step) removes the temporary file. Every method throws
 * WriteError naming the target file.
 */
export class AtomicFileWriter {
  private done = false;

  private constructor(
    readonly file: string,
    private readonly tmp: string,
    private readonly handle: WritableFile,
    private readonly io: WriteIO,
  ) {}

  static async open(file: string, options: AtomicWriteOptions = {}): Promise<AtomicFileWriter> {
    const io = options.io ?? nodeWriteIO;
    const tmp = tempPathFor(file);
    try {
      if (!options.folderExists) await io.mkdir(dirname(file), { recursive: true });
      return new AtomicFileWriter(file, tmp, await io.open(tmp, 'wx'), io);
    } catch (e) {
      throw new WriteError(file, e);
    }
  }

  /** Appends `data`, every byte of it. */
  async write(data: string | Uint8Array): Promise<void> {
    try {
      await writeAll(this.handle, toBytes(data));
    } catch (e) {
      await this.abort();
      throw new WriteError(this.file, e);
    }
  }

  /** fsync, close, and rename over the target. */
  async commit(): Promise<void> {
    try {
      await this.handle.sync();
      this.done = true;
      await this.handle.close();
      await this.io.rename(this.tmp, this.file);
    } catch (e) {
      await this.abort();
      throw new WriteError(this.file, e);
    }
  }

  /** Closes and removes the temporary file; the target is left as it was. Safe to call twice. */
  async abort(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.handle.close().catch(() => undefined); // the write already failed; its error is the one to report
    }
    await this.io.rm(this.tmp, { force: true });
  }
}
