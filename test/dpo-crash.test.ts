import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../core/runner.js';
import { KeyRing } from '../registry/keys.js';
import { CLI, cliIsBuilt, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * A `learn dpo-data` killed with SIGKILL in the middle, then run again, writes the same files as a run that was never
 * interrupted. The policy is an OpenAI-compatible server on 127.0.0.1 whose k choices depend only on the request's
 * seed; it can hold one request unanswered, so the kill lands at a known state (no sleeps, no timing).
 */
const QUESTIONS = ['Is it an animal?', 'Is it a fruit?', 'Is it made of metal?', 'Is it a vehicle?', 'Is it bigger than a car?', 'Is it a tool?', 'Is it red?'];
const tmp = tempDirs('clem-dpo-crash-');
let cwd: string;
let server: Server;
let requests = 0;
let holdAt = Number.POSITIVE_INFINITY;
let held: (() => void) | undefined;
let heldReached: (() => void) | undefined;

function answer(req: IncomingMessage, res: ServerResponse, raw: string): void {
  const body = JSON.parse(raw) as { n?: number; seed?: number; model: string };
  requests++;
  if (requests === holdAt) {
    // Never answered: the client waits until it is killed.
    held = () => res.destroy();
    heldReached?.();
    return;
  }
  const n = body.n ?? 1;
  const seed = body.seed ?? 0;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: `c${requests}`, object: 'chat.completion', created: 0, model: body.model,
      choices: Array.from({ length: n }, (_, i) => ({ index: i, message: { role: 'assistant', content: QUESTIONS[(seed + i * 3) % QUESTIONS.length] }, finish_reason: 'stop' })),
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    }),
  );
  void req;
}

beforeAll(async () => {
  cwd = tmp.make();
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (d: string) => (raw += d)).on('end', () => answer(req, res, raw));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'served-policy', backend: 'openai_compatible', base_url: `http://127.0.0.1:${port}/v1` }]));
  expect((await run({ games: ['20q'], models: ['random-kb'], resultsDir: join(cwd, 'results'), limit: 2, cwd, env: {}, keys: KeyRing.empty() })).played).toBe(2);
}, 60_000);
afterAll(async () => {
  held?.();
  server.close();
  await once(server, 'close');
  tmp.cleanup();
});

const args = (out: string) => ['learn', 'dpo-data', '-r', 'results', '-g', '20q', '--role', 'Questioner', '-m', 'served-policy', '--reward', 'eig', '-k', '4', '-c', '1', '--seed', '5', '--validation', '0.5', '-o', out];
/** States in the journal (its first line holds the run's settings). */
const journalLines = (out: string) => readFileSync(join(cwd, out.replace(/\.jsonl$/, '.journal.jsonl')), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('{"settings"')).length;

describe.skipIf(!cliIsBuilt())('learn dpo-data killed with SIGKILL', () => {
  it('resumes to the same files as an uninterrupted run', async () => {
    const whole = await runCli(args('whole/dpo.jsonl'), { cwd });
    expect(whole.code, whole.stderr).toBe(0);
    const states = journalLines('whole/dpo.jsonl');
    expect(states).toBeGreaterThan(10);

    // Kill the second run while the policy holds its 6th request: 5 states are journaled, the rest are not.
    requests = 0;
    holdAt = 6;
    const reached = new Promise<void>((resolve) => (heldReached = resolve));
    const child = spawn(process.execPath, [CLI, ...args('cut/dpo.jsonl')], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd }, stdio: 'ignore' });
    await reached;
    child.kill('SIGKILL');
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    held?.();
    expect(journalLines('cut/dpo.jsonl')).toBe(5);

    holdAt = Number.POSITIVE_INFINITY;
    requests = 0;
    const resumed = await runCli(args('cut/dpo.jsonl'), { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`dpo-data: ${states} state(s), 5 done in an earlier run`);
    // Only the states not done before asked the policy again.
    expect(requests).toBe(states - 5);
    for (const file of ['dpo.train.jsonl', 'dpo.validation.jsonl']) {
      expect(readFileSync(join(cwd, 'cut', file), 'utf8')).toBe(readFileSync(join(cwd, 'whole', file), 'utf8'));
    }
    expect(readFileSync(join(cwd, 'whole', 'dpo.train.jsonl'), 'utf8').length).toBeGreaterThan(0);
  }, 120_000);
});
