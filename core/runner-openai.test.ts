import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readResults } from '../test/helpers/result-files.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { startOpenAIServer, type OpenAIServer, type ReplyContext } from '../test/fixtures/openai-server.js';
import { run } from './runner.js';

const KEY = 'sk-never-in-results-0123456789';

const tmp = tempDirs();
let server: OpenAIServer;

/** Plays hello by its rules from the prompt text alone, as a model would. */
function helloReply({ messages }: ReplyContext): string {
  const last = String(messages[messages.length - 1]?.content ?? '');
  const host = /A guest called (\w+)|Greet (\w+) once more/.exec(last);
  if (host) return `GREET: Hello ${host[1] ?? host[2]}!`;
  return 'REPLY: Thank you for having me.';
}

beforeEach(async () => {
  server = await startOpenAIServer({ reply: helloReply });
});
afterEach(async () => {
  await server.close();
  tmp.cleanup();
});

function allText(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((p) => (statSync(p).isDirectory() ? allText(p) : readFileSync(p, 'utf8')))
    .join('\n');
}

async function runFake(cwd: string, retryErrors = false, extra: { entry?: Record<string, unknown>; temperature?: number; maxTokens?: number } = {}) {
  writeFileSync(
    join(cwd, 'model_registry.json'),
    JSON.stringify([{ model_name: 'fake', backend: 'openai_compatible', model_id: 'served-model', base_url: server.baseURL, ...extra.entry }]),
  );
  return run({
    ...(extra.temperature !== undefined ? { temperature: extra.temperature } : {}),
    ...(extra.maxTokens !== undefined ? { maxTokens: extra.maxTokens } : {}),
    games: ['hello'],
    models: ['fake'],
    experiment: 'one_round',
    resultsDir: join(cwd, 'results'),
    cwd,
    env: { OPENAI_COMPATIBLE_API_KEY: KEY, HOME: cwd },
    backend: { retry: false },
    concurrency: 2,
    retryErrors,
  });
}

describe('run with a model behind an OpenAI-compatible server on loopback', () => {
  it('plays through the real backend, logs the raw calls, and writes the key nowhere', async () => {
    const cwd = tmp.make();
    const summary = await runFake(cwd);
    expect(summary.episodes.map((e) => e.status)).toEqual(['success', 'success', 'success', 'success', 'success']);
    expect(server.requests).toHaveLength(10);
    expect(server.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(server.requests[0]?.body).toMatchObject({ model: 'served-model', temperature: 0 });

    const results = readResults(join(cwd, 'results'));
    expect(results.get('fake/hello/one_round/instance_00000/player_1.requests.json')).toMatchObject({
      meta: { model_name: 'fake', completed: true },
      calls: [{ round: 0, usage: { input_tokens: expect.any(Number) as number, output_tokens: 3 }, call: { manipulated_prompt_obj: { model: 'served-model' } } }],
    });
    expect(allText(join(cwd, 'results'))).not.toContain(KEY);
  });

  it('-t and -l override the registry generation defaults, which fill in the rest', async () => {
    const cwd = tmp.make();
    await runFake(cwd, false, { entry: { generation: { temperature: 0.2, max_tokens: 99, top_p: 0.9 } }, temperature: 0.7, maxTokens: 50 });
    const body = server.requests[0]?.body ?? {};
    expect([body.temperature, body.top_p, body.max_tokens ?? body.max_completion_tokens]).toEqual([0.7, 0.9, 50]);
    const interactions = readResults(join(cwd, 'results')).get('fake/hello/one_round/instance_00000/interactions.json');
    expect(interactions).toMatchObject({ player_models: { '0': { gen_args: { temperature: 0.7, max_tokens: 50 } } } });

    const defaults = tmp.make();
    server.resetStats();
    await runFake(defaults, false, { entry: { generation: { temperature: 0.2, max_tokens: 99 } } });
    const body2 = server.requests[0]?.body ?? {};
    expect([body2.temperature, body2.max_tokens ?? body2.max_completion_tokens]).toEqual([0.2, 99]);
  });

  it('a server error errors that episode only, without the key; --retry-errors plays it once the server is back', async () => {
    const cwd = tmp.make();
    server.setFaults({ at: { 0: { kind: 'status', status: 500, message: 'upstream exploded' } } });
    const first = await runFake(cwd);
    expect(first.episodes.filter((e) => e.status === 'errored')).toHaveLength(1);
    expect(first.episodes.filter((e) => e.status === 'success')).toHaveLength(4);
    const errored = first.episodes.find((e) => e.status === 'errored');
    const error = JSON.parse(readFileSync(join(errored?.dir ?? '', 'error.json'), 'utf8')) as { code: string; message: string };
    expect(error.code).toBe('backend_error');
    expect(error.message).toMatch(/^fake: /);
    expect(error.message).toContain('500');
    expect(allText(join(cwd, 'results'))).not.toContain(KEY);

    const second = await runFake(cwd, true);
    expect(second.episodes.map((e) => e.status).sort()).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'success']);
  });
});
