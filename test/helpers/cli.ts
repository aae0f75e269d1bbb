import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../registry/package-root.js';

/** The built CLI entry point (dist/cli/main.js); `npm test` builds it before vitest runs. */
export const CLI = join(packageRoot(), 'dist', 'cli', 'main.js');

export function cliIsBuilt(): boolean {
  return existsSync(CLI);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/cli/main.js ...args` in `cwd` with `input` on stdin (closed after it) and the given
 * environment on top of a minimal one (no keys from the caller's environment leak in).
 */
export function runCli(args: readonly string[], opts: { cwd: string; input?: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: opts.cwd, XDG_CONFIG_HOME: join(opts.cwd, '.config'), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
