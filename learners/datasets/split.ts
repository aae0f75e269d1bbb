import { hashSeed } from '../../base/rng.js';
import { ConfigError } from '../../base/errors.js';
import type { JsonValue } from '../../registry/json.js';

export type Split = 'train' | 'validation';

/** JSON with object keys sorted, so equal values give equal text whatever the key order in the file. */
function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What makes two episodes "the same task" for the train/validation split: the instance without its `game_id`
 * (20q: target, variants and category, so one word is one key across experiments), or one instance field when
 * `splitBy` names it. Throws ConfigError when `splitBy` names a field the instance lacks.
 */
export function instanceKey(instance: Readonly<Record<string, JsonValue>>, splitBy?: string): string {
  if (splitBy !== undefined) {
    if (!(splitBy in instance)) throw new ConfigError(`--split-by ${splitBy}: the instance has no field '${splitBy}' (it has ${Object.keys(instance).join(', ') || 'none'})`);
    return canonicalJson(instance[splitBy]);
  }
  const { game_id: _gameId, ...rest } = instance;
  return canonicalJson(rest);
}

/**
 * Assigns whole groups (instance keys) to train or validation: the groups are ordered by a hash of the seed and
 * the key, and the first round(fraction × groups) go to validation (at least one when there are two groups or
 * more and the fraction is above 0; never all of them). The same keys and seed give the same split; a key keeps
 * its side as long as the number of validation groups does not shrink.
 */
export function splitGroups(keys: Iterable<string>, validationFraction: number, seed: number): Map<string, Split> {
  if (!(validationFraction >= 0 && validationFraction < 1)) throw new ConfigError(`the validation fraction must be in [0, 1), got ${validationFraction}`);
  const distinct = [...new Set(keys)];
  const ordered = distinct
    .map((key) => ({ key, h: hashSeed('split', seed, key) }))
    .sort((a, b) => a.h - b.h || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let n = Math.round(validationFraction * distinct.length);
  if (validationFraction > 0 && distinct.length >= 2) n = Math.min(Math.max(n, 1), distinct.length - 1);
  return new Map(ordered.map(({ key }, i) => [key, i < n ? 'validation' : 'train']));
}
