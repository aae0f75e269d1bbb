/**
 * Writes a random Llama-architecture model (ONNX + safetensors + tokenizer + configs) from TypeScript alone.
 * Usage: node dist/scripts/make-tiny-model.js [--out DIR] [--preset tiny|bench100m] [--seed N] [--external-data] [--gguf f32,q8_0,q4_0,f16]
 * The same options always give the same bytes.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type LlamaGgufType, TINY_LLAMA_PRESETS, type TinyLlamaPreset, writeTinyLlama } from '../backends/onnx/index.js';

const GGUF_TYPES: readonly LlamaGgufType[] = ['F32', 'F16', 'Q8_0', 'Q4_0'];

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      preset: { type: 'string', default: 'tiny' },
      seed: { type: 'string', default: '0' },
      'external-data': { type: 'boolean', default: false },
      gguf: { type: 'string', default: '' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: make-tiny-model [--out DIR] [--preset tiny|bench100m] [--seed N] [--external-data] [--gguf f32,q8_0,q4_0,f16]\n');
    return;
  }
  const preset = values.preset;
  if (!(preset in TINY_LLAMA_PRESETS)) {
    process.stderr.write(`unknown preset '${preset}'; use one of: ${Object.keys(TINY_LLAMA_PRESETS).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) {
    process.stderr.write(`--seed must be an integer, got '${values.seed}'\n`);
    process.exitCode = 2;
    return;
  }
  const gguf = values.gguf === '' ? [] : values.gguf.split(',').map((t) => t.trim().toUpperCase());
  const unknown = gguf.filter((t) => !GGUF_TYPES.includes(t as LlamaGgufType));
  if (unknown.length > 0) {
    process.stderr.write(`--gguf: unknown type ${unknown.join(', ')}; use f32, f16, q8_0 or q4_0\n`);
    process.exitCode = 2;
    return;
  }
  const out = resolve(values.out ?? `.tiny-models/${preset}`);
  const started = performance.now();
  const model = writeTinyLlama(out, { preset: preset as TinyLlamaPreset, seed, externalData: values['external-data'], gguf: gguf as LlamaGgufType[] });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`wrote ${preset} Llama (${(model.parameterCount / 1e6).toFixed(2)}M parameters) to ${out} in ${seconds} s\n${howToPlay(out, preset)}`);
}

/** What to type next: the model is random (its replies are noise), but it plays through the whole local path. */
function howToPlay(out: string, preset: string): string {
  const name = `tiny-${preset}`;
  return (
    'play with it (random weights: expect aborted episodes; it exercises the local backend end to end):\n' +
    `  npx clem-ts register model -n ${name} -v "backend=transformers,huggingface_id=${out}"\n` +
    `  npx clem-ts run -g hello -m ${name} --limit 2 -l 16\n` +
    `or without registering: npx clem-ts run -g hello -m '${JSON.stringify({ model_name: name, backend: 'transformers', huggingface_id: out })}' --limit 2 -l 16\n`
  );
}

main();
