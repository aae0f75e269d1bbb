import type { GgmlTypeName } from './gguf-file.js';
import { floatBytes } from './onnx-model.js';
import { encodeHalf, halfToFloat } from './safetensors.js';

/** Elements per block of the block-quantized types (Q8_0, Q4_0). */
export const QUANT_BLOCK = 32;

/**
 * Encodes float32 values as ggml `type`, following ggml's reference quantizers (ggml-quants.c,
 * `quantize_row_q8_0_ref` / `quantize_row_q4_0_ref`): per block of 32, Q8_0 stores an f16 scale amax/127 and 32
 * int8 values; Q4_0 stores an f16 scale max/-8 and 32 4-bit values (element j in the low nibble of byte j, element
 * j+16 in its high nibble). Block types need `data.length` to be a multiple of 32 (rows of 32·k); throws otherwise.
 */
export function encodeGgml(data: Float32Array, type: GgmlTypeName): Uint8Array {
  if (type === 'F32') return floatBytes(data);
  if (type === 'F16') return new Uint8Array(encodeHalf(data, 'F16').buffer);
  if (data.length % QUANT_BLOCK !== 0) throw new Error(`${type} needs a multiple of ${QUANT_BLOCK} values, got ${data.length}`);
  return type === 'Q8_0' ? quantizeQ8_0(data) : quantizeQ4_0(data);
}

function writeScale(out: DataView, at: number, d: number): void {
  out.setUint16(at, encodeHalf(Float32Array.of(d), 'F16')[0] as number, true);
}

function quantizeQ8_0(x: Float32Array): Uint8Array {
  const blocks = x.length / QUANT_BLOCK;
  const out = new Uint8Array(blocks * 34);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const base = b * QUANT_BLOCK;
    let amax = 0;
    for (let j = 0; j < QUANT_BLOCK; j++) amax = Math.max(amax, Math.abs(x[base + j] as number));
    const d = Math.fround(amax / 127);
    const id = d ? Math.fround(1 / d) : 0;
    writeScale(view, b * 34, d);
    for (let j = 0; j < QUANT_BLOCK; j++) view.setInt8(b * 34 + 2 + j, Math.round(Math.fround((x[base + j] as number) * id)));
  }
  return out;
}

function quantizeQ4_0(x: Float32Array): Uint8Array {
  const blocks = x.length / QUANT_BLOCK;
  const out = new Uint8Array(blocks * 18);
  const view = new DataView(out.buffer);
  const half = QUANT_BLOCK / 2;
  for (let b = 0; b < blocks; b++) {
    const base = b * QUANT_BLOCK;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QUANT_BLOCK; j++) {
      const v = x[base + j] as number;
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = Math.fround(max / -8);
    const id = d ? Math.fround(1 / d) : 0;
    writeScale(view, b * 18, d);
    // ggml truncates toward zero after adding 8.5 (a cast to int8), then caps at 15.
    const nibble = (v: number) => Math.min(15, Math.trunc(Math.fround(v * id) + 8.5));
    for (let j = 0; j < half; j++) out[b * 18 + 2 + j] = nibble(x[base + j] as number) | (nibble(x[base + half + j] as number) << 4);
  }
  return out;
}

/** Decodes ggml `type` bytes back to float32 (the inverse of {@link encodeGgml}, up to the quantization error). */
export function decodeGgml(bytes: Uint8Array, type: GgmlTypeName, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const half = (at: number) => halfToFloat(view.getUint16(at, true));
  if (type === 'F32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  else if (type === 'F16') for (let i = 0; i < count; i++) out[i] = half(i * 2);
  else if (type === 'Q8_0') {
    for (let b = 0; b < count / QUANT_BLOCK; b++) {
      const d = half(b * 34);
      for (let j = 0; j < QUANT_BLOCK; j++) out[b * QUANT_BLOCK + j] = d * view.getInt8(b * 34 + 2 + j);
    }
  } else {
    for (let b = 0; b < count / QUANT_BLOCK; b++) {
      const d = half(b * 18);
      for (let j = 0; j < QUANT_BLOCK / 2; j++) {
        const q = bytes[b * 18 + 2 + j] as number;
        out[b * QUANT_BLOCK + j] = d * ((q & 0x0f) - 8);
        out[b * QUANT_BLOCK + QUANT_BLOCK / 2 + j] = d * ((q >> 4) - 8);
      }
    }
  }
  return out;
}
