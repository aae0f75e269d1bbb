import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomicAsync } from '../../base/atomic.js';
import type { RewardCache } from '../../core/rewards.js';
import { JsonValueSchema, type JsonValue } from '../../registry/json.js';
import { parseJsonFile } from '../../registry/parse.js';

/** One cache entry on disk: the key it answers (checked on read, so a hash collision is a miss) and the value. */
const CacheEntrySchema = z.strictObject({ key: JsonValueSchema, value: JsonValueSchema }).describe('A reward cache entry (clem-ts format; unknown keys refused).');

const SAFE_NAMESPACE = /^[a-z0-9][a-z0-9_.-]*$/;

/**
 * A {@link RewardCache} in `dir`: one JSON file per entry, `<namespace>/<hh>/<sha256 of the key>.json`, written
 * atomically, so concurrent writers and a killed run never leave a torn entry. Reads of a missing entry are
 * misses; a malformed entry is an error naming the file.
 */
export function diskRewardCache(dir: string): RewardCache {
  const fileOf = (namespace: string, key: JsonValue) => {
    if (!SAFE_NAMESPACE.test(namespace)) throw new Error(`reward cache: namespace '${namespace}' must be lower-case letters, digits, '.', '_' or '-'`);
    const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex');
    return join(dir, namespace, hash.slice(0, 2), `${hash}.json`);
  };
  return {
    async get(namespace, key) {
      const file = fileOf(namespace, key);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      const entry = parseJsonFile(CacheEntrySchema, file, text);
      return JSON.stringify(entry.key) === JSON.stringify(key) ? entry.value : undefined;
    },
    async set(namespace, key, value) {
      await writeJsonAtomicAsync(fileOf(namespace, key), { key, value });
    },
  };
}
