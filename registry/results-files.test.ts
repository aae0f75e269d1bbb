import { describe, expect, it } from 'vitest';
import { thrownMessage } from '../test/helpers/errors.js';
import { parseData } from './parse.js';
import {
  CompletedFileSchema,
  ErrorFileSchema,
  ExperimentFileSchema,
  RequestsFileSchema,
  requestsFileName,
  RunFileReadSchema,
  RunFileSchema,
} from './results-files.js';

const T = '2025-01-01T00:00:00.000Z';

describe('results files', () => {
  it('completed.json and error.json are strict', () => {
    expect(CompletedFileSchema.parse({ timestamp: T, outcome: 'lose' })).toEqual({ timestamp: T, outcome: 'lose' });
    expect(thrownMessage(() => parseData(CompletedFileSchema, 'completed.json', { timestamp: T, outcome: 'won' }))).toMatch(/^completed.json: outcome: /);
    const error = { timestamp: T, error: 'BackendError', message: 'm: HTTP 500', code: 'backend_error', stack: null };
    expect(ErrorFileSchema.parse(error)).toEqual(error);
    expect(ErrorFileSchema.safeParse({ ...error, extra: 1 }).success).toBe(false);
  });

  it('experiment.json keeps the experiment keys and refuses an unsafe name', () => {
    const file = { name: 'basic', rounds: 2, game_name: 'toy', timestamp: T, player_models: ['a', 'b'] };
    expect(ExperimentFileSchema.parse(file)).toEqual(file);
    expect(thrownMessage(() => parseData(ExperimentFileSchema, 'x/experiment.json', { ...file, name: '../up' }))).toBe(
      `x/experiment.json: name: experiment name "../up" contains a path separator (/ or \\); it names a folder in the results, so use letters, digits, '-', '_' or '.' inside the name`,
    );
  });

  it('requests files name the player as clemcore does', () => {
    expect(requestsFileName('Player 2')).toBe('player_2.requests.json');
    const log = {
      meta: { game_name: 'g', experiment_name: 'e', game_id: 0, player_name: 'Player 1', game_role: 'R', model_name: 'm', round_count: null, completed: false },
      calls: [{ round: 0, call: { timestamp: T, manipulated_prompt_obj: { a: 1 }, raw_response_obj: 'x' }, usage: { input_tokens: 1, output_tokens: 2 }, latency_ms: 3, cost_usd: null, warnings: [] }],
    };
    expect(RequestsFileSchema.parse(log)).toEqual(log);
  });

  it('run.json: written with workers; an older clem-ts current without workers still reads', () => {
    const current = {
      clem_version: '0.1.0', node_version: 'v20', command: null, seed: 0, started_at: T, ended_at: null, player_models: ['m'],
      gen_args: { temperature: null, max_tokens: null }, concurrency: 1, games: { g: { game_path: '/g', num_instances: 3 } },
    };
    const worker = { id: 'h~1~1', host: 'h', pid: 1, started_at: T, ended_at: null, concurrency: 1, played: null, errored: null, done_by_others: null, taken_over: null };
    expect(RunFileSchema.safeParse({ format_version: 1, current: { ...current, workers: [worker] }, history: [] }).success).toBe(true);
    expect(RunFileSchema.safeParse({ format_version: 1, current, history: [] }).success).toBe(false);
    expect(RunFileReadSchema.parse({ format_version: 1, current, history: [] }).current.workers).toEqual([]);
  });
});
