import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { thrownMessage } from '../test/helpers/errors.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { loadModelRegistry, readQueryString, registerModel, resolveModel } from './model-registry.js';
import type { ModelSpec } from './model-spec.js';
import { packageRoot } from './package-root.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

/** An entry as in clemcore's packaged model_registry.json (2.5.2), with clemcore-only model_config keys. */
const CLEMCORE_ENTRY = {
  model_name: 'Meta-Llama-3.1-8B-Instruct',
  backend: 'huggingface_local',
  huggingface_id: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
  release_date: '2024-07-23',
  open_weight: true,
  parameters: '8B',
  languages: ['en', 'de', 'fr', 'it', 'pt', 'hi', 'es', 'th'],
  context_size: '128k',
  license: { name: 'Meta', url: 'https://llama.meta.com/llama3_1/license/' },
  model_config: {
    requires_api_key: true,
    premade_chat_template: true,
    eos_to_cull: '<\\|eot_id\\|>',
    load_in_8bit: false,
    padding_side: 'left',
    chat_template_kwargs: { enable_thinking: false },
  },
};

function writeRegistry(dir: string, entries: unknown): string {
  const file = join(dir, 'model_registry.json');
  writeFileSync(file, typeof entries === 'string' ? entries : JSON.stringify(entries, null, 2));
  return file;
}

function entry(fields: Record<string, unknown>): ModelSpec {
  return { backend: 'openai', ...fields } as ModelSpec;
}

describe('loadModelRegistry', () => {
  it('loads a clemcore entry unchanged, keeping keys it does not know, tagged with its file', () => {
    const cwd = tmp.make();
    const file = writeRegistry(cwd, [CLEMCORE_ENTRY]);
    expect(loadModelRegistry({ cwd, includePackaged: false })).toEqual([{ ...CLEMCORE_ENTRY, lookup_source: file }]);
  });

  it('puts the current directory entries before the packaged ones', () => {
    const cwd = tmp.make();
    const file = writeRegistry(cwd, [{ model_name: 'mock', backend: 'programmatic', model_config: { program: 'mock', replies: ['hi'] } }]);
    const registry = loadModelRegistry({ cwd });
    expect(registry[0]?.lookup_source).toBe(file);
    expect(registry.filter((m) => m.model_name === 'mock').map((m) => m.lookup_source)).toEqual([file, 'packaged']);
    expect(resolveModel('mock', registry).model_config?.replies).toEqual(['hi']);
    expect(resolveModel('mock', loadModelRegistry({ cwd: tmp.make() })).lookup_source).toBe('packaged');
  });

  it('run from the package folder itself, reads its registry once, as the packaged one', () => {
    expect(loadModelRegistry({ cwd: packageRoot() }).filter((m) => m.model_name === 'mock').map((m) => m.lookup_source)).toEqual(['packaged']);
  });

  it('names the file and every bad field of a malformed registry', () => {
    const cwd = tmp.make();
    const file = writeRegistry(cwd, [CLEMCORE_ENTRY, { model_name: 'x', max_concurrency: 0, model_config: { peft_model: 3 } }]);
    expect(thrownMessage(() => loadModelRegistry({ cwd, includePackaged: false }))).toBe(
      [
        `${file}: [1].backend: expected string, got nothing`,
        `${file}: [1].model_config.peft_model: expected string, got number 3`,
        `${file}: [1].max_concurrency: Too small: expected number to be >0, got number 0`,
      ].join('\n'),
    );
    writeRegistry(cwd, '[{"model_name": "x",}]');
    expect(thrownMessage(() => loadModelRegistry({ cwd, includePackaged: false }))).toMatch(new RegExp(`^${file}: not valid JSON: `));
  });
});

describe('resolveModel', () => {
  const registry = [
    entry({ model_name: 'gpt-4o-mini', model_id: 'gpt-4o-mini-2024-07-18', lookup_source: 'a' }),
    entry({ model_name: 'twin', model_id: 'first', model_config: { reasoning_model: false } }),
    entry({ model_name: 'twin', model_id: 'second', model_config: { reasoning_model: true } }),
    entry({ model_name: 'llama', backend: 'huggingface_local', huggingface_id: 'meta/llama' }),
  ];

  it('finds a name, first entry winning', () => {
    expect(resolveModel('gpt-4o-mini', registry)).toMatchObject({ model_id: 'gpt-4o-mini-2024-07-18', lookup_source: 'a' });
    expect(resolveModel('twin', registry).model_id).toBe('first');
  });

  it('unifies a JSON spec with the first entry it fits, nested model_config included', () => {
    expect(resolveModel("{'model_name': 'twin', 'model_config': {'reasoning_model': true}}", registry).model_id).toBe('second');
    expect(resolveModel('{"model_id": "second"}', registry).model_name).toBe('twin');
    // A partial selector picks the first entry it unifies with, as clemcore does.
    expect(resolveModel("{'backend': 'huggingface_local'}", registry).model_name).toBe('llama');
    // Keys the entry lacks are added to the result.
    expect(resolveModel('{"model_name": "llama", "generation": {"temperature": 0.7}}', registry)).toMatchObject({
      huggingface_id: 'meta/llama',
      generation: { temperature: 0.7 },
    });
  });

  it('takes an unregistered JSON spec with its own backend as it is', () => {
    const spec = resolveModel('{"model_name": "my-vllm", "backend": "openai_compatible", "base_url": "http://127.0.0.1:8000/v1"}', registry);
    expect(spec).toEqual({ model_name: 'my-vllm', backend: 'openai_compatible', base_url: 'http://127.0.0.1:8000/v1' });
    expect(thrownMessage(() => resolveModel('{"model_name": "x", "backend": "openai", "max_concurrency": 0}', registry))).toBe(
      '-m {"model_name": "x", "backend": "openai", "max_concurrency": 0}: max_concurrency: Too small: expected number to be >0, got number 0',
    );
  });

  it('"program+model" is the program with that model as its fallback, named so; a fallback named in an entry is resolved', () => {
    const withPrograms = [
      ...registry,
      entry({ model_name: 'kb-oracle', backend: 'programmatic', model_config: { program: '20q/kb-oracle' } }),
      entry({ model_name: 'kb-gpt', backend: 'programmatic', model_config: { program: 'kb-oracle', fallback_model: 'gpt-4o-mini' } }),
      entry({ model_name: 'loop', backend: 'programmatic', model_config: { program: 'kb-oracle', fallback_model: 'loop' } }),
      entry({ model_name: 'a+b', model_id: 'registered-plus' }),
    ];
    const hybrid = resolveModel('kb-oracle+gpt-4o-mini', withPrograms);
    expect(hybrid).toMatchObject({ model_name: 'kb-oracle+gpt-4o-mini', backend: 'programmatic', model_config: { program: '20q/kb-oracle' } });
    expect(hybrid.model_config?.fallback_model).toEqual({ model_name: 'gpt-4o-mini', backend: 'openai', model_id: 'gpt-4o-mini-2024-07-18' });
    expect(resolveModel('kb-gpt', withPrograms).model_config?.fallback_model).toMatchObject({ model_name: 'gpt-4o-mini', model_id: 'gpt-4o-mini-2024-07-18' });
    // a registered name with a "+" is that entry
    expect(resolveModel('a+b', withPrograms).model_id).toBe('registered-plus');
    expect(thrownMessage(() => resolveModel('kb-oracle+gpt-4o-mni', withPrograms))).toMatch(/^unknown model 'gpt-4o-mni'\. Did you mean: gpt-4o-mini\?/);
    expect(thrownMessage(() => resolveModel('loop', withPrograms))).toBe('-m loop: fallback models nest more than 4 deep (is a model its own fallback?)');
  });

  it('an unknown name lists the close matches', () => {
    expect(thrownMessage(() => resolveModel('gpt-4o-mni', registry))).toBe(
      "unknown model 'gpt-4o-mni'. Did you mean: gpt-4o-mini? See `clem-ts list models`, or register it with `clem-ts register model`.",
    );
    expect(thrownMessage(() => resolveModel('{"model_name": "twinn", "model_id": "third"}', registry))).toBe(
      "unknown model 'twinn'. Did you mean: twin? See `clem-ts list models`, or register it with `clem-ts register model`.",
    );
  });

  it('a selector that is not JSON, or not an object, says so', () => {
    expect(thrownMessage(() => resolveModel('{model_name: x}', registry))).toMatch(/^unknown model '\{model_name: x\}'\. It is neither a model name nor valid JSON \(/);
    expect(thrownMessage(() => resolveModel('{"a": 1', registry))).toMatch(/neither a model name nor valid JSON/);
  });
});

describe('readQueryString', () => {
  it('converts bool, int, float and string values and nests dotted keys', () => {
    expect(
      readQueryString('backend=openai, open_weight=TRUE,flag=false,max_concurrency=8,offset=-3,temperature=0.5,big=1e3,model_id=gpt-4o,model_config.peft_model=./a,model_config.load_in_8bit=true'),
    ).toEqual({
      backend: 'openai',
      open_weight: true,
      flag: false,
      max_concurrency: 8,
      offset: -3,
      temperature: 0.5,
      big: 1000,
      model_id: 'gpt-4o',
      model_config: { peft_model: './a', load_in_8bit: true },
    });
  });

  it('keeps "=" inside a value and skips empty pairs', () => {
    expect(readQueryString('base_url=http://h/v1?a=b,,')).toEqual({ base_url: 'http://h/v1?a=b' });
  });

  it('refuses a pair without a key', () => {
    expect(thrownMessage(() => readQueryString('backend=openai,oops'))).toBe(`'oops': expected key=value pairs separated by commas (a JSON value may hold commas: key=["a","b"]).`);
    expect(thrownMessage(() => readQueryString('=x'))).toBe(`'=x': expected key=value pairs separated by commas (a JSON value may hold commas: key=["a","b"]).`);
  });

  it('reads JSON values, commas inside them included', () => {
    expect(readQueryString('model_config.stop=["a,b","c"],description="one, two",model_config.extra={"k":[1,2]},n=3')).toEqual({
      model_config: { stop: ['a,b', 'c'], extra: { k: [1, 2] } },
      description: 'one, two',
      n: 3,
    });
    expect(thrownMessage(() => readQueryString('model_config.stop=["a",'))).toMatch(/^'model_config.stop=\["a",': the value is not valid JSON \(/);
  });
});

describe('registerModel', () => {
  const read = (cwd: string): unknown => JSON.parse(readFileSync(join(cwd, 'model_registry.json'), 'utf8'));

  it('creates ./model_registry.json and puts new entries first, leaving others as they were', () => {
    const cwd = tmp.make();
    writeRegistry(cwd, [CLEMCORE_ENTRY]);
    const added = registerModel('x', readQueryString('backend=openai,model_id=y,model_config.peft_model=./a'), { cwd });
    expect(added).toEqual({ model_name: 'x', backend: 'openai', model_id: 'y', model_config: { peft_model: './a' } });
    expect(read(cwd)).toEqual([{ backend: 'openai', model_id: 'y', model_config: { peft_model: './a' }, model_name: 'x' }, CLEMCORE_ENTRY]);
    expect(loadModelRegistry({ cwd })[0]?.model_name).toBe('x');

    const empty = tmp.make();
    registerModel('solo', { backend: 'programmatic' }, { cwd: empty });
    expect(read(empty)).toEqual([{ backend: 'programmatic', model_name: 'solo' }]);
  });

  it('merges into an existing entry (nested model_config too) and keeps its place', () => {
    const cwd = tmp.make();
    writeRegistry(cwd, [{ model_name: 'other', backend: 'openai' }, CLEMCORE_ENTRY]);
    registerModel(CLEMCORE_ENTRY.model_name, readQueryString('model_config.peft_model=./adapter,parameters=8.0B'), { cwd });
    expect(read(cwd)).toEqual([
      { model_name: 'other', backend: 'openai' },
      { ...CLEMCORE_ENTRY, parameters: '8.0B', model_config: { ...CLEMCORE_ENTRY.model_config, peft_model: './adapter' } },
    ]);
  });

  it('keeps the rest of the file byte for byte: key order, formatting, other entries', () => {
    const cwd = tmp.make();
    const text = readFileSync(join(packageRoot(), 'model_registry.json'), 'utf8');
    writeFileSync(join(cwd, 'model_registry.json'), text);
    registerModel('kb-greedy', readQueryString('model_config.stop=["a","b"]'), { cwd });
    const after = readFileSync(join(cwd, 'model_registry.json'), 'utf8');
    // Only the edited entry's model_config is rewritten; every other byte stays (key order, one-line objects, arrays).
    expect(after.startsWith(text.slice(0, text.indexOf('"model_name": "kb-greedy"')))).toBe(true);
    expect(after.endsWith(text.slice(text.indexOf('"model_name": "random-kb"')))).toBe(true);
    const [was, now] = [JSON.parse(text)[3], JSON.parse(after)[3]] as Record<string, unknown>[];
    expect(Object.keys(now ?? {})).toEqual(Object.keys(was ?? {}));
    expect(now?.model_config).toEqual({ program: '20q/kb-greedy', stop: ['a', 'b'] });

    registerModel('new-one', { backend: 'openai', model_id: 'm' }, { cwd });
    const third = readFileSync(join(cwd, 'model_registry.json'), 'utf8');
    expect(third.startsWith('[\n  {\n    "model_name": "new-one",\n    "backend": "openai",\n    "model_id": "m"\n  },\n  {\n    "model_name": "mock",')).toBe(true);
    expect(third.endsWith(after.slice(after.indexOf('"model_name": "mock"')))).toBe(true);
  });

  it('with reset replaces the entry', () => {
    const cwd = tmp.make();
    writeRegistry(cwd, [CLEMCORE_ENTRY]);
    registerModel(CLEMCORE_ENTRY.model_name, { backend: 'transformers', huggingface_id: './local' }, { cwd, reset: true });
    expect(read(cwd)).toEqual([{ backend: 'transformers', huggingface_id: './local', model_name: CLEMCORE_ENTRY.model_name }]);
  });

  it('refuses an entry that would not load, and writes nothing', () => {
    const cwd = tmp.make();
    const file = join(cwd, 'model_registry.json');
    expect(thrownMessage(() => registerModel('x', { model_id: 'y' }, { cwd }))).toBe(`${file} (entry x): backend: expected string, got nothing`);
    expect(existsSync(file)).toBe(false);
  });
});
