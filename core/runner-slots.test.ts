import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyRing } from '../registry/keys.js';
import { startOpenAIServer, type OpenAIServer, type ReplyContext } from '../test/fixtures/openai-server.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { toyGate, writeToyGame } from '../test/helpers/toy-game.js';
import { run } from './runner.js';

const tmp = tempDirs();
let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  tmp.cleanup();
});

/** A working directory with the toy game and a model `gated` running the `toy/gate` program. */
function gatedCwd(): string {
  const cwd = tmp.make();
  writeToyGame(cwd);
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'gated', backend: 'programmatic', model_config: { program: 'toy/gate' } }]));
  return cwd;
}

function runGated(cwd: string, concurrency: number) {
  return run({ games: ['toy'], models: ['gated'], resultsDir: join(cwd, 'results'), cwd, env: {}, keys: KeyRing.empty(), concurrency });
}

describe('run -c: episodes in flight', () => {
  it('keeps 4 × -c episodes in flight, so a call waits whenever a request slot frees (programs hold no slot)', async () => {
    const cwd = gatedCwd();
    toyGate.reset();
    const running = runGated(cwd, 2);
    // All 4 toy episodes reach their first turn while none can finish: more episodes than -c are in flight.
    await vi.waitFor(() => expect(toyGate.waiting).toBe(4), { timeout: 20_000, interval: 20 });
    toyGate.open();
    const summary = await running;
    expect(summary.episodes.map((e) => e.status)).toEqual(['success', 'lose', 'aborted', 'success']);
  });

  it('plays one episode after another at -c 1', async () => {
    const cwd = gatedCwd();
    toyGate.reset(true);
    const summary = await runGated(cwd, 1);
    expect(summary.played).toBe(4);
    expect(toyGate.peak).toBe(1);
    // Each episode's turns arrive together, in plan order: no episode starts before the previous one ended.
    expect(toyGate.arrivals).toEqual(['basic/0', 'basic/0', 'basic/1', 'basic/1', 'basic/2', 'basic/2', 'second/7', 'second/7']);
  });
});

/** Plays hello by its rules from the prompt text alone, as a model would. */
function helloReply({ messages }: ReplyContext): string {
  const last = String(messages[messages.length - 1]?.content ?? '');
  const host = /A guest called (\w+)|Greet (\w+) once more/.exec(last);
  if (host) return `GREET: Hello ${host[1] ?? host[2]}!`;
  return 'REPLY: Thank you for having me.';
}

describe('run -c: model requests in flight across the run', () => {
  it('bounds the requests of all models together, with more episodes in flight', async () => {
    server = await startOpenAIServer({ reply: helloReply, latencyMs: 30 });
    const cwd = tmp.make();
    const entry = { backend: 'openai_compatible', model_id: 'served', base_url: server.baseURL };
    writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'host', ...entry }, { model_name: 'guest', ...entry }]));
    const summary = await run({
      games: ['hello'],
      models: ['host', 'guest'],
      experiment: 'one_round',
      resultsDir: join(cwd, 'results'),
      cwd,
      env: { HOME: cwd },
      keys: KeyRing.empty(),
      backend: { retry: false },
      concurrency: 2,
    });
    expect(summary.episodes.map((e) => e.status)).toEqual(Array(5).fill('success'));
    expect(server.requests).toHaveLength(10);
    expect(new Set(server.requests.map((r) => r.body?.model))).toEqual(new Set(['served']));
    expect(server.maxInFlight()).toBeLessThanOrEqual(2);
  });
});
