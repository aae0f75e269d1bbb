import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyLlama } from '../backends/onnx/index.js';
import { InteractionsSchema } from '../registry/interactions.js';
import { ModelRegistryFileSchema } from '../registry/model-registry.js';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * The whole loop through the spawned CLI: 20q episodes (the tiny local model, and kb-greedy as a teacher that
 * wins) → `learn sft-data` → `learn sft` on the tiny model with --register → `run` again by the new name. The
 * random tiny model aborts at its first question; trained on the teacher's winning episode, it replays it and wins.
 */
const tmp = tempDirs('clem-learn-loop-');
let cwd: string;
beforeAll(() => {
  cwd = tmp.make();
  writeTinyLlama(join(cwd, 'models', 'tiny-llama'), { seed: 7 });
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'tiny-llama', backend: 'transformers', huggingface_id: 'models/tiny-llama', model_config: { premade_chat_template: true } }]));
});
afterAll(() => tmp.cleanup());

/** The Questioner's replies of every episode a model played, by instance folder. */
function questions(model: string): Map<string, { replies: string[]; success: boolean; aborted: boolean }> {
  const dir = join(cwd, 'results', `${model}--kb-oracle`, '20q', 'all_words');
  const out = new Map<string, { replies: string[]; success: boolean; aborted: boolean }>();
  for (const inst of readdirSync(dir).filter((d) => d.startsWith('instance_'))) {
    const i = InteractionsSchema.parse(JSON.parse(readFileSync(join(dir, inst, 'interactions.json'), 'utf8')));
    const replies = i.turns.flat().filter((e) => e.from === 'Player 1' && e.action.type === 'get message').map((e) => String(e.action.content));
    out.set(inst, { replies, success: Number(i.Success) === 1, aborted: Number(i.Aborted) === 1 });
  }
  return out;
}

describe.skipIf(!cliIsBuilt())(`play → learn sft-data → learn sft → play again (${CLI})`, () => {
  it('the SFT-trained tiny model, registered by name, replays the teacher and wins', async () => {
    const ok = async (args: string[]) => {
      const r = await runCli(args, { cwd });
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    await ok(['run', '-g', '20q', '-m', 'tiny-llama', '--limit', '1', '-l', '12']);
    await ok(['run', '-g', '20q', '-m', 'kb-greedy', '--limit', '1']);
    const [before] = [...questions('tiny-llama').values()];
    expect(before?.aborted).toBe(true);
    expect(before?.replies).toHaveLength(1);

    await ok(['learn', 'sft-data', '-g', '20q', '--role', 'Questioner', '--filter', 'success', '--validation', '0', '-o', 'data/sft.jsonl']);
    const train = await ok([
      'learn', 'sft', '--data', 'data/sft.train.jsonl', '--base', 'tiny-llama', '-o', 'out/tiny-sft', '--register', 'tiny-sft',
      '--lr', '2e-2', '--epochs', '50', '--batch-size', '1', '--grad-accum', '1', '--lora-r', '16', '--warmup-ratio', '0.05',
    ]);
    expect(train.stdout).toContain(`learn sft (builtin): 50 step(s); adapter: ${join(cwd, 'out', 'tiny-sft', 'adapter')}`);
    expect(train.stdout).toContain('registered tiny-sft in ./model_registry.json');
    const entry = ModelRegistryFileSchema.parse(JSON.parse(readFileSync(join(cwd, 'model_registry.json'), 'utf8'))).find((m) => m.model_name === 'tiny-sft');
    expect(entry).toMatchObject({ backend: 'transformers', huggingface_id: join(cwd, 'models', 'tiny-llama'), model_config: { peft_model: join(cwd, 'out', 'tiny-sft', 'adapter') } });

    const again = await ok(['run', '-g', '20q', '-m', 'tiny-sft', '--limit', '1', '-l', '40']);
    expect(again.stdout).toContain('played 1 episode(s): 1 success');
    const [teacher] = [...questions('kb-greedy').values()];
    const [student] = [...questions('tiny-sft').values()];
    expect(student?.replies).toEqual(teacher?.replies);
  }, 180_000);
});
