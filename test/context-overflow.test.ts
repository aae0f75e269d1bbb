import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../core/runner.js';
import { readResults } from '../core/results-store/reader.js';
import { fakeTokens, startOpenAIServer, type OpenAIServer, type OpenAIServerOptions } from './fixtures/openai-server.js';
import { ErrorFileSchema } from '../registry/results-files.js';
import { cyclingQuestioner } from './helpers/questioner.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * A Questioner on an OpenAI-compatible server whose context is shorter than a 20q episode's history: the
 * server cuts the prompt silently (llama.cpp's default), refuses it (newer llama.cpp), or the registry says the
 * context is too small. Every such episode must be recorded as errored (error.json, code context_exceeded) and
 * counted by eval, never scored as the model's loss.
 */

const tmp = tempDirs();
let server: OpenAIServer;
afterEach(async () => {
  await server.close();
  tmp.cleanup();
});

async function play(serverOptions: OpenAIServerOptions, entry: Record<string, unknown> = {}) {
  server = await startOpenAIServer({ reply: cyclingQuestioner, ...serverOptions });
  const cwd = tmp.make();
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'llama-tiny', backend: 'openai_compatible', base_url: server.baseURL, ...entry }]));
  const resultsDir = join(cwd, 'results');
  const summary = await run({ games: ['20q'], models: ['llama-tiny'], experiment: 'one_per_category', limit: 2, resultsDir, cwd, env: { HOME: cwd } });
  return { summary, resultsDir };
}

function errorFiles(dirs: readonly string[]) {
  return dirs.map((dir) => {
    expect(existsSync(join(dir, 'completed.json'))).toBe(false);
    return ErrorFileSchema.parse(JSON.parse(readFileSync(join(dir, 'error.json'), 'utf8')));
  });
}

/** Prompt sizes in words ("tokens") the server received, in order. */
const promptSizes = (): number[] =>
  server.requests.map((r) => (r.body?.messages as { content: string }[]).reduce((n, m) => n + fakeTokens(m.content).length, 0));

describe('a prompt longer than the context', () => {
  it('is caught when the server truncates it silently (reported prompt tokens fall while the history grows)', async () => {
    const { summary, resultsDir } = await play({ context: { tokens: 160, overflow: 'truncate' } });
    expect([summary.played, summary.errored]).toEqual([0, 2]);
    for (const e of errorFiles(summary.episodes.map((x) => x.dir))) {
      expect([e.error, e.code]).toEqual(['ContextExceededError', 'context_exceeded']);
      expect(e.message).toMatch(/^llama-tiny: the prompt does not fit the model's context: the server reported \d+ prompt tokens after \d+ while the history grew from \d+ to \d+ messages: it truncated the prompt/);
    }
    // The results reader that eval uses sees both as errored, not as losses.
    const read = await readResults(resultsDir);
    expect(read.episodes.map((e) => e.status)).toEqual(['errored', 'errored']);
    // The calls up to the truncated one are in the requests log of the failed episode.
    const log = JSON.parse(readFileSync(join(summary.episodes[0]!.dir, 'player_1.requests.json'), 'utf8')) as { meta: { completed: boolean }; calls: unknown[] };
    expect(log.meta.completed).toBe(false);
    expect(log.calls.length).toBeGreaterThan(1);
  });

  it('is caught when the server refuses it (llama.cpp exceed_context_size_error), without retrying', async () => {
    const { summary } = await play({ context: { tokens: 160, overflow: 'refuse' } });
    expect(summary.errored).toBe(2);
    for (const e of errorFiles(summary.episodes.map((x) => x.dir))) {
      expect(e.code).toBe('context_exceeded');
      expect(e.message).toMatch(/the server refused it \(HTTP 400 from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: the request exceeds the available context size/);
    }
    // Each episode sent its overflowing prompt once: no retries of a request that cannot succeed.
    const sizes = promptSizes();
    expect(sizes.filter((n) => n > 160)).toHaveLength(2);
  });

  it("is caught before it is sent when the registry's context_size says it cannot fit", async () => {
    const { summary } = await play({}, { context_size: '160' });
    expect(summary.errored).toBe(2);
    for (const e of errorFiles(summary.episodes.map((x) => x.dir))) expect(e.message).toMatch(/prompt tokens, more than the context_size of 160 tokens in the model registry$/);
    expect(Math.max(...promptSizes())).toBeLessThanOrEqual(160);
  });

  it('leaves episodes that fit alone (the checks above can fail)', async () => {
    const { summary } = await play({ context: { tokens: 100_000, overflow: 'truncate' } }, { context_size: '128k' });
    expect([summary.played, summary.errored]).toEqual([2, 0]);
  });
});
