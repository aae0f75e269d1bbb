import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionsSchema } from '../registry/interactions.js';
import { startOpenAIServer, type OpenAIServer } from './fixtures/openai-server.js';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const EPISODES = 40;
const EXPECTED_FILES = ['completed.json', 'instance.json', 'interactions.json', 'player_1.requests.json', 'player_2.requests.json', 'scores.json'];

function hostReply(messages: { content: unknown }[]): string {
  const last = String(messages[messages.length - 1]?.content ?? '');
  if (last.includes('REPLY:')) return 'REPLY: Thank you for having me!';
  const name = /guest called (\S+) has/.exec(last)?.[1] ?? /^(\S+) said:/.exec(last)?.[1] ?? 'friend';
  return `GREET: Hello ${name}, welcome!`;
}

function runCli(cwd: string, args: string[]): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((res) =>
    child.on('close', (code, signal) => res({ code, signal, out })),
  );
  return { child, done };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('a run killed with SIGKILL at any moment resumes cleanly', () => {
  let server: OpenAIServer;
  let cwd: string;

  beforeAll(async () => {
    server = await startOpenAIServer({ latencyMs: 15, reply: ({ messages }) => hostReply(messages) });
    cwd = mkdtempSync(join(tmpdir(), 'clem-crash-'));
    const game = join(cwd, 'hello');
    cpSync(join(root, 'games', 'hello', 'prompts'), join(game, 'prompts'), { recursive: true });
    cpSync(join(root, 'games', 'hello', 'clemgame.json'), join(game, 'clemgame.json'));
    // A game outside the package ships compiled code as master.js; this one reuses the packaged hello game's.
    writeFileSync(join(game, 'master.js'), `export { default } from ${JSON.stringify(join(root, 'dist', 'games', 'hello', 'master.js'))};\n`);
    const half = EPISODES / 2;
    const experiment = (name: string, rounds: number) => ({
      name,
      rounds,
      game_instances: Array.from({ length: half }, (_, game_id) => ({ game_id, guest: `Guest${game_id}` })),
    });
    cpSync(join(root, 'games', 'hello', 'in'), join(game, 'in'), { recursive: true });
    writeFileSync(join(game, 'in', 'instances.json'), JSON.stringify({ experiments: [experiment('one_round', 1), experiment('two_rounds', 2)] }));
    writeFileSync(join(cwd, 'game_registry.json'), JSON.stringify([{ game_path: './hello' }]));
    writeFileSync(
      join(cwd, 'model_registry.json'),
      JSON.stringify([{ model_name: 'fake-host', backend: 'openai_compatible', model_id: 'fake', base_url: server.baseURL }]),
    );
  });

  afterAll(async () => {
    await server.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('kills several times at different moments, then completes every episode exactly once', async () => {
    const args = ['run', '-g', 'hello', '-m', 'fake-host', '-c', '4', '-r', 'results'];
    const killedAt: number[] = [];
    for (const delayMs of [250, 450, 650, 900, 1200]) {
      const { child, done } = runCli(cwd, args);
      await new Promise((r) => setTimeout(r, delayMs));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        killedAt.push(delayMs);
      }
      await done;
    }
    expect(killedAt.length).toBeGreaterThan(0);

    const runFolder = join(cwd, 'results', 'fake-host', 'hello');
    const completedBefore = new Map<string, string>();
    if (existsSync(runFolder)) {
      for (const f of walk(runFolder).filter((f) => f.endsWith('completed.json'))) completedBefore.set(f, readFileSync(f, 'utf8'));
    }

    const final = await runCli(cwd, args).done;
    expect(final.code, final.out).toBe(0);
    expect(final.out).toContain(`skipped ${completedBefore.size} already done; errored 0`);

    const files = walk(join(cwd, 'results'));
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
