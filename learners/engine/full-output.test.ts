import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SafetensorsFile } from '../../backends/onnx/index.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { writeModelFolder } from './full-output.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

describe('writeModelFolder (--full)', () => {
  it('writes F32 weights under HF names, a config that says float32 in both spellings, and the base\'s tokenizer files', () => {
    const base = tmp.make();
    writeFileSync(join(base, 'tokenizer.json'), '{"t":1}');
    writeFileSync(join(base, 'generation_config.json'), '{"eos_token_id":2}');
    const raw = { model_type: 'llama', dtype: 'bfloat16', torch_dtype: 'bfloat16', 'transformers.js_config': { dtype: 'fp32' } };
    const out = join(tmp.make(), 'model');
    writeModelFolder(out, base, raw, [{ name: 'model.norm.weight', shape: [2], data: new Float32Array([1.5, -2]), decay: false }]);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toEqual({ model_type: 'llama', dtype: 'float32', torch_dtype: 'float32' });
    const file = SafetensorsFile.open(join(out, 'model.safetensors'));
    expect(file.entries.get('model.norm.weight')).toMatchObject({ dtype: 'F32', shape: [2] });
    expect([...file.readF32('model.norm.weight').data]).toEqual([1.5, -2]);
    expect(readFileSync(join(out, 'tokenizer.json'), 'utf8')).toBe('{"t":1}');
    expect(existsSync(join(out, 'generation_config.json'))).toBe(true);
    expect(existsSync(join(out, 'tokenizer_config.json'))).toBe(false);
  });
});
