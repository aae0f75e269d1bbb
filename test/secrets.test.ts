import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maskKey } from '../registry/keys.js';
import { CLI, cliIsBuilt } from './helpers/cli.js';
import { helloWorkspace, hostReply, spawnCli, walkFiles } from './helpers/hello-workspace.js';
import { startOpenAIServer, type OpenAIServer } from './fixtures/openai-server.js';

/**
 * Secrets (issue 8): a server that echoes the API key inside a normal reply, and in an error, must not get
 * the key into any file under -r (interactions.json, requests logs, error.json, transcripts, eval tables) nor
 * onto stdout/stderr: everything clem-ts writes or prints passes through the redactor.
 */
const KEY = 'sk-test-echo-0123456789abcdefXYZ';
const EPISODES = 4;

let server: OpenAIServer;
const folders: string[] = [];

beforeAll(async () => {
  if (!cliIsBuilt()) throw new Error(`${CLI} is missing: run \`npm run build\``);
  server = await startOpenAIServer({
    // A chatty server: every reply quotes the Authorization header it received.
    reply: ({ messages, authorization }) => `${hostReply(messages)} (you sent ${authorization ?? 'nothing'})`,
  });
});
afterAll(() => server.close());
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function workspace(): string {
  const cwd = helloWorkspace(server.baseURL, EPISODES);
  folders.push(cwd);
  // The next request fails with an error body that quotes the key too.
  server.setFaults({ queue: [{ kind: 'status', status: 400, message: `invalid request from key ${KEY}` }] });
  return cwd;
}

/** Runs, transcribes and evaluates, and returns everything printed. */
async function runAll(cwd: string, env: Record<string, string>): Promise<string> {
  let printed = '';
  for (const args of [
    ['run', '-g', 'hello', '-m', 'fake-host', '-r', 'results'],
    ['transcribe', '-r', 'results'],
    ['eval', '-r', 'results'],
  ]) {
    const r = await spawnCli(cwd, args, env).done;
    printed += r.stdout + r.stderr;
  }
  return printed;
}

describe.each([
  ['the environment', (_cwd: string) => ({ OPENAI_COMPATIBLE_API_KEY: KEY })],
  ['key.json', (cwd: string) => (writeFileSync(join(cwd, 'key.json'), JSON.stringify({ openai_compatible: { api_key: KEY } })), {})],
])('a server that echoes the key loaded from %s', (_from, setKey) => {
  it('gets it into no file under -r and onto neither stdout nor stderr', async () => {
    const cwd = workspace();
    server.resetStats();
    const printed = await runAll(cwd, setKey(cwd));
    // The server did receive the key and echo it (so the test can fail) …
    expect(server.requests.some((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    const files = walkFiles(join(cwd, 'results'));
    const texts = files.map((f) => [f, readFileSync(f, 'utf8')] as const);
    expect(texts.some(([f, t]) => f.endsWith('interactions.json') && t.includes(`Bearer ${maskKey(KEY)}`))).toBe(true);
    expect(texts.some(([f]) => f.endsWith('error.json'))).toBe(true);
    expect(texts.some(([f]) => f.endsWith('transcript.html'))).toBe(true);
    // … and it is nowhere.
    expect(texts.filter(([, t]) => t.includes(KEY)).map(([f]) => f)).toEqual([]);
    expect(printed).not.toContain(KEY);
    expect(printed).toContain(maskKey(KEY));
  });
});

describe('a key pasted where a name goes', () => {
  it('is masked in the error that quotes it', async () => {
    const cwd = workspace();
    const r = await spawnCli(cwd, ['run', '-g', 'hello', '-m', KEY, '-r', 'results'], { OPENAI_COMPATIBLE_API_KEY: KEY }).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown model '${maskKey(KEY)}'`);
    expect(r.stderr + r.stdout).not.toContain(KEY);
  });
});

describe('a malformed key.json', () => {
  it('names the file and the field, never the value', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'key.json'), JSON.stringify({ openai_compatible: KEY }));
    const r = await spawnCli(cwd, ['run', '-g', 'hello', '-m', 'fake-host', '-r', 'results']).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`clem-ts: ${join(cwd, 'key.json')}: openai_compatible: expected object, got a string\n`);
    expect(r.stdout).toBe('');
  });
});

describe('a judge that echoes the key (learn rewards)', () => {
  it('gets it into no rewards file: every file clem-ts writes is redacted, not only the results store', async () => {
    const cwd = workspace();
    server.setFaults({});
    const env = { OPENAI_COMPATIBLE_API_KEY: KEY };
    expect((await spawnCli(cwd, ['run', '-g', '20q', '-m', 'kb-greedy', '--limit', '1', '-r', 'results'], env).done).code).toBe(0);
    server.resetStats();
    const r = await spawnCli(cwd, ['learn', 'rewards', '-g', '20q', '--reward', 'judge', '--judge', 'fake-host', '-r', 'results'], env).done;
    expect(r.code, r.stderr).toBe(0);
    // The judge was asked (with the key) and its unreadable verdicts, which quote the key, were kept …
    expect(server.requests.some((q) => q.authorization === `Bearer ${KEY}`)).toBe(true);
    const rewards = walkFiles(join(cwd, 'results')).filter((f) => f.endsWith('rewards.judge.json'));
    expect(rewards).toHaveLength(1);
    const text = readFileSync(rewards[0] as string, 'utf8');
    expect(text).toContain(`Bearer ${maskKey(KEY)}`);
    // … masked.
    expect(text).not.toContain(KEY);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });
});
