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

/** A commander option parser that accepts one of `choices`. */
export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return value as T;
  };
}
