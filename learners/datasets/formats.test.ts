import { describe, expect, it } from 'vitest';
import { DpoRowSchema, OpenAIChatRowSchema, type PairMetadata, SftRowSchema } from './formats.js';

const metadata: PairMetadata = {
  game: '20q',
  experiment: 'all_words',
  game_id: 3,
  episode: 'm1--m2/20q/all_words/episode_3',
  role: 'Questioner',
  player: 'Player 1',
  model: 'm1',
  outcome: 'success',
  main_score: 80,
  instance_key: '{"target":"Apple"}',
  split: 'train',
  turn: 1,
  state_id: 'm1--m2/20q/all_words/episode_3#Player 1#1',
  reward: 'eig',
  policy: 'tiny',
  candidates: 4,
  scores: [0.5, 1, null, 0.25],
  recorded_reply: 'Is it a fruit?',
  ref_model: null,
};
const { turn: _t, state_id: _s, reward: _r, policy: _p, candidates: _c, scores: _sc, recorded_reply: _rr, ref_model: _rm, ...rowMetadata } = metadata;

describe('dataset formats', () => {
  it('accept TRL\'s conversational rows with our metadata', () => {
    expect(
      SftRowSchema.safeParse({
        messages: [
          { role: 'user', content: 'What color is the sky?' },
          { role: 'assistant', content: 'It is blue.' },
        ],
        metadata: rowMetadata,
      }).success,
    ).toBe(true);
    const pair = {
      prompt: [{ role: 'user', content: 'Ask.' }],
      chosen: [{ role: 'assistant', content: 'Is it alive?' }],
      rejected: [{ role: 'assistant', content: 'Is it Apple?' }],
      score_chosen: 1,
      score_rejected: 0.25,
      metadata,
    };
    expect(DpoRowSchema.safeParse(pair).success).toBe(true);
    expect(DpoRowSchema.safeParse({ ...pair, ref_chosen_logps: -3.5, ref_rejected_logps: -4 }).success).toBe(true);
  });

  it('refuse rows TRL would misread', () => {
    const pair = {
      prompt: [{ role: 'user', content: 'Ask.' }],
      chosen: [{ role: 'assistant', content: 'a' }],
      rejected: [{ role: 'assistant', content: 'b' }],
      score_chosen: 1,
      score_rejected: 0,
      metadata,
    };
    expect(DpoRowSchema.safeParse({ ...pair, chosen: 'a' }).success).toBe(false);
    expect(DpoRowSchema.safeParse({ ...pair, rejected: [{ role: 'user', content: 'b' }] }).success).toBe(false);
    expect(DpoRowSchema.safeParse({ ...pair, ref_chosen_logps: -1 }).success).toBe(false);
    expect(DpoRowSchema.safeParse({ ...pair, score_chosen: -1 }).success).toBe(false);
    expect(DpoRowSchema.safeParse({ ...pair, prompt: [...pair.prompt, { role: 'assistant', content: 'x' }] }).success).toBe(false);
    expect(SftRowSchema.safeParse({ messages: [{ role: 'tool', content: 'x' }, { role: 'assistant', content: 'y' }], metadata: rowMetadata }).success).toBe(false);
    expect(OpenAIChatRowSchema.safeParse({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }], metadata: rowMetadata }).success).toBe(false);
    expect(OpenAIChatRowSchema.safeParse({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y', weight: 0 }] }).success).toBe(true);
  });
});
