import { ClemError } from '../base/errors.js';

/** Known failures print their message only (it names the file, field or model); bugs print the stack. */
export function describeFailure(e: unknown): { message: string; exitCode: number } {
  if (e instanceof ClemError || (e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && 'issues' in e))
    return { message: e.message, exitCode: 2 };
  if (e instanceof Error) return { message: e.stack ?? e.message, exitCode: 1 };
  return { message: String(e), exitCode: 1 };
}
