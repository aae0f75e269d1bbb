import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { writeFileAtomic } from '../../base/atomic.js';

/**
 * The Hugging Face cache layout, shared with Python's huggingface_hub (file_download.py), so a model either
 * downloaded is found by the other:
 *
 * ```
 * <cache>/models--<org>--<name>/
 *   blobs/<etag>                  file contents, named by their sha256 (LFS) or git blob sha1
 *   blobs/<etag>.incomplete       a download in progress (resumed from its size)
 *   refs/<revision>               the commit a branch or tag pointed to when last resolved
 *   snapshots/<commit>/<path>     relative symlinks into blobs/
 *   .no_exist/<commit>/<path>     empty files: this optional file is known not to exist at that commit
 * ```
 */
export class RepoCache {
  /** `models--org--name`: the repository's folder in the cache. */
  readonly folderName: string;
  readonly dir: string;

  constructor(
    readonly cacheDir: string,
    readonly repo: string,
  ) {
    this.folderName = `models--${repo.split('/').join('--')}`;
    this.dir = join(cacheDir, this.folderName);
  }

  blobPath(etag: string): string {
    return join(this.dir, 'blobs', etag);
  }

  snapshotDir(commit: string): string {
    return join(this.dir, 'snapshots', commit);
  }

  snapshotPath(commit: string, path: string): string {
    return join(this.snapshotDir(commit), ...path.split('/'));
  }

  /** The commit `revision` points to in the cache: the revision itself when it is a commit hash, else refs/<revision>. */
  resolveRevision(revision: string): string | undefined {
    if (/^[0-9a-f]{40}$/.test(revision)) return revision;
    const ref = join(this.dir, 'refs', ...revision.split('/'));
    return existsSync(ref) ? readFileSync(ref, 'utf8').trim() || undefined : undefined;
  }

  /** Records that `revision` (a branch or tag) points to `commit`. */
  writeRef(revision: string, commit: string): void {
    if (revision === commit) return;
    const ref = join(this.dir, 'refs', ...revision.split('/'));
    mkdirSync(dirname(ref), { recursive: true });
    writeFileAtomic(ref, commit);
  }

  /** Puts `path` of `commit` in the snapshot as a relative symlink to its blob (a copy where symlinks are refused). */
  linkSnapshot(commit: string, path: string, etag: string): void {
    const link = this.snapshotPath(commit, path);
    const blob = this.blobPath(etag);
    mkdirSync(dirname(link), { recursive: true });
    rmSync(link, { force: true });
    try {
      symlinkSync(relative(dirname(link), blob), link);
    } catch {
      // Windows without developer mode: huggingface_hub copies too (see its are_symlinks_supported).
      copyFileSync(blob, link);
    }
  }

  /** Marks optional files of `commit` as absent (`.no_exist`), so a later run need not ask the hub again. */
  markAbsent(commit: string, paths: readonly string[]): void {
    for (const path of paths) {
      const marker = join(this.dir, '.no_exist', commit, ...path.split('/'));
      mkdirSync(dirname(marker), { recursive: true });
      writeFileSync(marker, '');
    }
  }

  /** Whether `path` is known to be absent at `commit`. */
  isKnownAbsent(commit: string, path: string): boolean {
    return existsSync(join(this.dir, '.no_exist', commit, ...path.split('/')));
  }

  /**
   * The files of the snapshot of `commit` whose blob is present (a dangling link, left by a removed blob, does
   * not count), as repository paths with `/`, sorted.
   */
  listSnapshot(commit: string): string[] {
    const root = this.snapshotDir(commit);
    if (!existsSync(root)) return [];
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        const st = lstatSync(full);
        if (st.isDirectory()) walk(full);
        else if (existsSync(full) && statSync(full).isFile()) out.push(relative(root, full).split(sep).join('/'));
      }
    };
    walk(root);
    return out.sort();
  }
}
