import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIServer, type OpenAIServer } from './fixtures/openai-server.js';
import { runCli } from './helpers/cli.js';
import { RequestsFileSchema } from '../registry/results-files.js';
import { cyclingQuestioner } from './helpers/questioner.js';
import { tempDirs } from './helpers/temp-dir.js';

/** `clem-ts run --cache DIR` twice: the second run makes no call and records every reply as a cache hit. */

const tmp = tempDirs();
let server: OpenAIServer;
afterEach(async () => {
  await server.close();
  tmp.cleanup();
});

describe('clem-ts run --cache', () => {
  it('replays a rerun from the cache at no cost, recording each hit with latency 0 and the original usage apart', async () => {
    server = await startOpenAIServer({ reply: cyclingQuestioner });
    const cwd = tmp.make();
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'questioner', backend: 'openai_compatible', base_url: server.baseURL }]));
    const args = ['run', '-g', '20q', '-m', 'questioner', '-e', 'one_per_category', '--limit', '2', '--cache', join(cwd, 'cache'), '--cache-expiry', '7d'];
    const first = await runCli([...args, '-r', 'first'], { cwd });
    expect(first.code).toBe(0);
    const calls = server.requestCount();
    expect(calls).toBeGreaterThan(2);

    const second = await runCli([...args, '-r', 'second'], { cwd });
    expect(second.code).toBe(0);
    expect(server.requestCount()).toBe(calls);
    const episode = (root: string) => join(cwd, root, 'questioner--kb-oracle', '20q', 'one_per_category', 'instance_00000', 'player_1.requests.json');
    const original = RequestsFileSchema.parse(JSON.parse(readFileSync(episode('first'), 'utf8'))).calls;
    const replayed = RequestsFileSchema.parse(JSON.parse(readFileSync(episode('second'), 'utf8'))).calls;
    expect(replayed.map((c) => c.call.raw_response_obj)).toEqual(original.map((c) => c.call.raw_response_obj));
    for (const [i, c] of replayed.entries()) {
      expect([c.latency_ms, c.usage, c.cost_usd]).toEqual([0, { input_tokens: 0, output_tokens: 0 }, 0]);
      expect(c.cache).toMatchObject({ hit: true, usage: original[i]!.usage, latency_ms: original[i]!.latency_ms });
    }
    expect(original.every((c) => c.cache === undefined)).toBe(true);
  });

  it('refuses an unreadable --cache-expiry', async () => {
    server = await startOpenAIServer();
    const r = await runCli(['run', '-g', '20q', '-m', 'mock', '--cache-expiry', 'soon'], { cwd: tmp.make() });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("option '--cache-expiry <duration>' argument 'soon' is invalid. expected a duration: 90 (seconds), 30m, 12h or 7d");
  });
});
