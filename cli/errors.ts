import { ClemError, describeSystemError } from '../base/errors.js';

/**
 * Known failures print their message only (it names the file, field or model): exit 2 for what the user must
 * fix (configuration, files), 1 for a file that could not be read or written (disk full, permissions) and
 * any other file-system error. Bugs print the stack.
 */
export function describeFailure(e: unknown): { message: string; exitCode: number } {
  if (e instanceof ClemError && e.code === 'interrupted') return { message: e.message, exitCode: 130 };
  if (e instanceof ClemError && (e.code === 'write_failed' || e.code === 'read_failed')) return { message: e.message, exitCode: 1 };
  const system = describeSystemError(e);
  if (system !== undefined) return { message: system, exitCode: 1 };
  if (e instanceof ClemError || (e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && 'issues' in e))
    return { message: e.message, exitCode: 2 };
  if (e instanceof Error) return { message: e.stack ?? e.message, exitCode: 1 };
  return { message: String(e), exitCode: 1 };
}
