import { InvalidArgumentError } from 'commander';

/** A commander option parser for an integer or a number, at least `min` when given. */
export function parseNumber(kind: 'int' | 'float', min?: number) {
  return (value: string): number => {
    const n = kind === 'int' ? Number.parseInt(value, 10) : Number.parseFloat(value);
    if (!Number.isFinite(n) || (kind === 'int' && String(n) !== value.trim()) || (min !== undefined && n < min))
      throw new InvalidArgumentError(`expected ${kind === 'int' ? 'an integer' : 'a number'}${min !== undefined ? ` ≥ ${min}` : ''}`);
    return n;
  };
}

/**
 * Commander collector of KEY=VALUE options (`--role-model Answerer=gpt-4o-mini`): strings. Options using it give no
 * default (commander would print `(default: {})` in --help): the first call gets `previous` undefined.
 */
export function keyValues(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new InvalidArgumentError('expected KEY=VALUE');
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1).trim() };
}

/** Commander collector of KEY=VALUE options whose value is read as JSON when it parses (numbers, objects), else kept as a string. */
export function jsonKeyValues(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const [key, raw] = Object.entries(keyValues(value, {}))[0] as [string, string];
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // not JSON: a plain string ("realised")
  }
  return { ...previous, [key]: parsed };
}

/** A commander option parser that accepts one of `choices`. */
export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return value as T;
  };
}

/**
 * A commander option parser for a folder: refuses an empty name (`-r "$UNSET"` would otherwise name the current
 * folder, and results would be written or read there).
 */
export function folder(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a folder name, got an empty one');
  return value;
}
