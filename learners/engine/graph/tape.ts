import { type AttrValue, DataType, type DataTypeId, MS_DOMAIN, OnnxGraph, attr } from '../../../backends/onnx/onnx-model.js';

/** Floating-point precision of a generated graph: float32 for training, float64 for gradient checks. */
export type Precision = 'float32' | 'float64';

/** A value of the graph: its ONNX name, static shape, and whether a gradient flows back into it. */
export interface Val {
  readonly name: string;
  readonly shape: readonly number[];
  /** True when the value depends on a trainable tensor (so the backward pass must reach it). */
  readonly grad: boolean;
}

/**
 * The gradient of one input: a name, several terms whose sum it is (summed by the one Sum node that joins every
 * contribution to that input, so a rule need not emit its own Add), or null for none.
 */
export type InputGrad = string | readonly string[] | null;

/** The backward rule of one recorded op: given the name of dL/d(output), the gradient per input. */
export type BackwardRule = (gy: string) => InputGrad[];

/** The backward rule of an op with several outputs: dL/d(output) per output (null: that output got none). */
export type MultiBackwardRule = (gys: (string | null)[]) => InputGrad[];

interface TapeEntry {
  outs: Val[];
  ins: Val[];
  back: MultiBackwardRule;
}

/**
 * An ONNX graph under construction plus a gradient tape: ops whose inputs carry a gradient are recorded
 * with their backward rule as the forward is emitted; `backward` then emits the reverse pass as ONNX nodes.
 * All float values (inputs, constants) use the graph's precision, so the same builder code yields the
 * float32 training graph and the float64 gradient-check graph.
 */
export class GradTape {
  readonly graph = new OnnxGraph();
  readonly elemType: DataTypeId;
  /**
   * Whether layers may use onnxruntime's fused `com.microsoft` kernels (RMSNorm, rotary embedding), which its
   * CPU provider has for float32 only: true for float32 unless turned off, always false for float64.
   */
  readonly fused: boolean;
  private readonly tape: TapeEntry[] = [];
  private readonly grads = new Map<string, string[]>();
  private counter = 0;

  constructor(
    readonly precision: Precision,
    options: { fusedOps?: boolean } = {},
  ) {
    this.elemType = precision === 'float64' ? DataType.DOUBLE : DataType.FLOAT;
    this.fused = precision === 'float32' && options.fusedOps !== false;
  }

  /** Emits one node and returns its output name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.graph.op(opType, inputs, attrs, output);
  }

  /** Emits one node with several outputs (`''` skips an optional one), in the ONNX domain or onnxruntime's (`ms`). */
  opMany(opType: string, inputs: string[], outputs: number | string[], attrs: Record<string, AttrValue> = {}, ms = false): string[] {
    return this.graph.opMany(opType, inputs, outputs, attrs, ms ? MS_DOMAIN : '');
  }

  /** A float graph input (a trainable tensor when `trainable`). */
  input(name: string, shape: readonly number[], trainable = false): Val {
    this.graph.input(name, this.elemType, [...shape]);
    return { name, shape, grad: trainable };
  }

  /** An int64 graph input. */
  inputInt64(name: string, shape: readonly number[]): string {
    return this.graph.input(name, DataType.INT64, [...shape]);
  }

  /** A bool graph input. */
  inputBool(name: string, shape: readonly number[]): string {
    return this.graph.input(name, DataType.BOOL, [...shape]);
  }

  /** A float constant in the graph's precision (weights, when not fed as inputs). */
  constant(values: ArrayLike<number>, dims: readonly number[], name?: string): string {
    const n = values.length;
    const bytes =
      this.precision === 'float64'
        ? new Uint8Array(Float64Array.from(values as ArrayLike<number>).buffer)
        : values instanceof Float32Array
          ? new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
          : new Uint8Array(Float32Array.from(values).buffer);
    if (bytes.length !== n * (this.precision === 'float64' ? 8 : 4)) throw new Error('constant: bad byte length');
    return this.graph.initializer({ name: name ?? `const_${this.counter++}`, dims: [...dims], dataType: this.elemType, bytes });
  }

  scalar(value: number): string {
    return this.constant([value], []);
  }

  int64(values: number[], dims: number[] = [values.length]): string {
    return this.graph.constInt64(values, dims);
  }

  /** A value that carries no gradient (inputs fed by the host, or results of frozen computations). */
  plain(name: string, shape: readonly number[]): Val {
    return { name, shape, grad: false };
  }

  /** Records `out = f(ins)` with its backward rule when any input carries a gradient; returns the output value. */
  record(name: string, shape: readonly number[], ins: Val[], back: BackwardRule): Val {
    const [out] = this.recordMany([{ name, shape }], ins, (gys) => back(gys[0] as string));
    return out as Val;
  }

  /**
   * Records an op with several outputs (computed together, such as projections sharing an input) and one
   * backward rule that receives every output's gradient at once; outputs without one get null, and the rule
   * is skipped when none has one.
   */
  recordMany(outs: readonly { name: string; shape: readonly number[] }[], ins: Val[], back: MultiBackwardRule): Val[] {
    const grad = ins.some((v) => v.grad);
    const vals = outs.map((o) => ({ name: o.name, shape: o.shape, grad }));
    if (grad) this.tape.push({ outs: vals, ins, back });
    return vals;
  }

  /** Adds a contribution to dL/d(value). */
  seed(value: Val, gradName: string): void {
    const list = this.grads.get(value.name) ?? [];
    list.push(gradName);
    this.grads.set(value.name, list);
  }

  /** Emits the reverse pass over the tape, newest entry first; contributions to one value are summed. */
  backward(): void {
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const e = this.tape[i] as TapeEntry;
      const gys = e.outs.map((o) => this.gradOf(o) ?? null);
      if (gys.every((g) => g === null)) continue;
      const gins = e.back(gys);
      e.ins.forEach((v, k) => {
        const g = gins[k];
        if (!v.grad || g === null || g === undefined) return;
        for (const term of typeof g === 'string' ? [g] : g) this.seed(v, term);
      });
    }
  }

  /** The name of dL/d(value) after `backward` (a Sum node when several contributions), or undefined. */
  gradOf(value: Val): string | undefined {
    const list = this.grads.get(value.name);
    if (!list || list.length === 0) return undefined;
    if (list.length === 1) return list[0];
    const sum = this.op('Sum', list);
    this.grads.set(value.name, [sum]);
    return sum;
  }

  /** Declares a float graph output. */
  output(name: string, dims: number[]): void {
    this.graph.output(name, this.elemType, dims);
  }

  // Small emit helpers used by the layer rules.
  /** Casts to the graph's float type (bool masks to 0/1). */
  castFloat(x: string): string {
    return this.op('Cast', [x], { to: attr.int(this.elemType) });
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }
  reshape(x: string, dims: number[]): string {
    return this.op('Reshape', [x, this.int64(dims)]);
  }
  transpose(x: string, perm: number[]): string {
    return this.op('Transpose', [x], { perm: attr.ints(perm) });
  }
  /** Sum over `axes` (opset 13+: axes as an input). */
  reduceSum(x: string, axes: number[], keepdims: boolean): string {
    return this.op('ReduceSum', [x, this.int64(axes)], { keepdims: attr.int(keepdims ? 1 : 0) });
  }
  /** Mean over `axes` (opset 17: axes still an attribute). */
  reduceMean(x: string, axes: number[], keepdims: boolean): string {
    return this.op('ReduceMean', [x], { axes: attr.ints(axes), keepdims: attr.int(keepdims ? 1 : 0) });
  }
  /** A tensor of zeros of a static shape, without storing it in the file. */
  zeros(dims: readonly number[]): string {
    return this.op('Expand', [this.scalar(0), this.int64([...dims])]);
  }
  /** Gemm with attributes (alpha, transA, transB). */
  gemm(a: string, b: string, opts: { transA?: boolean; transB?: boolean; alpha?: number; c?: string } = {}): string {
    const attrs: Record<string, AttrValue> = {};
    if (opts.transA) attrs.transA = attr.int(1);
    if (opts.transB) attrs.transB = attr.int(1);
    if (opts.alpha !== undefined && opts.alpha !== 1) attrs.alpha = attr.float(opts.alpha);
    return this.op('Gemm', opts.c === undefined ? [a, b] : [a, b, opts.c], attrs);
  }
}
