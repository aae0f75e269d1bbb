import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../../registry/package-root.js';
import { loraOptions } from '../graph/index.js';
import { type TrainSettings, TrainSettingsSchema, defaultHyperParameters } from '../train-settings.js';
import { buildTrlConfig, trlTotalSteps } from './trl-config.js';
import { chooseSftFormat, trlSftRows } from './trl-data.js';
import { accelerateConfig, shellLine, trlCommands } from './trl-launch.js';

/** TRL's documented argument names (test/fixtures/trl/documented-args.json says where each list comes from). */
const documented = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'trl', 'documented-args.json'), 'utf8')) as Record<string, string[]>;
const names = (...groups: string[]) => new Set(groups.flatMap((g) => documented[g] ?? []));

function settings(over: Partial<TrainSettings>): TrainSettings {
  return TrainSettingsSchema.parse({
    version: 1, kind: 'sft', engine: 'trl', base: 'llama-1b', baseDir: null, baseId: 'meta-llama/Llama-3.2-1B-Instruct', data: '/d/sft.jsonl', dataSha256: 'x',
    lora: loraOptions(), ...defaultHyperParameters('sft', false), ...over,
  });
}

describe('TRL config', () => {
  it('uses only argument names TRL documents for `trl sft`, with the same hyper-parameters', () => {
    const s = settings({ learningRate: 2e-5, epochs: 3, batchSize: 4, gradAccum: 8, warmupRatio: 0.1, maxLength: 256, seed: 7, saveSteps: 25 });
    const config = buildTrlConfig({ settings: s, datasetDir: 'trl/data', outputDir: 'adapter', rows: 100, worldSize: 1, sftFormat: 'prompt-completion' });
    const allowed = names('ScriptArguments', 'ModelConfig', 'TrainingArguments', 'SFTConfig');
    expect(Object.keys(config).filter((k) => !allowed.has(k))).toEqual([]);
    // 100 rows / (4 × 8) → 4 steps per epoch, 12 in all, 10% warm-up rounded up → 2 steps
    expect(trlTotalSteps(s, 100, 1)).toBe(12);
    expect(config).toMatchObject({
      model_name_or_path: 'meta-llama/Llama-3.2-1B-Instruct', use_peft: true, lora_r: 32, lora_alpha: 16, lora_dropout: 0.1,
      lora_target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
      dataset_name: 'trl/data', dataset_train_split: 'train', output_dir: 'adapter', learning_rate: 2e-5, num_train_epochs: 3,
      per_device_train_batch_size: 4, gradient_accumulation_steps: 8, lr_scheduler_type: 'cosine', warmup_steps: 2, max_grad_norm: 1,
      weight_decay: 0, adam_beta1: 0.9, adam_beta2: 0.999, adam_epsilon: 1e-8, seed: 7, save_steps: 25, max_length: 256, completion_only_loss: true,
    });
    expect(config).not.toHaveProperty('max_steps');
    expect(config).not.toHaveProperty('use_rslora');
    expect(parse(stringify(config))).toEqual(config);
    const rs = buildTrlConfig({ settings: settings({ lora: loraOptions({ r: 16, rslora: true }) }), datasetDir: 'trl/data', outputDir: 'adapter', rows: 100, worldSize: 1, sftFormat: 'messages' });
    expect(rs).toMatchObject({ lora_r: 16, use_rslora: true });
    expect(Object.keys(rs).filter((k) => !allowed.has(k))).toEqual([]);
  });

  it('uses only argument names TRL documents for `trl dpo`: β, sigmoid by default, full fine-tuning without PEFT', () => {
    const s = settings({ kind: 'dpo', lora: null, beta: 0.2, maxSteps: 40, ...{ learningRate: 5e-7 } });
    const config = buildTrlConfig({ settings: s, datasetDir: 'trl/data', outputDir: 'model', rows: 10, worldSize: 8, sftFormat: 'messages' });
    const allowed = names('ScriptArguments', 'ModelConfig', 'TrainingArguments', 'DPOConfig');
    expect(Object.keys(config).filter((k) => !allowed.has(k))).toEqual([]);
    expect(config).toMatchObject({ beta: 0.2, use_peft: false, max_steps: 40, warmup_steps: 4, learning_rate: 5e-7 });
    expect(config).not.toHaveProperty('lora_r');
    expect(config).not.toHaveProperty('assistant_only_loss');
  });

  it('refuses policy gradient (no offline TRL trainer for it)', () => {
    expect(() => buildTrlConfig({ settings: settings({ kind: 'pg' }), datasetDir: 'd', outputDir: 'o', rows: 1, worldSize: 1, sftFormat: 'messages' })).toThrow(/use --engine builtin/);
  });

  it('splits conversations into one prompt/completion row per reply unless the template marks generations', () => {
    const rows = trlSftRows(
      [{ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'd' }] }],
      'prompt-completion',
    );
    expect(rows).toEqual([
      { prompt: [{ role: 'user', content: 'a' }], completion: [{ role: 'assistant', content: 'b' }] },
      { prompt: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }], completion: [{ role: 'assistant', content: 'd' }] },
    ]);
    expect(chooseSftFormat(null)).toBe('prompt-completion');
    const dir = mkdtempSync(join(tmpdir(), 'clem-trl-template-'));
    try {
      writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: "{% for m in messages %}{% if m['role'] == 'assistant' %}{% generation %}{{ m['content'] }}{% endgeneration %}{% endif %}{% endfor %}" }));
      expect(chooseSftFormat(dir)).toBe('messages');
      writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: "{% for m in messages %}{{ m['content'] }}{% endfor %}" }));
      expect(chooseSftFormat(dir)).toBe('prompt-completion');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TRL launch', () => {
  it('runs `trl sft --config` for one process', () => {
    expect(trlCommands('sft', 'trl/sft.yaml', null, { gpus: 1, nodes: 1, deepspeed: null, mainProcessIp: null, mainProcessPort: 29500 })).toEqual([
      { argv: ['trl', 'sft', '--config', 'trl/sft.yaml'], machineRank: null },
    ]);
  });

  it('launches the TRL script with accelerate and a DeepSpeed config for several GPUs and nodes, with documented flags and keys', () => {
    const launch = { gpus: 8, nodes: 2, deepspeed: 'zero3' as const, mainProcessIp: '10.0.0.1', mainProcessPort: 29500 };
    const accel = accelerateConfig(launch);
    expect(Object.keys(accel ?? {}).filter((k) => !names('accelerate_config').has(k))).toEqual([]);
    expect(Object.keys((accel?.deepspeed_config ?? {}) as object).filter((k) => !names('deepspeed_config').has(k))).toEqual([]);
    expect(accel).toMatchObject({ distributed_type: 'DEEPSPEED', num_machines: 2, num_processes: 16, deepspeed_config: { zero_stage: 3, zero3_init_flag: true } });
    const cmds = trlCommands('dpo', 'trl/dpo.yaml', 'trl/accelerate.yaml', launch);
    expect(cmds.map((c) => shellLine(c.argv))).toEqual([0, 1].map(
      (r) => `accelerate launch --config_file trl/accelerate.yaml --num_processes 16 --num_machines 2 --machine_rank ${r} --main_process_ip 10.0.0.1 --main_process_port 29500 -m trl.scripts.dpo --config trl/dpo.yaml`,
    ));
    const flags = cmds.flatMap((c) => c.argv.filter((a) => a.startsWith('-')).filter((a) => a !== '--config'));
    expect(flags.filter((f) => !names('accelerate_launch').has(f))).toEqual([]);
    expect(accelerateConfig({ gpus: 1, nodes: 1, deepspeed: null, mainProcessIp: null, mainProcessPort: 1 })).toBeNull();
    expect(accelerateConfig({ gpus: 4, nodes: 1, deepspeed: null, mainProcessIp: null, mainProcessPort: 1 })).toMatchObject({ distributed_type: 'MULTI_GPU', num_processes: 4 });
  });
});
