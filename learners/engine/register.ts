import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../base/errors.js';
import { ModelRegistryFileSchema, registerModel } from '../../registry/model-registry.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import { parseJsonFile } from '../../registry/parse.js';
import { unsafeNameReason } from '../../registry/safe-name.js';
import type { BaseModel } from './base-model.js';

/** What training produced: a PEFT adapter on the base, or a whole model folder (--full). */
export type TrainedOutput = { kind: 'adapter'; dir: string } | { kind: 'model'; dir: string };

/**
 * Adds (or replaces) `name` in `<cwd>/model_registry.json`, as `clem-ts register model` does, so that
 * `clem-ts run -m NAME` plays the trained model through the transformers backend: for an adapter,
 * `huggingface_id` is the base and `model_config.peft_model` the adapter (the backend's merge path); for a
 * full fine-tune, `huggingface_id` is the new folder. The base entry's chat and generation settings are kept.
 * Paths are absolute. Returns the entry as stored.
 */
export function registerTrainedModel(name: string, base: BaseModel, output: TrainedOutput, cwd: string): ModelSpec {
  const inherited = base.spec?.model_config ?? {};
  const { peft_model: _p, ...modelConfig } = inherited;
  const values: Record<string, unknown> = {
    backend: 'transformers',
    huggingface_id: output.kind === 'adapter' ? base.id : output.dir,
    model_config: { ...modelConfig, ...(output.kind === 'adapter' ? { peft_model: output.dir } : {}) },
  };
  if (base.spec?.generation !== undefined) values.generation = base.spec.generation;
  if (base.spec?.context_size !== undefined) values.context_size = base.spec.context_size;
  return registerModel(name, values, { cwd, reset: true });
}

/**
 * Checks before training that `registerTrainedModel(name, …)` can succeed, so a long run does not end in a
 * refused registration: the name is a safe model name, it is not the base's own entry (which it would
 * replace), and `<cwd>/model_registry.json`, when there is one, parses. Throws ConfigError or FileFormatError.
 */
export function checkRegistration(name: string, base: BaseModel, cwd: string): void {
  const reason = unsafeNameReason(name);
  if (reason !== undefined) throw new ConfigError(`--register ${JSON.stringify(name)}: the name ${reason}; use letters, digits, '-', '_' or '.'.`);
  if (name === base.spec?.model_name || name === base.selector) {
    throw new ConfigError(`--register ${name}: that is the base model's own name; registering the trained model under it would replace the base entry. Choose another name.`);
  }
  const file = join(cwd, 'model_registry.json');
  if (existsSync(file)) parseJsonFile(ModelRegistryFileSchema, file, readFileSync(file, 'utf8'));
}
