import { join } from 'node:path';
import type { z } from 'zod';
import { toStrictJson, writeFileAtomicAsync, type WriteIO } from '../../base/atomic.js';
import { describeError } from '../../base/errors.js';
import type { Redactor } from '../../base/redact.js';
import { InteractionsSchema } from '../../registry/interactions.js';
import { parseData } from '../../registry/parse.js';
import {
  CompletedFileSchema,
  ErrorFileSchema,
  type EpisodeOutcomeSchema,
  RequestsFileSchema,
  requestsFileName,
  type RequestsFile,
} from '../../registry/results-files.js';
import { GameInstanceSchema } from '../../registry/instances.js';
import { stringifyScores } from '../../registry/scores.js';
import { assertUnder, clearEpisodeDir } from './layout.js';

/** What every results-store writer shares: the results root, the redactor, and the file-system calls. */
export interface WriteContext {
  root: string;
  redactor: Redactor;
  io?: WriteIO;
}

/**
 * Writes a value as strict JSON to `file` under the results root: redacted (no key reaches a file), checked
 * against `schema` (nothing is written that cannot be read back; the error names the file and the field),
 * then written atomically. The value is written as given (key order kept), after the check.
 */
export async function writeResultsJson(ctx: WriteContext, file: string, schema: z.ZodType, value: unknown, options: { folderExists?: boolean } = {}): Promise<void> {
  assertUnder(ctx.root, file);
  const redacted = ctx.redactor.value(value);
  parseData(schema, file, redacted);
  await writeFileAtomicAsync(file, toStrictJson(redacted), { ...options, ...(ctx.io ? { io: ctx.io } : {}) });
}

/**
 * The files of one episode folder, written while the worker holds the episode's claim: instance.json first
 * (the folder exists from then on), then interactions.json, the requests logs and scores.json, and
 * completed.json last — or error.json when the attempt failed.
 */
export class EpisodeWriter {
  constructor(
    readonly dir: string,
    private readonly ctx: WriteContext,
    private readonly clock: () => Date,
  ) {
    assertUnder(ctx.root, dir);
  }

  private file(name: string): string {
    return join(this.dir, name);
  }

  /** Clears what an earlier attempt left (the claim guarantees no live writer there) and writes instance.json. */
  async startAttempt(instance: Record<string, unknown>): Promise<void> {
    clearEpisodeDir(this.dir);
    await writeResultsJson(this.ctx, this.file('instance.json'), GameInstanceSchema, instance);
  }

  async writeInteractions(interactions: unknown): Promise<void> {
    await writeResultsJson(this.ctx, this.file('interactions.json'), InteractionsSchema, interactions, { folderExists: true });
  }

  /** A player's requests log; `calls` as the player recorded them (checked against the schema here). */
  async writeRequestLog(log: { meta: RequestsFile['meta']; calls: readonly unknown[] }): Promise<void> {
    await writeResultsJson(this.ctx, this.file(requestsFileName(log.meta.player_name)), RequestsFileSchema, log, { folderExists: true });
  }

  async writeScores(scores: unknown): Promise<void> {
    const file = this.file('scores.json');
    const text = stringifyScores(file, this.ctx.redactor.value(scores));
    await writeFileAtomicAsync(file, text, { folderExists: true, ...(this.ctx.io ? { io: this.ctx.io } : {}) });
  }

  /** completed.json: the episode is done; a rerun skips it. */
  async writeCompleted(outcome: z.infer<typeof EpisodeOutcomeSchema>): Promise<void> {
    await writeResultsJson(this.ctx, this.file('completed.json'), CompletedFileSchema, { timestamp: this.clock().toISOString(), outcome }, { folderExists: true });
  }

  /** error.json: the attempt failed (the message and stack are redacted like every other file). */
  async writeError(error: unknown): Promise<void> {
    await writeResultsJson(this.ctx, this.file('error.json'), ErrorFileSchema, { timestamp: this.clock().toISOString(), ...describeError(error) });
  }
}
