/**
 * A minimal protobuf writer: just what the ONNX subset in `onnx-model.ts` needs (varints, length-delimited
 * fields, fixed32 floats). Large byte payloads are kept as separate chunks, never copied into a number[],
 * so encoding a model with embedded weights stays linear in its size.
 */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private cur: number[] = [];
  private size = 0;

  /** Unsigned or two's-complement 64-bit varint (negative int64 values take 10 bytes). */
  varint(value: number | bigint): this {
    let x = BigInt.asUintN(64, BigInt(value));
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) b |= 0x80;
      this.cur.push(b);
      this.size += 1;
    } while (x !== 0n);
    return this;
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    return this.varint(value);
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.cur.push(x);
    this.size += 4;
    return this;
  }

  bytes(field: number, payload: Uint8Array): this {
    this.tag(field, 2);
    this.varint(payload.length);
    this.flush();
    this.parts.push(payload);
    this.size += payload.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message, written by `build` into its own writer. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    this.tag(field, 2);
    this.varint(inner.size);
    this.flush();
    for (const p of inner.chunks()) this.parts.push(p);
    this.size += inner.size;
    return this;
  }

  private flush(): void {
    if (this.cur.length > 0) {
      this.parts.push(Uint8Array.from(this.cur));
      this.cur = [];
    }
  }

  /** The encoded message as a list of chunks (concatenate or write them in order). */
  chunks(): Uint8Array[] {
    this.flush();
    return this.parts;
  }

  get byteLength(): number {
    return this.size;
  }
}
