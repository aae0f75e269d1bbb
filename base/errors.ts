/**
 * Failures (not outcomes): one base class with a literal `code`, so callers branch on data rather than on
 * `instanceof` (which breaks when two copies of a module are loaded, e.g. source and compiled game code).
 */
export abstract class ClemError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A file that does not parse or does not match its schema. `issues` are `json.path: expected …, got …`. */
export class FileFormatError extends ClemError {
  readonly code = 'file_format';
  constructor(
    readonly file: string,
    readonly issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${issues.join(`\n${file}: `)}`, options);
  }
}

/** A name (game, model, backend, experiment) that is not known; the message lists the closest names. */
export class UnknownNameError extends ClemError {
  readonly code = 'unknown_name';
  constructor(
    readonly kind: string,
    readonly requested: string,
    readonly closest: readonly string[],
    hint?: string,
  ) {
    const close = closest.length > 0 ? ` Did you mean: ${closest.join(', ')}?` : '';
    super(`unknown ${kind} '${requested}'.${close}${hint ? ` ${hint}` : ''}`);
  }
}

/** A configuration that cannot work (missing key, missing weights, wrong option). Says what to do next. */
export class ConfigError extends ClemError {
  readonly code = 'config';
}

/** What the common I/O error codes mean, for one-line messages. */
const IO_CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a path component is not a folder',
  EISDIR: 'a folder is in the way',
  EEXIST: 'a file is in the way',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
};

/** The cause of an I/O failure in a few words: `no space left on device (ENOSPC)`, or the error's message. */
export function describeIoCause(cause: unknown): string {
  const code = cause instanceof Error ? (cause as NodeJS.ErrnoException).code : undefined;
  if (typeof code === 'string' && IO_CAUSES[code]) return `${IO_CAUSES[code]} (${code})`;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * A file that could not be written (disk full, no permission, a short write…). The message is one line naming
 * the file and the cause; the previous file, if any, was left as it was. `cause` keeps the original error.
 */
export class WriteError extends ClemError {
  readonly code = 'write_failed';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot write ${file}: ${describeIoCause(cause)}; the previous file (if any) is unchanged`, { cause });
  }
}

/** A file that exists but could not be read (permissions, a file where a folder should be…). One line. */
export class ReadError extends ClemError {
  readonly code = 'read_failed';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot read ${file}: ${describeIoCause(cause)}`, { cause });
  }
}

/**
 * A file-system error as Node throws it (`code`, `syscall`, `path`), e.g. from a results folder in an odd
 * state, as one line: `cannot mkdir /r/x: permission denied (EACCES)`; undefined for other errors.
 */
export function describeSystemError(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, syscall, path } = e as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  return `cannot ${syscall}${typeof path === 'string' ? ` ${path}` : ''}: ${describeIoCause(e)}`;
}

/** The user stopped the command (Ctrl-C, SIGTERM). What was finished is kept; rerunning resumes. */
export class Interrupted extends ClemError {
  readonly code = 'interrupted';
  constructor(signal: string) {
    super(`interrupted by ${signal}: finished episodes are kept; run the same command again to resume`);
  }
}

/** A model call that failed after the retries a wrapper allowed. Never contains the API key. */
export class BackendError extends ClemError {
  readonly code = 'backend_error';
  constructor(
    readonly model: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(`${model}: ${message}`, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}

/**
 * Outcome errors, thrown inside a game's hooks and turned into an outcome by the game master; they never
 * escape an episode. `ParseError`: the reply breaks the protocol (episode aborted). `RuleViolation`: the
 * reply is well-formed but breaks a game rule (episode lost).
 */
abstract class OutcomeError extends Error {
  abstract readonly code: 'parse_error' | 'rule_violation';
  constructor(
    readonly reason: string,
    readonly reply?: string,
  ) {
    super(reason);
    this.name = new.target.name;
  }
}

export class ParseError extends OutcomeError {
  readonly code = 'parse_error';
}

export class RuleViolation extends OutcomeError {
  readonly code = 'rule_violation';
}

export function hasCode<C extends string>(e: unknown, code: C): e is Error & { code: C } {
  return e instanceof Error && (e as { code?: unknown }).code === code;
}

/** Serialisable view of any thrown value, for error.json. */
export function describeError(e: unknown): { error: string; message: string; code: string | null; stack: string | null } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { error: e.name, message: e.message, code: typeof code === 'string' ? code : null, stack: e.stack ?? null };
  }
  return { error: 'NonError', message: String(e), code: null, stack: null };
}
