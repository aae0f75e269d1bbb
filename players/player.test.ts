import { describe, expect, it } from 'vitest';
import type { Backend, GenerateResult } from '../backends/backend.js';
import { rejectionMessage } from '../test/helpers/errors.js';
import { fixedClock, scriptedBackend } from '../test/helpers/scripted-backend.js';
import { Player } from './player.js';

const episode = { gameName: 'g', experimentName: 'e', gameId: 0, instance: { game_id: 0 } };

describe('Player', () => {
  it('keeps its own history and records each call for the requests log', async () => {
    const backend = scriptedBackend('m', ['first', 'second']);
    const player = new Player('Player 1', 'Asker', backend, { temperature: 0.5, maxTokens: 20 }, episode, fixedClock(Date.UTC(2025, 0, 1)));
    expect(player.modelName).toBe('m');
    expect((await player.respond('hello?', 0)).text).toBe('first');
    expect((await player.respond('again?', 1)).text).toBe('second');
    expect(player.history).toEqual([
      { role: 'user', content: 'hello?' },
      { role: 'assistant', content: 'first' },
      { role: 'user', content: 'again?' },
      { role: 'assistant', content: 'second' },
    ]);
    expect(backend.requests[1]).toEqual({
      messages: player.history.slice(0, 3),
      args: { temperature: 0.5, maxTokens: 20 },
      episode: { ...episode, role: 'Asker', playerName: 'Player 1' },
    });
    expect(player.toRequestsLog()).toEqual([
      {
        round: 0,
        call: { timestamp: '2025-01-01T00:00:00.000Z', manipulated_prompt_obj: { last: 'hello?' }, raw_response_obj: { text: 'first' } },
        usage: { input_tokens: 0, output_tokens: 0 },
        latency_ms: 0,
        cost_usd: null,
        warnings: [],
      },
      {
        round: 1,
        call: { timestamp: '2025-01-01T00:00:00.001Z', manipulated_prompt_obj: { last: 'again?' }, raw_response_obj: { text: 'second' } },
        usage: { input_tokens: 0, output_tokens: 0 },
        latency_ms: 0,
        cost_usd: null,
        warnings: [],
      },
    ]);
  });

  it('refuses a result without a choice, naming the model', async () => {
    const empty: Backend = {
      name: 'empty-model',
      capabilities: { score: false, logprobs: false, n: false, seed: false, batching: false },
      generate: async (): Promise<GenerateResult> => ({ choices: [], usage: { inputTokens: 1, outputTokens: 0 }, latencyMs: 1, call: { request: null, response: null }, warnings: [] }),
      close: async () => {},
    };
    const player = new Player('Player 1', 'A', empty, {}, episode, fixedClock());
    expect(await rejectionMessage(player.respond('x', 0))).toBe('empty-model: the backend returned no choice');
    expect(player.calls).toEqual([]);
  });
});
