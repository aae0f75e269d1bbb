import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionsSchema } from '../registry/interactions.js';
import { startOpenAIServer, type OpenAIServer } from './fixtures/openai-server.js';
import { helloWorkspace, hostReply, spawnCli, walkFiles } from './helpers/hello-workspace.js';

const EPISODES = 40;
/**
 * A killed run leaves its claims on the episodes it was playing (up to 4 × -c since -c bounds requests); the next
 * run takes them over once stale. Runs here follow one another, so a short stale time is safe, and it keeps five
 * kills within the test's time (at the default 30 s, each run could wait that long on the one before).
 */
const FAST_STALE = { CLEM_TS_LOCK_STALE_MS: '2000' };
const EXPECTED_FILES = ['completed.json', 'instance.json', 'interactions.json', 'player_1.requests.json', 'player_2.requests.json', 'scores.json'];

describe('a run killed with SIGKILL at any moment resumes cleanly', () => {
  let server: OpenAIServer;
  let cwd: string;

  beforeAll(async () => {
    server = await startOpenAIServer({ latencyMs: 15, reply: ({ messages }) => hostReply(messages) });
    cwd = helloWorkspace(server.baseURL, EPISODES);
  });

  afterAll(async () => {
    await server.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('kills several times at different moments, then completes every episode exactly once', async () => {
    const args = ['run', '-g', 'hello', '-m', 'fake-host', '-c', '4', '-r', 'results'];
    // Each worker is killed once the server has answered this many requests in all (a run plays 120 when whole):
    // before its first episode ends, in the middle, and near the end.
    let killed = 0;
    for (const requests of [3, 20, 45, 70, 95]) {
      const { child, done } = spawnCli(cwd, args, FAST_STALE);
      await Promise.race([server.waitForRequests(requests), done]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        killed++;
      }
      await done;
    }
    expect(killed).toBeGreaterThan(0);

    const runFolder = join(cwd, 'results', 'fake-host', 'hello');
    const completedBefore = new Map<string, string>();
    if (existsSync(runFolder)) {
      for (const f of walkFiles(runFolder).filter((f) => f.endsWith('completed.json'))) completedBefore.set(f, readFileSync(f, 'utf8'));
    }

    const final = await spawnCli(cwd, args, FAST_STALE).done;
    expect(final.code, final.stdout + final.stderr).toBe(0);
    expect(final.stdout).toContain(`skipped ${completedBefore.size} already done; errored 0`);

    const files = walkFiles(join(cwd, 'results'));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of files.filter((f) => f.endsWith('.json'))) expect(() => JSON.parse(readFileSync(f, 'utf8')), f).not.toThrow();

    const episodeDirs = files.filter((f) => f.endsWith('instance.json')).map((f) => resolve(f, '..'));
    expect(episodeDirs).toHaveLength(EPISODES);
    for (const dir of episodeDirs) {
      expect(readdirSync(dir).sort(), dir).toEqual(EXPECTED_FILES);
      const interactions = InteractionsSchema.parse(JSON.parse(readFileSync(join(dir, 'interactions.json'), 'utf8')));
      expect(interactions.Success, dir).toBe(1);
      const rounds = dir.includes('two_rounds') ? 2 : 1;
      expect(interactions['Request Count'], dir).toEqual(Array(rounds).fill(2));
    }
    // Episodes completed before the final run were not played again.
    for (const [file, text] of completedBefore) expect(readFileSync(file, 'utf8'), file).toBe(text);
  });
});
