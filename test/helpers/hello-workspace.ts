import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../registry/package-root.js';
import { CLI } from './cli.js';

/** The fake host's reply to the hello game: greets the guest, or thanks the host. */
export function hostReply(messages: readonly { content: unknown }[]): string {
  const last = String(messages[messages.length - 1]?.content ?? '');
  if (last.includes('REPLY:')) return 'REPLY: Thank you for having me!';
  const name = /guest called (\S+) has/.exec(last)?.[1] ?? /^(\S+) said:/.exec(last)?.[1] ?? 'friend';
  return `GREET: Hello ${name}, welcome!`;
}

/**
 * A working folder for spawned-CLI tests: the packaged hello game (its compiled master) with `episodes`
 * instances, half in `one_round` (2 requests each), half in `two_rounds` (4 requests each), and a model
 * `fake-host` served at `baseURL` (test/fixtures/openai-server.ts). Returns the folder.
 */
export function helloWorkspace(baseURL: string, episodes: number, extraModel: Record<string, unknown> = {}): string {
  const root = packageRoot();
  const cwd = mkdtempSync(join(tmpdir(), 'clem-ts-hello-'));
  const game = join(cwd, 'hello');
  cpSync(join(root, 'games', 'hello', 'prompts'), join(game, 'prompts'), { recursive: true });
  cpSync(join(root, 'games', 'hello', 'clemgame.json'), join(game, 'clemgame.json'));
  // A game outside the package ships compiled code as master.js; this one reuses the packaged hello game's.
  writeFileSync(join(game, 'master.js'), `export { default } from ${JSON.stringify(join(root, 'dist', 'games', 'hello', 'master.js'))};\n`);
  const half = episodes / 2;
  const experiment = (name: string, rounds: number): Record<string, unknown> => ({
    name,
    rounds,
    game_instances: Array.from({ length: half }, (_, game_id) => ({ game_id, guest: `Guest${game_id}` })),
  });
  cpSync(join(root, 'games', 'hello', 'in'), join(game, 'in'), { recursive: true });
  writeFileSync(join(game, 'in', 'instances.json'), JSON.stringify({ experiments: [experiment('one_round', 1), experiment('two_rounds', 2)] }));
  writeFileSync(join(cwd, 'game_registry.json'), JSON.stringify([{ game_path: './hello' }]));
  writeFileSync(join(cwd, 'model_registry.json'), JSON.stringify([{ model_name: 'fake-host', backend: 'openai_compatible', model_id: 'fake', base_url: baseURL, ...extraModel }]));
  return cwd;
}

/** Requests the fake host answers for `episodes` hello episodes of helloWorkspace (each played once). */
export function helloRequests(episodes: number): number {
  return (episodes / 2) * 2 + (episodes / 2) * 4;
}

export interface SpawnedCli {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts the built CLI in `cwd` (stdin closed) with `env` on top of a minimal environment. */
export function spawnCli(cwd: string, args: readonly string[], env: Record<string, string> = {}): SpawnedCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: cwd, XDG_CONFIG_HOME: join(cwd, '.config'), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Every file under `dir` (absolute paths). */
export function walkFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walkFiles(p) : [p];
  });
}
