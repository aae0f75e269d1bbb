import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../../base/errors.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { BackendDeps } from '../deps.js';
import { downloadForBackend, isHubId } from '../hub/index.js';
import { chooseGguf } from './gguf-files.js';

/** Files under `dir` as `/`-separated relative paths. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

function localPath(id: string, modelsDir: string | undefined): string | undefined {
  const candidates = isAbsolute(id) ? [id] : [modelsDir === undefined ? undefined : resolve(modelsDir, id), id.startsWith('.') ? resolve(id) : undefined];
  return candidates.find((c): c is string => c !== undefined && existsSync(c));
}

/**
 * The GGUF file to load for `id`: a local `.gguf` file; a local folder, choosing with `filename` (clemcore's glob);
 * or a hub repository, downloading only the chosen file (every part of a split model) at `revision` into the
 * Hugging Face cache. Returns the path of the file to load (the first part of a split model). Throws ConfigError
 * saying what matched and what to set, and the hub's errors (gated, not found, offline) as they are.
 */
export async function locateGguf(spec: ModelSpec, id: string, pattern: string | undefined, revision: string | undefined, deps: BackendDeps, what = 'model'): Promise<string> {
  const local = localPath(id, deps.modelsDir);
  if (local !== undefined && statSync(local).isFile()) return local;
  if (local !== undefined) {
    const choice = chooseGguf(listFiles(local), pattern, `${spec.model_name}: ${what} folder '${local}'`);
    if (typeof choice === 'string') throw new ConfigError(choice);
    return join(local, ...choice.main.split('/'));
  }
  if (isAbsolute(id) || id.startsWith('.') || !isHubId(id)) {
    const where = deps.modelsDir === undefined ? '' : ` (looked in ${deps.modelsDir})`;
    throw new ConfigError(`${spec.model_name}: ${what} '${id}' not found${where}. Point it at a .gguf file, a folder of them, or a Hugging Face hub id with model_config.filename.`);
  }
  const snapshot = await downloadForBackend(deps, id, revision, (paths) => {
    const choice = chooseGguf(paths, pattern, 'the repository');
    return typeof choice === 'string' ? choice : { files: choice.files };
  });
  const choice = chooseGguf(snapshot.files, pattern, id);
  if (typeof choice === 'string') throw new ConfigError(`${spec.model_name}: ${choice}`);
  return join(snapshot.dir, ...choice.main.split('/'));
}
