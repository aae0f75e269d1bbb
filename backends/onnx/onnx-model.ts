import { closeSync, mkdirSync, openSync } from 'node:fs';
import { writeAllSync } from './write-all.js';
import { basename, dirname } from 'node:path';
import { ProtoWriter } from './protobuf.js';

/** ONNX TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

export type AttrValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: InitializerDef };

/** Node attribute constructors: `attr.int(0)`, `attr.float(1e-5)`, `attr.ints([0, 2, 1, 3])`, `attr.string('add')`. */
export const attr = {
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  ints: (value: number[]): AttrValue => ({ kind: 'ints', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
};

interface NodeDef {
  opType: string;
  /** Operator domain: '' (ONNX) or `com.microsoft` (onnxruntime's contrib ops). */
  domain: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs: Record<string, AttrValue>;
}

export interface InitializerDef {
  name: string;
  dims: number[];
  dataType: DataTypeId;
  /** Little-endian raw bytes. */
  bytes: Uint8Array;
}

/** A dimension: a fixed size or a symbolic name (`batch_size`, `past_sequence_length`, …). */
export type Dim = number | string;

interface ValueInfo {
  name: string;
  elemType: DataTypeId;
  dims: Dim[];
}

/** A little-endian byte view of float32 data (no copy). */
export function floatBytes(data: Float32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The domain of onnxruntime's contrib operators (version 1), which the CPU provider implements beside the ONNX ones. */
export const MS_DOMAIN = 'com.microsoft';

/**
 * Builds one ONNX graph (default domain, opset 17; onnxruntime's `com.microsoft` ops through `opMany`) node by
 * node; names are unique by construction.
 */
export class OnnxGraph {
  private readonly nodes: NodeDef[] = [];
  private readonly initializers: InitializerDef[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private counter = 0;

  /** Adds a node with one output and returns the output's name (or `output` when given). */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    const id = this.counter++;
    const out = output ?? `${opType.toLowerCase()}_${id}`;
    this.nodes.push({ opType, domain: '', inputs, outputs: [out], name: `${opType}_${id}`, attrs });
    return out;
  }

  /**
   * Adds a node with `outputs` outputs (a count, or their names; '' leaves an optional output out) in `domain`
   * ('' for ONNX, `MS_DOMAIN` for onnxruntime's contrib ops) and returns the output names.
   */
  opMany(opType: string, inputs: string[], outputs: number | string[], attrs: Record<string, AttrValue> = {}, domain = ''): string[] {
    const id = this.counter++;
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, k) => `${opType.toLowerCase()}_${id}_${k}`) : outputs;
    this.nodes.push({ opType, domain, inputs, outputs: outs, name: `${opType}_${id}`, attrs });
    return outs;
  }

  /** Adds a constant tensor (weights, shapes) and returns its name. */
  initializer(def: InitializerDef): string {
    this.initializers.push(def);
    return def.name;
  }

  weight(name: string, dims: number[], data: Float32Array): string {
    return this.initializer({ name, dims, dataType: DataType.FLOAT, bytes: floatBytes(data) });
  }

  constInt64(values: number[], dims: number[] = [values.length]): string {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    return this.initializer({ name: `const_i64_${this.counter++}`, dims, dataType: DataType.INT64, bytes });
  }

  constFloat(values: number[], dims: number[] = [values.length]): string {
    return this.weight(`const_f32_${this.counter++}`, dims, Float32Array.from(values));
  }

  /** Declares a graph input; symbolic dims become free dimensions (transformers.js reads their names). */
  input(name: string, elemType: DataTypeId, dims: Dim[]): string {
    this.inputs.push({ name, elemType, dims });
    return name;
  }

  output(name: string, elemType: DataTypeId, dims: Dim[]): void {
    this.outputs.push({ name, elemType, dims });
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /**
   * Writes the model to `onnxPath`. With `externalData`, initializers of at least 1 KiB go to
   * `<file>_data`, `<file>_data_1`, … (the chunk names transformers.js expects), each chunk at most
   * `chunkBytes`, offsets 64-byte aligned. Returns the number of data chunks written (0 when embedded).
   */
  write(onnxPath: string, options: { externalData: boolean; chunkBytes?: number }): { dataChunks: number } {
    mkdirSync(dirname(onnxPath), { recursive: true });
    const external = new Map<string, { location: string; offset: number; length: number }>();
    let chunks = 0;
    if (options.externalData) {
      const maxBytes = options.chunkBytes ?? 2 ** 31 - 2 ** 20;
      let fd = -1;
      let offset = 0;
      let location = '';
      for (const init of this.initializers) {
        if (init.bytes.length < 1024) continue;
        if (fd < 0 || (offset > 0 && offset + init.bytes.length > maxBytes)) {
          if (fd >= 0) closeSync(fd);
          location = `${basename(onnxPath)}_data${chunks === 0 ? '' : `_${chunks}`}`;
          fd = openSync(`${dirname(onnxPath)}/${location}`, 'w');
          chunks += 1;
          offset = 0;
        }
        writeAllSync(fd, init.bytes, offset);
        external.set(init.name, { location, offset, length: init.bytes.length });
        offset = Math.ceil((offset + init.bytes.length) / 64) * 64;
      }
      if (fd >= 0) closeSync(fd);
    }
    const model = this.encode(external);
    const fd = openSync(onnxPath, 'w');
    try {
      for (const chunk of model.chunks()) writeAllSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    return { dataChunks: chunks };
  }

  /** The whole model (weights embedded) as one byte array, for `InferenceSession.create(bytes)`; protobuf caps it at 2 GiB. */
  toBytes(): Uint8Array {
    const chunks = this.encode(new Map()).chunks();
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }

  private encode(external: Map<string, { location: string; offset: number; length: number }>): ProtoWriter {
    const m = new ProtoWriter();
    m.int(1, 8); // ir_version 8
    m.string(2, 'clem-ts');
    m.message(8, (o) => o.string(1, '').int(2, 17));
    if (this.nodes.some((n) => n.domain === MS_DOMAIN)) m.message(8, (o) => o.string(1, MS_DOMAIN).int(2, 1));
    m.message(7, (g) => {
      for (const n of this.nodes) g.message(1, (w) => writeNode(w, n));
      g.string(2, 'main');
      for (const init of this.initializers) g.message(5, (w) => writeTensor(w, init, external.get(init.name)));
      for (const v of this.inputs) g.message(11, (w) => writeValueInfo(w, v));
      for (const v of this.outputs) g.message(12, (w) => writeValueInfo(w, v));
    });
    return m;
  }
}

function writeNode(w: ProtoWriter, n: NodeDef): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  if (n.domain !== '') w.string(7, n.domain);
  for (const [name, a] of Object.entries(n.attrs)) {
    w.message(5, (aw) => {
      aw.string(1, name);
      if (a.kind === 'float') aw.float(2, a.value).int(20, 1);
      else if (a.kind === 'int') aw.int(3, a.value).int(20, 2);
      else if (a.kind === 'string') aw.string(4, a.value).int(20, 3);
      else if (a.kind === 'ints') {
        for (const v of a.value) aw.int(8, v);
        aw.int(20, 7);
      } else {
        const t = a.value;
        aw.message(5, (tw) => writeTensor(tw, t, undefined)).int(20, 4);
      }
    });
  }
}

function writeTensor(w: ProtoWriter, t: InitializerDef, ext: { location: string; offset: number; length: number } | undefined): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  if (ext === undefined) {
    w.bytes(9, t.bytes);
    return;
  }
  const entry = (key: string, value: string) => w.message(13, (e) => e.string(1, key).string(2, value));
  entry('location', ext.location);
  entry('offset', String(ext.offset));
  entry('length', String(ext.length));
  w.int(14, 1); // data_location EXTERNAL
}

function writeValueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (tp) =>
    tp.message(1, (tt) => {
      tt.int(1, v.elemType);
      tt.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}
