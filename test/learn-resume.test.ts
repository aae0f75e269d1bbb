import { spawn } from 'node:child_process';
import { existsSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyLlama } from '../backends/onnx/index.js';
import { readTrainLog } from '../learners/engine/train-log.js';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * Crash and resume: a spawned `learn sft` is killed with SIGKILL once it has logged a few steps, then rerun with
 * --resume; its adapter must equal, byte for byte, the adapter of an uninterrupted run with the same seed
 * (parameters, AdamW moments, step, data order and LoRA dropout masks all restored).
 */
const tmp = tempDirs('clem-learn-resume-');
let cwd: string;
const TRAIN = ['--base', 'models/tiny', '--lr', '5e-3', '--epochs', '30', '--batch-size', '1', '--grad-accum', '2', '--lora-r', '4', '--save-steps', '1', '--seed', '5'];

beforeAll(() => {
  cwd = tmp.make();
  writeTinyLlama(join(cwd, 'models', 'tiny'), { seed: 3 });
  const rows = [
    ['Think of an animal.', 'Is it a mammal?'],
    ['Guess the word.', 'Is it a fruit?'],
    ['Start.', 'Is it bigger than a breadbox?'],
  ].map(([q, a]) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] }));
  writeFileSync(join(cwd, 'sft.jsonl'), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
});
afterAll(() => tmp.cleanup());

/** Spawns `learn sft -o out` and kills it with SIGKILL as soon as train.jsonl holds `steps` lines. */
function killAfter(out: string, steps: number): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'learn', 'sft', '--data', 'sft.jsonl', '-o', out, ...TRAIN], { cwd, stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
    const dir = join(cwd, out);
    const check = () => {
      const log = join(dir, 'train.jsonl');
      if (existsSync(log) && readFileSync(log, 'utf8').split('\n').length > steps) child.kill('SIGKILL');
    };
    const poll = setInterval(() => {
      if (!existsSync(dir)) return;
      clearInterval(poll);
      watch(dir, check).unref();
      check();
    }, 5);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal });
    });
  });
}

describe.skipIf(!cliIsBuilt())('learn sft --resume after SIGKILL', () => {
  it('gives the same adapter, byte for byte, as an uninterrupted run', async () => {
    const whole = await runCli(['learn', 'sft', '--data', 'sft.jsonl', '-o', 'whole', ...TRAIN], { cwd });
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toContain('learn sft (builtin): 60 step(s)');

    const killed = await killAfter('crashed', 3);
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(cwd, 'crashed', 'adapter'))).toBe(false);
    const loggedBeforeKill = readFileSync(join(cwd, 'crashed', 'train.jsonl'), 'utf8').split('\n').length - 1;
    expect(loggedBeforeKill).toBeLessThan(60);

    const refused = await runCli(['learn', 'sft', '--data', 'sft.jsonl', '-o', 'crashed', ...TRAIN], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already holds a training run');

    const resumed = await runCli(['learn', 'sft', '--data', 'sft.jsonl', '-o', 'crashed', '--resume', ...TRAIN], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/60 step\(s\) \(resumed at step \d+\)/);
    const a = readFileSync(join(cwd, 'whole', 'adapter', 'adapter_model.safetensors'));
    const b = readFileSync(join(cwd, 'crashed', 'adapter', 'adapter_model.safetensors'));
    expect(b.equals(a)).toBe(true);
    // The log has one line per step again, the resumed steps' losses equal the uninterrupted run's.
    const wholeLog = readTrainLog(join(cwd, 'whole', 'train.jsonl'));
    const resumedLog = readTrainLog(join(cwd, 'crashed', 'train.jsonl'));
    expect(resumedLog.map((l) => l.step)).toEqual(wholeLog.map((l) => l.step));
    expect(resumedLog.map((l) => l.loss)).toEqual(wholeLog.map((l) => l.loss));

    // Resuming a finished run trains nothing and writes the same adapter again.
    const finished = await runCli(['learn', 'sft', '--data', 'sft.jsonl', '-o', 'whole', '--resume', ...TRAIN], { cwd });
    expect(finished.stdout).toContain('60 step(s) (resumed at step 60)');
    expect(readFileSync(join(cwd, 'whole', 'adapter', 'adapter_model.safetensors')).equals(a)).toBe(true);

    const other = await runCli(['learn', 'sft', '--data', 'sft.jsonl', '-o', 'crashed', '--resume', ...TRAIN.slice(0, -1), '6'], { cwd });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('--resume with other settings (seed)');
  }, 180_000);
});
