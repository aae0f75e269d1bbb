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
