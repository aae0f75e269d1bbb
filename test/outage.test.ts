import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutageStatus } from '../backends/wrappers/index.js';
import { run } from '../core/runner.js';
import { startOpenAIServer, type OpenAIServer } from './fixtures/openai-server.js';
import { cyclingQuestioner } from './helpers/questioner.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * A 20q run whose Questioner's server crashes mid-run and is back 15 s later (on a fake clock that only the
 * wrappers' sleeps advance): the run must end with every episode played and none errored.
 */

const tmp = tempDirs();
let server: OpenAIServer;
afterEach(async () => {
  await server.close();
  tmp.cleanup();
});

async function runThroughOutage(outage: boolean) {
  let clock = 0;
  let upAt = Number.POSITIVE_INFINITY;
  server = await startOpenAIServer({
    reply: (ctx) => {
      if (ctx.requestIndex === 12) {
        // The server crashes while answering its 13th request and stays down for 15 s.
        upAt = clock + 15_000;
        void server.listener.stop();
      }
      return cyclingQuestioner(ctx);
    },
  });
  const sleep = async (ms: number): Promise<void> => {
    clock += ms;
    if (clock >= upAt) {
      upAt = Number.POSITIVE_INFINITY;
      await server.listener.restart();
    }
  };
  const cwd = tmp.make();
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'questioner', backend: 'openai_compatible', base_url: server.baseURL }]));
  const statuses: OutageStatus[] = [];
  const summary = await run({
    games: ['20q'],
    models: ['questioner'],
    experiment: 'one_per_category',
    limit: 6,
    concurrency: 3,
    // Three calls backing off at once: the fake clock is the sum of every sleep, so more sleepers would end the outage sooner.
    episodesInFlight: 3,
    resultsDir: join(cwd, 'results'),
    cwd,
    env: { HOME: cwd },
    backend: {
      retry: { sleep, random: () => 0.5 },
      outage: outage ? { sleep, now: () => clock } : false,
      onStatus: (s) => statuses.push(s),
    },
  });
  return { summary, statuses, clock };
}

describe('a server outage mid-run', () => {
  it('ends with 0 errored episodes: calls wait for the server and the run resumes when it is back', async () => {
    const { summary, statuses, clock } = await runThroughOutage(true);
    expect([summary.played, summary.errored]).toEqual([6, 0]);
    expect(clock).toBeGreaterThanOrEqual(15_000);
    expect(statuses[0]?.state).toBe('down');
    expect(statuses.at(-1)?.state).toBe('up');
  });

  it('errors episodes when calls do not wait (the check above can fail)', async () => {
    const { summary } = await runThroughOutage(false);
    expect(summary.errored).toBeGreaterThan(0);
  });
});
