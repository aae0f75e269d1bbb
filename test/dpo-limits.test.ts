import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../core/runner.js';
import { buildDpoData } from '../learners/datasets/dpo-data.js';
import { KeyRing } from '../registry/keys.js';
import { type OpenAIServer, startOpenAIServer } from './fixtures/openai-server.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * `learn dpo-data` calls the policy through the runner's wrappers: the registry entry's `max_concurrency` holds
 * however many states are in flight (-c), and a 429 with Retry-After is retried, not fatal. The policy is an
 * OpenAI-compatible server on 127.0.0.1 that answers slowly enough for unlimited requests to overlap.
 */
const QUESTIONS = ['Is it an animal?', 'Is it a fruit?', 'Is it made of metal?', 'Is it a vehicle?', 'Is it a tool?'];
const tmp = tempDirs('clem-dpo-limits-');
let cwd: string;
let server: OpenAIServer;

beforeAll(async () => {
  cwd = tmp.make();
  server = await startOpenAIServer({
    latencyMs: 20,
    reply: (ctx) => QUESTIONS[(Number(ctx.body.seed ?? 0) + ctx.choiceIndex) % QUESTIONS.length] as string,
  });
  const entry = (name: string, extra: object) => ({ model_name: name, backend: 'openai_compatible', base_url: server.baseURL, ...extra });
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([entry('one-at-a-time', { max_concurrency: 1 }), entry('unlimited', {})]));
  expect((await run({ games: ['20q'], models: ['random-kb'], resultsDir: join(cwd, 'results'), limit: 2, cwd, env: {}, keys: KeyRing.empty() })).played).toBe(2);
}, 60_000);
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

const build = (policy: string, out: string) =>
  buildDpoData({ resultsDir: join(cwd, 'results'), game: '20q', role: 'Questioner', policy, reward: 'eig', k: 2, maxStates: 8, concurrency: 4, output: join(cwd, out), cwd, env: {}, keys: KeyRing.empty() });

describe('dpo-data through the runner\'s wrappers', () => {
  it('the policy\'s max_concurrency holds with four states in flight; without it requests overlap', async () => {
    server.resetStats();
    const limited = await build('one-at-a-time', 'limited.jsonl');
    expect(limited.states).toBe(8);
    expect(server.maxInFlight()).toBe(1);
    server.resetStats();
    await build('unlimited', 'unlimited.jsonl');
    expect(server.maxInFlight()).toBeGreaterThan(1);
  });

  it('a 429 with Retry-After is retried and the run completes', async () => {
    server.resetStats();
    server.setFaults({ queue: [{ kind: 'status', status: 429, retryAfter: '0', message: 'slow down' }] });
    const s = await build('one-at-a-time', 'retried.jsonl');
    expect(s.states).toBe(8);
    expect(s.pairs + Object.values(s.skipped).reduce((a, b) => a + b, 0)).toBe(8);
    // one request per state (n = 2 in one call), and the one that was refused, sent again
    expect(server.requestCount()).toBe(8 + 1);
  });
});
