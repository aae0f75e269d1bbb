import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../../base/atomic.js';
import { ConfigError } from '../../base/errors.js';
import { SafetensorsFile, type TensorToWrite } from '../../backends/onnx/index.js';
import { parseJsonFile } from '../../registry/parse.js';
import type { AdamWSlot } from './adamw.js';
import { writeSafetensorsAtomic } from './peft-output.js';

/**
 * `checkpoint/latest.json`: which tensor file holds the state after `step` optimizer steps. Written after
 * the tensor file, so a crash at any point leaves the previous consistent pair; the SHA-256 catches a torn file.
 */
export const CheckpointIndexSchema = z.strictObject({
  version: z.literal(1),
  step: z.number().int().nonnegative().describe('Optimizer steps completed.'),
  file: z.string().describe('Tensor file in the same folder: param./m./v. per trainable tensor, F32.'),
  sha256: z.string(),
  settingsSha256: z.string().describe('SHA-256 of train-settings.json the run was started with.'),
});
export type CheckpointIndex = z.infer<typeof CheckpointIndexSchema>;

/** A named optimizer slot (the trainable tensor and its AdamW moments). */
export interface NamedSlot extends AdamWSlot {
  name: string;
  shape: number[];
}

const INDEX = 'latest.json';

function f32(shape: number[], data: Float32Array): TensorToWrite {
  return { dtype: 'F32', shape, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/**
 * Saves parameters and AdamW moments after `step` steps into `dir` (step-numbered tensor file, then
 * latest.json, both atomic), and removes older tensor files.
 */
export function saveCheckpoint(dir: string, step: number, slots: readonly NamedSlot[], settingsSha256: string): void {
  mkdirSync(dir, { recursive: true });
  const tensors = new Map<string, TensorToWrite>();
  for (const s of slots) {
    tensors.set(`param.${s.name}`, f32(s.shape, s.param));
    tensors.set(`m.${s.name}`, f32(s.shape, s.m));
    tensors.set(`v.${s.name}`, f32(s.shape, s.v));
  }
  const file = `step-${String(step).padStart(7, '0')}.safetensors`;
  writeSafetensorsAtomic(join(dir, file), tensors, { format: 'clem-ts-checkpoint' });
  const sha256 = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
  writeJsonAtomic(join(dir, INDEX), { version: 1, step, file, sha256, settingsSha256 } satisfies CheckpointIndex);
  for (const f of readdirSync(dir)) if (f.startsWith('step-') && f !== file && f.endsWith('.safetensors')) rmSync(join(dir, f), { force: true });
}

/** The checkpoint index in `dir`, or null when there is none. Throws FileFormatError for a malformed one. */
export function readCheckpointIndex(dir: string): CheckpointIndex | null {
  const path = join(dir, INDEX);
  if (!existsSync(path)) return null;
  return parseJsonFile(CheckpointIndexSchema, path, readFileSync(path, 'utf8'));
}

/**
 * Restores parameters and moments into `slots` (in place) from the checkpoint `index` in `dir`. Throws
 * ConfigError when the file is torn (SHA-256 mismatch) or does not hold a tensor of the same shape for every slot.
 */
export function restoreCheckpoint(dir: string, index: CheckpointIndex, slots: readonly NamedSlot[]): void {
  const path = join(dir, index.file);
  const sha = existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'missing';
  if (sha !== index.sha256) throw new ConfigError(`${path}: does not match ${join(dir, INDEX)} (SHA-256 ${sha}); the checkpoint is damaged. Delete ${dir} to start over.`);
  const file = SafetensorsFile.open(path);
  for (const s of slots) {
    for (const [prefix, target] of [['param', s.param], ['m', s.m], ['v', s.v]] as const) {
      const name = `${prefix}.${s.name}`;
      const entry = file.entries.get(name);
      if (!entry || entry.shape.join(',') !== s.shape.join(',')) {
        throw new ConfigError(`${path}: no ${name} of shape [${s.shape.join(', ')}]; the checkpoint belongs to another model or adapter shape.`);
      }
      target.set(file.readF32(name).data);
    }
  }
}
