import { join } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../backends/backend.js';
import { SafetensorsFile, logSoftmaxRows, referenceLogits, writeTinyLlama, type LlamaWeights, type TinyLlamaModel } from '../../backends/onnx/index.js';
import type { Program } from '../../backends/programmatic/program.js';
import { createTransformersBackend } from '../../backends/transformers/index.js';
import type { LoadedGame } from '../../core/game-loader.js';
import type { PlayerState } from '../../core/rewards.js';
import { KeyRing } from '../../registry/keys.js';
import { loadPackagedGame, programBackend } from '../../test/helpers/live-episode.js';
import { byPrompt, contextsFor, recordedEpisode } from '../../test/helpers/reward-fixtures.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { logprobReward } from './logprob.js';
import { resolveReward } from './registry.js';
import { playerStates } from './states.js';

const dirs = tempDirs();
let root: string;
let tiny: TinyLlamaModel;
let weights: LlamaWeights;
let scorer: Backend;
let twentyQ: LoadedGame;
let programs: Map<string, Program>;
let state: PlayerState;

beforeAll(async () => {
  root = dirs.make();
  tiny = writeTinyLlama(join(root, 'tiny'), { seed: 5 });
  const f = SafetensorsFile.open(join(root, 'tiny', 'model.safetensors'));
  weights = new Map([...f.entries.keys()].map((k) => [k, f.readF32(k)]));
  scorer = await createTransformersBackend({ model_name: 'tiny', backend: 'transformers', huggingface_id: 'tiny' }, { keys: KeyRing.empty(), cacheDir: join(root, 'cache'), modelsDir: root });
  ({ loaded: twentyQ, programs } = await loadPackagedGame('20q'));
  const episode = await recordedEpisode(twentyQ, [programBackend('kb-greedy', programs), programBackend('kb-oracle', programs)], { experiment: 'all_words', gameId: 10 }); // Cat
  state = playerStates(episode, { role: 'Questioner' })[0] as PlayerState;
});
afterAll(async () => {
  await scorer.close();
  dirs.cleanup();
});

describe('logprob: λ·exp(mean log p(target | transcript)) under a scoring model', () => {
  it('λ times the geometric-mean probability', () => {
    expect(logprobReward([Math.log(0.5), Math.log(0.125)], 3)).toBeCloseTo(3 * 0.25, 12);
    expect(logprobReward([], 3)).toBeNull();
  });

  it('with the tiny local model: equals a log-softmax of independently computed logits', async () => {
    const ctx = contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], { scorer }, join(root, 'rewards'))(state);
    const { scores, details } = await resolveReward('logprob', twentyQ.module.rewards).score(state, ['Is it a pet?', 'Is it a cat?'], ctx);

    // the conversation the scorer saw: the Questioner's, then the candidate, then the game's next prompt (the answer)
    const messages = [...state.messages, { role: 'assistant', content: 'Is it a pet?' }, { role: 'user', content: 'Yes.\n\nAsk question 2 of 20.\n' }];
    const tok = await AutoTokenizer.from_pretrained(join(root, 'tiny'), { local_files_only: true });
    const prompt = tok.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string;
    const promptIds = tok.encode(prompt, { add_special_tokens: false });
    const targetIds = tok.encode('Is it a cat?', { add_special_tokens: false });
    const V = tiny.config.vocabSize;
    const lsm = logSoftmaxRows(referenceLogits(tiny.config, weights, [...promptIds, ...targetIds]), V);
    const logprobs = targetIds.map((id, i) => lsm[(promptIds.length + i - 1) * V + id] as number);
    const mean = logprobs.reduce((a, b) => a + b, 0) / logprobs.length;

    expect(details[0]).toMatchObject({ target: 'Is it a cat?', tokens: targetIds.length, context: 'Yes.\n\nAsk question 2 of 20.\n' });
    expect((details[0] as { mean_logprob: number }).mean_logprob).toBeCloseTo(mean, 3);
    expect(scores[0]).toBeCloseTo(3 * Math.exp(mean), 3);
    // naming the hidden word wins at once: probability 1, so λ
    expect(scores[1]).toBe(3);
    expect(details[1]).toMatchObject({ certain: 1 });
  });

  it('λ is configurable; a model without score() is refused by name', async () => {
    const ctx = contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], { scorer }, join(root, 'rewards'))(state);
    expect((await resolveReward('logprob', twentyQ.module.rewards, { lambda: 5 }).score(state, ['Is it a cat?'], ctx)).scores).toEqual([5]);
    const noScore = contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], { scorer: byPrompt('chat-only', () => 'x') }, join(root, 'rewards'))(state);
    await expect(resolveReward('logprob', twentyQ.module.rewards).score(state, ['Is it a pet?'], noScore)).rejects.toThrow(
      "logprob: the scoring model 'chat-only' cannot score continuations (its backend has no score())",
    );
  });
});
