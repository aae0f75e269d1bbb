import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../base/atomic.js';

/**
 * Checking a blob against its name: the hub names a file by its sha256 when it is stored with LFS (or Xet) and by
 * its git blob sha1 otherwise, and the cache names blobs by that ETag. A blob that does not hash to its name is
 * corrupt. Hashing a multi-GB file takes seconds, so a verified blob is stamped (size, mtime, inode) in clem-ts's
 * own cache and hashed again only when its file changed.
 */

export type HashKind = 'sha256' | 'git-sha1';

/** What the etag says about the content: its sha256, its git blob sha1, or nothing checkable. */
export function hashKindOf(etag: string): HashKind | undefined {
  if (/^[0-9a-f]{64}$/.test(etag)) return 'sha256';
  if (/^[0-9a-f]{40}$/.test(etag)) return 'git-sha1';
  return undefined;
}

/** The hex digest of a file: sha256, or git's blob sha1 (`sha1("blob <size>\0" + content)`). */
export async function hashFile(path: string, kind: HashKind): Promise<string> {
  const hash = createHash(kind === 'sha256' ? 'sha256' : 'sha1');
  if (kind === 'git-sha1') hash.update(`blob ${statSync(path).size}\0`);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const StampSchema = z.strictObject({ size: z.number(), mtimeMs: z.number(), ino: z.number() }).describe('clem-ts: a blob verified against its name, as it was then.');

/** A stamp that does not parse (a torn write) is no stamp: the blob is hashed again. */
function readJsonOrNull(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

function stampOf(path: string) {
  const st = statSync(path);
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
}

/**
 * Whether the blob at `path` holds what its `etag` names. Trusted without hashing when `stampDir` has a stamp of
 * the same file (size, mtime, inode); hashed otherwise, and stamped when it matches. An etag that names no hash
 * counts as verified when `expectedSize` (if given) matches.
 */
export async function isBlobValid(path: string, etag: string, stampDir: string, expectedSize?: number): Promise<boolean> {
  if (!existsSync(path)) return false;
  const now = stampOf(path);
  if (expectedSize !== undefined && now.size !== expectedSize) return false;
  const kind = hashKindOf(etag);
  if (!kind) return true;
  const stampPath = join(stampDir, etag);
  if (existsSync(stampPath)) {
    const saved = StampSchema.safeParse(readJsonOrNull(stampPath));
    if (saved.success && saved.data.size === now.size && saved.data.mtimeMs === now.mtimeMs && saved.data.ino === now.ino) return true;
  }
  if ((await hashFile(path, kind)) !== etag) return false;
  stampVerified(path, etag, stampDir);
  return true;
}

/** Records that the blob at `path` was verified as it is now. */
export function stampVerified(path: string, etag: string, stampDir: string): void {
  mkdirSync(stampDir, { recursive: true });
  writeFileAtomic(join(stampDir, etag), JSON.stringify(stampOf(path)));
}
