import { closeSync, openSync, renameSync, rmSync } from 'node:fs';
import { tempPathFor } from '../../base/atomic.js';
import { writeAllSync } from './write-all.js';

/**
 * A GGUF v3 file writer (the container llama.cpp reads): header, typed key/value metadata, tensor infos, then
 * each tensor's data aligned to `general.alignment` (32). Layout as in ggml's docs/gguf.md: little-endian;
 * strings are a u64 byte length plus UTF-8 bytes; `ne[0]` of a tensor is its fastest-moving dimension (for a
 * linear weight stored as torch's [out, in], ne = [in, out]).
 */

/** ggml tensor types this writer produces (ids from ggml.h). */
export const GGML_TYPES = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 } as const;
export type GgmlTypeName = keyof typeof GGML_TYPES;

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

// GGUF metadata value types (gguf.h).
const T = { U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9 } as const;

export type GgufValue =
  | { kind: 'u32'; value: number }
  | { kind: 'i32'; value: number }
  | { kind: 'f32'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'i32s'; value: ArrayLike<number> }
  | { kind: 'f32s'; value: ArrayLike<number> };

/** Builders for metadata values: `gguf.u32(16)`, `gguf.string('llama')`, … */
export const gguf = {
  u32: (value: number): GgufValue => ({ kind: 'u32', value }),
  i32: (value: number): GgufValue => ({ kind: 'i32', value }),
  f32: (value: number): GgufValue => ({ kind: 'f32', value }),
  bool: (value: boolean): GgufValue => ({ kind: 'bool', value }),
  string: (value: string): GgufValue => ({ kind: 'string', value }),
  strings: (value: readonly string[]): GgufValue => ({ kind: 'strings', value }),
  i32s: (value: ArrayLike<number>): GgufValue => ({ kind: 'i32s', value }),
  f32s: (value: ArrayLike<number>): GgufValue => ({ kind: 'f32s', value }),
};

export interface GgufTensor {
  name: string;
  /** Dimensions, fastest first (ggml's `ne`). */
  ne: number[];
  type: GgmlTypeName;
  /** The tensor's bytes in `type`; called once, while the file is written (so large models need not be held twice). */
  data: () => Uint8Array;
  /** Size of `data()` in bytes (needed for the offsets before any data is produced). */
  byteLength: number;
}

/** Bytes of a tensor of `count` elements in `type` (block types need `count` to be a multiple of 32). */
export function ggmlByteLength(type: GgmlTypeName, count: number): number {
  switch (type) {
    case 'F32':
      return count * 4;
    case 'F16':
      return count * 2;
    case 'Q8_0':
      return (count / 32) * 34;
    case 'Q4_0':
      return (count / 32) * 18;
  }
}

class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;
  private push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u8(v: number): void {
    this.push(Buffer.from([v]));
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  zeros(n: number): void {
    if (n > 0) this.push(Buffer.alloc(n));
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function writeValue(w: ByteWriter, v: GgufValue): void {
  const array = (type: number, n: number, each: (i: number) => void) => {
    w.u32(T.ARRAY);
    w.u32(type);
    w.u64(n);
    for (let i = 0; i < n; i++) each(i);
  };
  switch (v.kind) {
    case 'u32':
      w.u32(T.U32);
      return w.u32(v.value);
    case 'i32':
      w.u32(T.I32);
      return w.i32(v.value);
    case 'f32':
      w.u32(T.F32);
      return w.f32(v.value);
    case 'bool':
      w.u32(T.BOOL);
      return w.u8(v.value ? 1 : 0);
    case 'string':
      w.u32(T.STRING);
      return w.string(v.value);
    case 'strings':
      return array(T.STRING, v.value.length, (i) => w.string(v.value[i] as string));
    case 'i32s':
      return array(T.I32, v.value.length, (i) => w.i32(v.value[i] as number));
    case 'f32s':
      return array(T.F32, v.value.length, (i) => w.f32(v.value[i] as number));
  }
}

const pad = (n: number) => (GGUF_ALIGNMENT - (n % GGUF_ALIGNMENT)) % GGUF_ALIGNMENT;

/**
 * Writes a GGUF v3 file at `path` (through a temporary file renamed when complete, so a reader never sees half
 * a model). Metadata is written in the given order. Throws when a tensor's `data()` does not have `byteLength`
 * bytes. Returns the file size in bytes.
 */
export function writeGguf(path: string, metadata: ReadonlyArray<readonly [string, GgufValue]>, tensors: readonly GgufTensor[]): number {
  const head = new ByteWriter();
  head.u32(GGUF_MAGIC);
  head.u32(GGUF_VERSION);
  head.u64(tensors.length);
  head.u64(metadata.length);
  for (const [key, value] of metadata) {
    head.string(key);
    writeValue(head, value);
  }
  let offset = 0;
  for (const t of tensors) {
    head.string(t.name);
    head.u32(t.ne.length);
    for (const d of t.ne) head.u64(d);
    head.u32(GGML_TYPES[t.type]);
    head.u64(offset);
    offset += t.byteLength + pad(t.byteLength);
  }
  head.zeros(pad(head.length));
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'w');
  let open = true;
  try {
    writeAllSync(fd, head.bytes());
    for (const t of tensors) {
      const data = t.data();
      if (data.byteLength !== t.byteLength) throw new Error(`${path}: tensor ${t.name} has ${data.byteLength} bytes, expected ${t.byteLength}`);
      writeAllSync(fd, data);
      if (pad(data.byteLength) > 0) writeAllSync(fd, new Uint8Array(pad(data.byteLength)));
    }
    open = false;
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    if (open) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  return head.length + offset;
}
