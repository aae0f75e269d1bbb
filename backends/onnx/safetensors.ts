import { closeSync, openSync, readSync } from 'node:fs';
import { writeAllSync } from './write-all.js';
import { z } from 'zod';
import type { F32Tensor } from './llama-config.js';
import { floatBytes } from './onnx-model.js';

const EntrySchema = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});
/** The JSON header of a .safetensors file: tensor entries plus an optional `__metadata__` of strings. */
const HeaderSchema = z.record(z.string(), z.unknown());

export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** An open .safetensors file: its entries, read lazily one tensor at a time (files can be many GB). */
export class SafetensorsFile {
  private constructor(
    readonly path: string,
    readonly entries: ReadonlyMap<string, SafetensorsEntry>,
    readonly metadata: Readonly<Record<string, string>>,
    private readonly dataStart: number,
  ) {}

  /** Parses the header. Throws an Error naming the file when it is not a safetensors file. */
  static open(path: string): SafetensorsFile {
    const fd = openSync(path, 'r');
    try {
      const lenBuf = Buffer.alloc(8);
      if (readSync(fd, lenBuf, 0, 8, 0) !== 8) throw new Error(`${path}: too short for a safetensors file`);
      const headerLen = Number(lenBuf.readBigUInt64LE(0));
      if (headerLen > 100_000_000) throw new Error(`${path}: header length ${headerLen} is not plausible`);
      const headerBuf = Buffer.alloc(headerLen);
      readSync(fd, headerBuf, 0, headerLen, 8);
      const header = HeaderSchema.parse(JSON.parse(headerBuf.toString('utf8')) as unknown);
      const entries = new Map<string, SafetensorsEntry>();
      let metadata: Record<string, string> = {};
      for (const [name, value] of Object.entries(header)) {
        if (name === '__metadata__') {
          metadata = z.record(z.string(), z.string()).parse(value);
          continue;
        }
        const e = EntrySchema.parse(value);
        entries.set(name, { dtype: e.dtype, shape: e.shape, begin: e.data_offsets[0], end: e.data_offsets[1] });
      }
      return new SafetensorsFile(path, entries, metadata, 8 + headerLen);
    } finally {
      closeSync(fd);
    }
  }

  /** Reads one tensor as float32 (F32, F16 and BF16 are converted). Throws for other dtypes or a missing name. */
  readF32(name: string): F32Tensor {
    const e = this.entries.get(name);
    if (!e) throw new Error(`${this.path}: no tensor named ${name}`);
    const bytes = Buffer.alloc(e.end - e.begin);
    const fd = openSync(this.path, 'r');
    try {
      let done = 0;
      while (done < bytes.length) {
        const n = readSync(fd, bytes, done, bytes.length - done, this.dataStart + e.begin + done);
        if (n <= 0) throw new Error(`${this.path}: truncated data for ${name}`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return { shape: e.shape, data: toFloat32(bytes, e.dtype, `${this.path}: ${name}`) };
  }
}

function toFloat32(bytes: Buffer, dtype: string, where: string): Float32Array {
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  if (dtype === 'F32') return new Float32Array(aligned.buffer);
  const u16 = new Uint16Array(aligned.buffer);
  const out = new Float32Array(u16.length);
  if (dtype === 'BF16') {
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < u16.length; i++) u32[i] = (u16[i] as number) << 16;
    return out;
  }
  if (dtype === 'F16') {
    for (let i = 0; i < u16.length; i++) out[i] = halfToFloat(u16[i] as number);
    return out;
  }
  throw new Error(`${where}: dtype ${dtype} is not supported (F32, F16, BF16 are)`);
}

/** One IEEE half (bit pattern) as a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * Math.pow(2, -14) * (frac / 1024);
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * Math.pow(2, exp - 15) * (1 + frac / 1024);
}

/** Converts float32 values to F16 or BF16 bit patterns (round to nearest even); used to write test checkpoints. */
export function encodeHalf(data: Float32Array, dtype: 'F16' | 'BF16'): Uint16Array {
  const out = new Uint16Array(data.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < data.length; i++) {
    f[0] = data[i] as number;
    const bits = u[0] as number;
    if (dtype === 'BF16') {
      out[i] = ((bits + 0x7fff + ((bits >> 16) & 1)) >>> 16) & 0xffff;
      continue;
    }
    const sign = (bits >>> 16) & 0x8000;
    const v = Math.abs(data[i] as number);
    if (v >= 65520) out[i] = sign | 0x7c00;
    else if (v < 6.103515625e-5) out[i] = sign | Math.round(v / Math.pow(2, -24));
    else {
      const e = Math.floor(Math.log2(v));
      let m = Math.round((v / Math.pow(2, e) - 1) * 1024);
      let ee = e + 15;
      if (m === 1024) {
        m = 0;
        ee += 1;
      }
      out[i] = sign | (ee << 10) | m;
    }
  }
  return out;
}

export interface TensorToWrite {
  dtype: 'F32' | 'F16' | 'BF16';
  shape: number[];
  /** Raw little-endian bytes of the tensor in `dtype`. */
  bytes: Uint8Array;
}

/** Writes a .safetensors file (tensors in the given order, header padded to 8 bytes). */
export function writeSafetensors(path: string, tensors: ReadonlyMap<string, TensorToWrite>, metadata: Record<string, string> = {}): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.length] };
    offset += t.bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerBytes.length));
  const fd = openSync(path, 'w');
  try {
    writeAllSync(fd, len);
    writeAllSync(fd, headerBytes);
    for (const t of tensors.values()) writeAllSync(fd, t.bytes);
  } finally {
    closeSync(fd);
  }
}

/** Convenience: float32 tensors to write as F32. */
export function f32Entry(t: F32Tensor): TensorToWrite {
  return { dtype: 'F32', shape: t.shape, bytes: floatBytes(t.data) };
}

/** Rewrites a .safetensors file with every tensor in `dtype` (F16 or BF16, as checkpoints are published), keeping its metadata. */
export function convertSafetensors(path: string, dtype: 'F16' | 'BF16'): void {
  const f = SafetensorsFile.open(path);
  const tensors = new Map<string, TensorToWrite>();
  for (const name of f.entries.keys()) {
    const t = f.readF32(name);
    tensors.set(name, { dtype, shape: t.shape, bytes: new Uint8Array(encodeHalf(t.data, dtype).buffer) });
  }
  writeSafetensors(path, tensors, { ...f.metadata });
}
