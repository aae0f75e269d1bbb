import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { thrownMessage } from '../test/helpers/errors.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import {
  AtomicFileWriter,
  FOREIGN_TEMP_MAX_AGE_MS,
  makeFolder,
  makeFolderSync,
  nodeSyncWriteIO,
  nodeWriteIO,
  removeDeadTempFiles,
  type SyncWriteIO,
  tempFileWriter,
  tempPathFor,
  THIS_HOST,
  type WritableFile,
  type WriteIO,
  toStrictJson,
  writeFileAtomicAsync,
  writeJsonAtomic,
  writeJsonAtomicAsync,
} from './atomic.js';
import { WriteError } from './errors.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

describe('atomic JSON writes', () => {
  it('writes strict JSON and refuses NaN and Infinity instead of writing null or a NaN token', () => {
    expect(toStrictJson({ a: null, b: [1.5] })).toBe('{\n  "a": null,\n  "b": [\n    1.5\n  ]\n}\n');
    expect(thrownMessage(() => toStrictJson({ score: Number.NaN }))).toBe('refusing to write the non-finite number NaN at score as JSON; use null');
    expect(thrownMessage(() => toStrictJson([Number.NEGATIVE_INFINITY]))).toBe('refusing to write the non-finite number -Infinity at [0] as JSON; use null');
  });

  it('replaces the file whole, creates folders, and leaves no temporary file', async () => {
    const dir = tmp.make();
    const file = join(dir, 'a', 'b', 'x.json');
    writeJsonAtomic(file, { v: 1 });
    await writeJsonAtomicAsync(file, { v: 2 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ v: 2 });
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['x.json']);
  });

  it('a refused value leaves the previous file as it was', async () => {
    const file = join(tmp.make(), 'x.json');
    writeFileSync(file, '{"v": 1}');
    expect(() => writeJsonAtomic(file, { v: Number.NaN })).toThrow(TypeError);
    await expect(writeJsonAtomicAsync(file, { v: Number.NaN })).rejects.toThrow(TypeError);
    expect(readFileSync(file, 'utf8')).toBe('{"v": 1}');
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('a failed async write removes its temporary file', async () => {
    const dir = tmp.make();
    // A non-empty folder where the file should go: the rename fails after the temporary file was written.
    mkdirSync(join(dir, 'x.json', 'inside'), { recursive: true });
    await expect(writeFileAtomicAsync(join(dir, 'x.json'), 'text')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['x.json']);
  });
});

/** node:fs/promises, except that each write accepts at most `chunk` bytes and, past `failAfter` bytes, fails with `code`. */
function faultyIO(opts: { chunk?: number; failAfter?: number; code?: string; zeroAfter?: number }): WriteIO & { writes: number } {
  let total = 0;
  const io = {
    writes: 0,
    mkdir: nodeWriteIO.mkdir,
    rename: nodeWriteIO.rename,
    rm: nodeWriteIO.rm,
    async open(path: string, flags: 'wx'): Promise<WritableFile> {
      const handle = await nodeWriteIO.open(path, flags);
      return {
        write: async (buffer, offset, length) => {
          io.writes += 1;
          if (opts.failAfter !== undefined && total >= opts.failAfter) throw Object.assign(new Error(`${opts.code}: injected`), { code: opts.code });
          if (opts.zeroAfter !== undefined && total >= opts.zeroAfter) return { bytesWritten: 0 };
          const n = Math.min(length, opts.chunk ?? length, opts.failAfter !== undefined ? Math.max(1, opts.failAfter - total) : length);
          const r = await handle.write(buffer, offset, n);
          total += r.bytesWritten;
          return r;
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
  return io;
}

describe('every byte is written before the rename', () => {
  it('loops over short writes until the whole file is written', async () => {
    const file = join(tmp.make(), 'x.json');
    const io = faultyIO({ chunk: 3 });
    const value = { text: 'a'.repeat(100), list: [1, 2, 3] };
    await writeJsonAtomicAsync(file, value, { io });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(value);
    expect(io.writes).toBeGreaterThan(30);
  });

  it('a disk that fills up mid-file (ENOSPC) leaves the previous file and no temporary file, and says so in one line', async () => {
    const dir = tmp.make();
    const file = join(dir, 'raw.csv');
    writeFileSync(file, 'the good one\n');
    const e = await writeFileAtomicAsync(file, 'x'.repeat(10_000), { io: faultyIO({ chunk: 1000, failAfter: 4000, code: 'ENOSPC' }) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WriteError);
    expect((e as WriteError).message).toBe(`cannot write ${file}: no space left on device (ENOSPC); the previous file (if any) is unchanged`);
    expect(readFileSync(file, 'utf8')).toBe('the good one\n');
    expect(readdirSync(dir)).toEqual(['raw.csv']);
  });

  it('a write that stops accepting bytes is a failure, not an endless loop', async () => {
    const dir = tmp.make();
    const file = join(dir, 'x.txt');
    const e = await writeFileAtomicAsync(file, 'y'.repeat(50), { io: faultyIO({ chunk: 10, zeroAfter: 20 }) }).catch((x: unknown) => x);
    expect((e as Error).message).toBe(`cannot write ${file}: the file system accepted 20 of 50 bytes and then no more (short write); the previous file (if any) is unchanged`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the synchronous writer loops and fails the same way', () => {
    const dir = tmp.make();
    const file = join(dir, 'model_registry.json');
    writeFileSync(file, '[]');
    let total = 0;
    const io: SyncWriteIO = {
      ...nodeSyncWriteIO,
      mkdirSync: (p, o) => mkdirSync(p, o),
      writeSync: (fd, buffer, offset, length) => {
        if (total >= 8) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        const n = writeSync(fd, buffer, offset, Math.min(length, 4));
        total += n;
        return n;
      },
    };
    expect(thrownMessage(() => writeJsonAtomic(file, [{ model_name: 'a-long-name' }], { io }))).toBe(
      `cannot write ${file}: permission denied (EACCES); the previous file (if any) is unchanged`,
    );
    expect(readFileSync(file, 'utf8')).toBe('[]');
    expect(readdirSync(dir)).toEqual(['model_registry.json']);
    total = -1_000_000;
    writeJsonAtomic(file, [{ model_name: 'a-long-name' }], { io });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([{ model_name: 'a-long-name' }]);
  });

  it('a streamed file appears only on commit; abort leaves the previous one', async () => {
    const dir = tmp.make();
    const file = join(dir, 'raw.csv');
    writeFileSync(file, 'old\n');
    const w = await AtomicFileWriter.open(file);
    await w.write('a,b\n');
    await w.write(Buffer.from('1,2\n'));
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    await w.commit();
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
    const aborted = await AtomicFileWriter.open(file);
    await aborted.write('half');
    await aborted.abort();
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(dir)).toEqual(['raw.csv']);
  });
});

describe('temporary files name their writer; only dead writers’ files are removed', () => {
  it('names host and pid, and reads old names (no host) as this machine', () => {
    const name = basename(tempPathFor('/r/scores.json'));
    expect(name).toMatch(new RegExp(`^\\.scores\\.json~${THIS_HOST.replace(/[.]/g, '\\.')}~${process.pid}~\\d+\\.tmp$`));
    expect(tempFileWriter(name)).toEqual({ host: THIS_HOST, pid: process.pid });
    expect(tempFileWriter('.a~b.json~node-7.example.org~42~3.tmp')).toEqual({ host: 'node-7.example.org', pid: 42 });
    expect(tempFileWriter('.scores.json.999.1.tmp')).toEqual({ host: THIS_HOST, pid: 999 });
    expect(tempFileWriter('notes.tmp')).toBeUndefined();
  });

  it('removes a dead local writer’s and an old foreign writer’s files, keeps live ones, at every level with recursive', () => {
    const root = tmp.make();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const sub = join(root, 'm', 'g', 'e', 'instance_00000');
    mkdirSync(sub, { recursive: true });
    const files = {
      deadLocal: join(root, `.run.json~${THIS_HOST}~${deadPid}~1.tmp`),
      liveLocal: join(root, `.results.csv~${THIS_HOST}~${process.pid}~2.tmp`),
      deadDeep: join(sub, `.transcript.html~${THIS_HOST}~${deadPid}~3.tmp`),
      oldForeign: join(sub, '.scores.json~other-host~12~4.tmp'),
      newForeign: join(sub, '.interactions.json~other-host~12~5.tmp'),
      notOurs: join(sub, 'notes.tmp'),
    };
    for (const f of Object.values(files)) writeFileSync(f, 'x');
    const hourAgo = (Date.now() - FOREIGN_TEMP_MAX_AGE_MS - 60_000) / 1000;
    utimesSync(files.oldForeign, hourAgo, hourAgo);
    expect(removeDeadTempFiles(root)).toEqual([files.deadLocal]);
    expect(removeDeadTempFiles(root, { recursive: true }).sort()).toEqual([files.deadDeep, files.oldForeign].sort());
    expect(Object.values(files).filter((f) => existsSync(f)).sort()).toEqual([files.liveLocal, files.newForeign, files.notOurs].sort());
    expect(removeDeadTempFiles(join(root, 'absent'))).toEqual([]);
  });
});

describe('making folders', () => {
  // Node's recursive mkdir reports ENOENT when a folder cannot be made on a read-only file system (EROFS), which a
  // test cannot mount: this mkdir fails as Node's does there.
  const readOnlyMkdir = (path: string, options?: { recursive?: boolean }): never => {
    const code = options?.recursive ? 'ENOENT' : 'EROFS';
    throw Object.assign(new Error(`${code}: mkdir '${path}'`), { code, syscall: 'mkdir', path });
  };

  it('report the real cause where Node says ENOENT (a read-only file system)', async () => {
    const root = tmp.make();
    const target = join(root, 'results', '.locks', '.workers');
    await expect(makeFolder(target, async (p, o) => readOnlyMkdir(p, o))).rejects.toMatchObject({ code: 'EROFS', path: join(root, 'results') });
    expect(() => makeFolderSync(target, readOnlyMkdir)).toThrow(expect.objectContaining({ code: 'EROFS', path: join(root, 'results') }));
  });

  it('make every missing folder, and leave existing ones alone', async () => {
    const root = tmp.make();
    await makeFolder(join(root, 'a', 'b', 'c'));
    await makeFolder(join(root, 'a', 'b', 'c'));
    makeFolderSync(join(root, 'a', 'd'));
    expect(readdirSync(join(root, 'a')).sort()).toEqual(['b', 'd']);
  });
});
