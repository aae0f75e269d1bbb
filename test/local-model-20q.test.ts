import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTinyLlama } from '../backends/onnx/index.js';
import { run } from '../core/runner.js';
import { InteractionsSchema } from '../registry/interactions.js';
import { KeyRing } from '../registry/keys.js';
import { tempDirs } from './helpers/temp-dir.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

describe('20q with a local model (the tiny random Llama) through the registry', () => {
  it('plays by the rules, records every call with its tokens, and scores the episodes', async () => {
    const cwd = tmp.make();
    const modelDir = join(cwd, 'models', 'tiny-llama');
    writeTinyLlama(modelDir, { seed: 7 });
    writeFileSync(
      join(cwd, 'model_registry.json'),
      JSON.stringify([{ model_name: 'tiny-llama', backend: 'transformers', huggingface_id: 'models/tiny-llama', model_config: { premade_chat_template: true } }]),
    );
    const resultsDir = join(cwd, 'results');
    const summary = await run({
      games: ['20q'], models: ['tiny-llama'], limit: 3, maxTokens: 12, concurrency: 3, resultsDir, cwd, env: {}, keys: KeyRing.empty(),
    });
    expect(summary).toMatchObject({ played: 3, errored: 0 });

    const game = join(resultsDir, 'tiny-llama--kb-oracle', '20q', 'all_words');
    for (const dir of readdirSync(game).filter((d) => d.startsWith('instance_'))) {
      const interactions = InteractionsSchema.parse(JSON.parse(readFileSync(join(game, dir, 'interactions.json'), 'utf8')));
      const outcome = interactions.Aborted ? 'aborted' : interactions.Lose ? 'lose' : 'success';
      // A random model cannot be expected to win; it must be judged by the rules: a reply that is not one
      // yes/no question aborts the episode with the violation counted.
      const replies = interactions.turns.flat().filter((e) => e.from === 'Player 1' && e.action.type === 'get message');
      expect(replies.length).toBeGreaterThan(0);
      if (outcome === 'aborted') expect(interactions['Violated Request Count'].reduce((a, b) => a + b, 0)).toBe(1);
      const requests = JSON.parse(readFileSync(join(game, dir, 'player_1.requests.json'), 'utf8')) as {
        meta: { model_name: string };
        calls: { usage: { input_tokens: number; output_tokens: number } }[];
      };
      expect(requests.meta.model_name).toBe('tiny-llama');
      expect(requests.calls).toHaveLength(replies.length);
      for (const call of requests.calls) {
        expect(call.usage.input_tokens).toBeGreaterThan(10);
        expect(call.usage.output_tokens).toBeGreaterThan(0);
        expect(call.usage.output_tokens).toBeLessThanOrEqual(12);
      }
      const scores = JSON.parse(readFileSync(join(game, dir, 'scores.json'), 'utf8')) as { 'episode scores': Record<string, number | null> };
      expect(scores['episode scores']['Request Count']).toBe(interactions['Request Count'].reduce((a, b) => a + b, 0));
    }
  });
});
