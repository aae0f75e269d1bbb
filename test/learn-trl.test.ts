import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../backends/index.js';
import { writeTinyLlama } from '../backends/onnx/index.js';
import { KeyRing } from '../registry/keys.js';
import { loadModelRegistry, resolveModel } from '../registry/model-registry.js';
import { packageRoot } from '../registry/package-root.js';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * The TRL engine through the spawned CLI. TRL cannot be installed here (no PyPI), so a stand-in `trl` executable
 * on PATH plays TRL's part at the process boundary: it parses the --config YAML as TrlParser does, refuses argument
 * names TRL does not document (test/fixtures/trl/documented-args.json), checks the dataset rows against TRL's
 * formats and saves a (random) PEFT adapter where TRL would. Without it on PATH the engine prints the commands.
 */
const tmp = tempDirs('clem-learn-trl-');
let cwd: string;
const root = packageRoot();

const FAKE_TRL = `#!/usr/bin/env node
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from ${JSON.stringify(join(root, 'node_modules', 'yaml', 'dist', 'index.js'))};
import { HfLlamaConfigSchema, fromHfConfig, writeRandomPeftAdapter } from ${JSON.stringify(join(root, 'dist', 'backends', 'onnx', 'index.js'))};
const [kind, flag, configPath] = process.argv.slice(2);
const documented = JSON.parse(readFileSync(${JSON.stringify(join(root, 'test', 'fixtures', 'trl', 'documented-args.json'))}, 'utf8'));
const allowed = new Set([...documented.ScriptArguments, ...documented.ModelConfig, ...documented.TrainingArguments, ...(kind === 'sft' ? documented.SFTConfig : documented.DPOConfig)]);
if (flag !== '--config') { console.error('usage: trl sft|dpo --config FILE'); process.exit(2); }
const config = parse(readFileSync(configPath, 'utf8'));
const unknown = Object.keys(config).filter((k) => !allowed.has(k));
if (unknown.length > 0) { console.error('ValueError: Unknown arguments from config file: ' + unknown.join(', ')); process.exit(1); }
const rows = readFileSync(join(config.dataset_name, 'train.jsonl'), 'utf8').split('\\n').filter(Boolean).map((l) => JSON.parse(l));
const conversational = (m) => Array.isArray(m) && m.length > 0 && m.every((x) => typeof x.role === 'string' && typeof x.content === 'string');
const ok = kind === 'sft'
  ? rows.every((r) => (conversational(r.prompt) && conversational(r.completion)) || conversational(r.messages))
  : rows.every((r) => conversational(r.prompt) && conversational(r.chosen) && conversational(r.rejected));
if (!ok) { console.error('rows are not in a TRL conversational format'); process.exit(1); }
appendFileSync('trl-calls.jsonl', JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), rows: rows.length, config }) + '\\n');
const hf = JSON.parse(readFileSync(join(config.model_name_or_path, 'config.json'), 'utf8'));
writeRandomPeftAdapter(config.output_dir, fromHfConfig(HfLlamaConfigSchema.parse(hf)), { r: config.lora_r, alpha: config.lora_alpha, targetModules: config.lora_target_modules, seed: 1 });
`;

beforeAll(() => {
  cwd = tmp.make();
  writeTinyLlama(join(cwd, 'models', 'tiny'), { seed: 7 });
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'tiny', backend: 'transformers', huggingface_id: 'models/tiny', model_config: { premade_chat_template: true } }]));
  const conversation = [
    { role: 'user', content: 'Ask.' }, { role: 'assistant', content: 'Is it alive?' }, { role: 'user', content: 'No.' }, { role: 'assistant', content: 'Is it a tool?' },
  ];
  writeFileSync(join(cwd, 'sft.jsonl'), `${JSON.stringify({ messages: conversation, metadata: { any: 1 } })}\n`);
  const pair = { prompt: [{ role: 'user', content: 'Ask.' }], chosen: [{ role: 'assistant', content: 'Is it alive?' }], rejected: [{ role: 'assistant', content: 'Is it red?' }] };
  writeFileSync(join(cwd, 'dpo.jsonl'), `${JSON.stringify(pair)}\n`);
  mkdirSync(join(cwd, 'bin'));
  writeFileSync(join(cwd, 'bin', 'trl'), FAKE_TRL);
  chmodSync(join(cwd, 'bin', 'trl'), 0o755);
});
afterAll(() => tmp.cleanup());

const nodeOnly = { PATH: dirname(process.execPath) };
const withTrl = () => ({ PATH: `${join(cwd, 'bin')}:${dirname(process.execPath)}` });

describe.skipIf(!cliIsBuilt())('learn --engine trl', () => {
  it('runs `trl sft --config` when TRL is on PATH and registers the adapter it saved', async () => {
    const r = await runCli(['learn', 'sft', '--engine', 'trl', '--data', 'sft.jsonl', '--base', 'tiny', '-o', 'out-sft', '--register', 'tiny-trl', '--lora-r', '8', '--lora-rslora', '--epochs', '2', '--batch-size', '1', '--grad-accum', '1'], { cwd, env: withTrl() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`learn sft (trl): 4 step(s); adapter: ${join(cwd, 'out-sft', 'adapter')}`);
    const [call] = readFileSync(join(cwd, 'out-sft', 'trl-calls.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { argv: string[]; cwd: string; rows: number; config: Record<string, unknown> });
    expect(call?.argv).toEqual(['sft', '--config', 'trl/sft.yaml']);
    expect(call?.cwd).toBe(join(cwd, 'out-sft'));
    // The tiny model's ChatML template has no {% generation %} blocks: one prompt/completion row per reply.
    expect(call?.rows).toBe(2);
    expect(call?.config).toMatchObject({ model_name_or_path: join(cwd, 'models', 'tiny'), lora_r: 8, lora_alpha: 16, use_rslora: true, num_train_epochs: 2, completion_only_loss: true, output_dir: 'adapter' });
    const spec = resolveModel('tiny-trl', loadModelRegistry({ cwd, includePackaged: false }));
    expect(spec.model_config?.peft_model).toBe(join(cwd, 'out-sft', 'adapter'));
    const model = await createModel(spec, { keys: KeyRing.empty(), cacheDir: join(cwd, 'cache'), modelsDir: cwd });
    try {
      const out = await model.generate({ messages: [{ role: 'user', content: 'Ask.' }], args: { temperature: 0, maxTokens: 4 } });
      expect(out.usage.outputTokens).toBeGreaterThan(0);
    } finally {
      await model.close();
    }
  }, 60_000);

  it('prints the commands (and writes run.sh) when TRL is not on PATH, and registers nothing yet', async () => {
    const r = await runCli(['learn', 'dpo', '--engine', 'trl', '--data', 'dpo.jsonl', '--base', 'tiny', '-o', 'out-dpo', '--register', 'tiny-dpo', '--warmup-ratio', '0'], { cwd, env: nodeOnly });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`TRL \`trl\` is not on PATH here. Where Python has TRL (pip install 'trl>=0.20' peft), from ${join(cwd, 'out-dpo')} (copied`);
    expect(r.stderr).toContain('trl dpo --config trl/dpo.yaml');
    expect(r.stdout).toContain(`commands: ${join(cwd, 'out-dpo')}/trl/run.sh`);
    expect(r.stdout).toContain(`clem-ts register model -n tiny-dpo -v backend=transformers,huggingface_id=${join(cwd, 'models', 'tiny')},model_config.peft_model=${join(cwd, 'out-dpo')}/adapter`);
    expect(readFileSync(join(cwd, 'out-dpo', 'trl', 'run.sh'), 'utf8')).toContain("# needs: pip install 'trl>=0.20' peft\nset -euo pipefail\ncd \"$(dirname \"$0\")/..\"\ntrl dpo --config trl/dpo.yaml\n");
    expect(readFileSync(join(cwd, 'out-dpo', 'trl', 'data', 'train.jsonl'), 'utf8')).toBe(`${readFileSync(join(cwd, 'dpo.jsonl'), 'utf8')}`);
    expect(readFileSync(join(cwd, 'model_registry.json'), 'utf8')).not.toContain('tiny-dpo');
  });

  it('writes one accelerate/DeepSpeed command per node for a multi-node job', async () => {
    const r = await runCli(
      ['learn', 'sft', '--engine', 'trl', '--data', 'sft.jsonl', '--base', 'tiny', '-o', 'out-multi', '--gpus', '8', '--nodes', '2', '--deepspeed', 'zero3', '--main-process-ip', '10.1.2.3', '--warmup-ratio', '0'],
      { cwd, env: withTrl() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(cwd, 'out-multi', 'trl-calls.jsonl'))).toBe(false);
    const sh = readFileSync(join(cwd, 'out-multi', 'trl', 'run.sh'), 'utf8');
    for (const rank of [0, 1]) {
      expect(sh).toContain(`# node ${rank}\naccelerate launch --config_file trl/accelerate.yaml --num_processes 16 --num_machines 2 --machine_rank ${rank} --main_process_ip 10.1.2.3 --main_process_port 29500 -m trl.scripts.sft --config trl/sft.yaml`);
    }
    expect(readFileSync(join(cwd, 'out-multi', 'trl', 'accelerate.yaml'), 'utf8')).toContain('zero_stage: 3');
    expect(sh).toContain("# needs: pip install 'trl>=0.20' peft deepspeed\n");
  });

  it('passes a hub id base to TRL as it is and says its chat template was not read here', async () => {
    const r = await runCli(['learn', 'sft', '--engine', 'trl', '--data', 'sft.jsonl', '--base', 'meta-llama/Llama-3.1-8B-Instruct', '-o', 'out-hub', '--warmup-ratio', '0'], { cwd, env: nodeOnly });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('TRL SFT rows: one prompt/completion row per assistant reply (the base is a hub id: its chat template is not read here).');
    expect(r.stderr).toContain(`from ${join(cwd, 'out-hub')} (copied to the training machine; TRL downloads meta-llama/Llama-3.1-8B-Instruct from the hub there)`);
    expect(readFileSync(join(cwd, 'out-hub', 'trl', 'sft.yaml'), 'utf8')).toContain('model_name_or_path: meta-llama/Llama-3.1-8B-Instruct');
  });

  it('refuses a run whose only optimizer step has learning rate 0 (warm-up), as the built-in engine does', async () => {
    const r = await runCli(['learn', 'dpo', '--engine', 'trl', '--data', 'dpo.jsonl', '--base', 'tiny', '-o', 'out-lr0'], { cwd, env: withTrl() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('1 row(s) make 1 optimizer step(s) (--batch-size 4 × --grad-accum 4 rows a step), and each has learning rate 0');
    expect(existsSync(join(cwd, 'out-lr0', 'trl-calls.jsonl'))).toBe(false);
  });

  it('refuses policy gradient, which TRL has no offline trainer for', async () => {
    writeFileSync(join(cwd, 'pg.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }], weight: 1 })}\n`);
    const r = await runCli(['learn', 'pg', '--engine', 'trl', '--data', 'pg.jsonl', '--base', 'tiny', '-o', 'out-pg'], { cwd, env: withTrl() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('clem-ts: learn pg: TRL has no offline weighted policy-gradient trainer; use --engine builtin.\n');
  });
});
