import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../base/errors.js';
import { loadModelRegistry, resolveModel } from '../../registry/model-registry.js';
import type { ModelSpec } from '../../registry/model-spec.js';

/** The model `--base` names, resolved the way the transformers backend resolves it. */
export interface BaseModel {
  /** What the user wrote. */
  selector: string;
  /** The registry entry, when --base named one. */
  spec: ModelSpec | null;
  /** Absolute path of the local model folder, or null when the base is only a hub id. */
  dir: string | null;
  /** What PEFT/TRL load the base from: the folder, or the hub id. */
  id: string;
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * Resolves `--base`: a model folder (absolute, or relative to `cwd`), the name of a registry entry
 * (./model_registry.json, then the packaged one) whose `huggingface_id` is such a folder or a hub id — the
 * same lookup `clem-ts run` does (folders relative to the working folder) — or a hub id `org/name`. Throws UnknownNameError with the
 * closest names for an unknown model, and ConfigError for an entry that names no model weights.
 */
export function resolveBaseModel(selector: string, cwd: string): BaseModel {
  const asPath = isAbsolute(selector) ? selector : resolve(cwd, selector);
  if (isDir(asPath)) return { selector, spec: null, dir: asPath, id: asPath };
  const registry = loadModelRegistry({ cwd });
  // A hub id (org/name) that is neither a folder nor a registry entry: TRL loads it; the built-in engine says what to download.
  if (HUB_ID.test(selector) && !registry.some((m) => m.model_name === selector)) return { selector, spec: null, dir: null, id: selector };
  const spec = resolveModel(selector, registry);
  const hf = spec.huggingface_id;
  if (hf === undefined || hf === '') {
    throw new ConfigError(`--base ${selector}: the registry entry (backend ${spec.backend}) has no huggingface_id; training needs a local model folder or a Hugging Face model.`);
  }
  if (spec.model_config?.peft_model !== undefined) {
    throw new ConfigError(`--base ${selector}: the entry already carries an adapter (model_config.peft_model); train on its base model instead.`);
  }
  const dir = isAbsolute(hf) ? hf : resolve(cwd, hf);
  return { selector, spec, dir: isDir(dir) ? dir : null, id: isDir(dir) ? dir : hf };
}

/** Throws ConfigError when the built-in engine cannot read the base (it needs the folder, not a hub id). */
export function requireLocalBase(base: BaseModel): string {
  if (base.dir === null) {
    throw new ConfigError(
      `--base ${base.selector}: '${base.id}' is not a local folder. The built-in engine reads the weights from disk: if it is a ` +
        `folder, check its path; if it is a hub id, download it (e.g. \`huggingface-cli download ${base.id} --local-dir ` +
        `models/<name>\`) and pass that folder, or use --engine trl.`,
    );
  }
  return base.dir;
}
