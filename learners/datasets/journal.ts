import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../base/atomic.js';
import { ConfigError, FileFormatError } from '../../base/errors.js';
import { redactedForWrite } from '../../base/redact.js';
import { formatIssues } from '../../registry/parse.js';
import { type JsonValue, JsonValueSchema } from '../../registry/json.js';
import { DpoRowSchema } from './formats.js';
import { jsonLine } from './jsonl.js';

/**
 * The dpo-data journal: one line per state done, appended (and synced) as each state finishes, so a killed run
 * loses at most the states in flight and a rerun skips every state in the journal. The finished dataset is made
 * from the journal alone, in state order, so a resumed run writes the same files as an uninterrupted one.
 */
export const JournalEntrySchema = z
  .strictObject({
    state_id: z.string(),
    /** The pair, before the train/validation split is known (metadata.split is set when the dataset is written). */
    pair: DpoRowSchema.nullable(),
    /** Why there is no pair (all candidates unscored, the gap below the minimum, one distinct candidate). */
    skipped: z.string().nullable(),
    scores: z.array(z.number().nullable()),
    /** Seconds the state took (sampling, scoring, reference), for the summary's time per pair. */
    seconds: z.number().nonnegative(),
  })
  .describe('One state of a dpo-data run: its pair or why it gave none.');
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

/** The journal's first line: what the states were done with; a rerun with other settings is refused. */
export const JournalSettingsSchema = z.strictObject({ settings: z.record(z.string(), JsonValueSchema) }).describe('The settings of the run that began the journal.');
export type JournalSettings = Record<string, JsonValue>;

export interface Journal {
  /** The settings line, or undefined for an empty (or new) journal. */
  settings: JournalSettings | undefined;
  entries: Map<string, JournalEntry>;
}

/**
 * Reads the journal. Every entry is appended as one whole line ending in a newline, so text after the last newline
 * is a line a crash cut short: it is dropped (and cut from the file, so appends go on after whole lines). Any
 * other bad line throws FileFormatError naming it.
 */
export function readJournal(file: string): Journal {
  const journal: Journal = { settings: undefined, entries: new Map() };
  if (!existsSync(file)) return journal;
  const text = readFileSync(file, 'utf8');
  const whole = text.slice(0, text.lastIndexOf('\n') + 1);
  whole.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (e) {
      throw new FileFormatError(`${file} (line ${i + 1})`, [`not valid JSON: ${(e as Error).message}. Delete the line (that state is done again) or the file (all are).`]);
    }
    if (i === 0 && typeof data === 'object' && data !== null && 'settings' in data) {
      const parsed = JournalSettingsSchema.safeParse(data);
      if (!parsed.success) throw new FileFormatError(`${file} (line 1)`, formatIssues(parsed.error, data));
      journal.settings = parsed.data.settings;
      return;
    }
    const parsed = JournalEntrySchema.safeParse(data);
    if (!parsed.success) throw new FileFormatError(`${file} (line ${i + 1})`, formatIssues(parsed.error, data));
    journal.entries.set(parsed.data.state_id, parsed.data);
  });
  if (whole.length < text.length) writeFileAtomic(file, whole);
  return journal;
}

/**
 * Opens the journal for a run with `settings`: a new (or empty) journal gets them as its first line; an existing
 * one must have been begun with the same settings, else ConfigError says which differ and what to do.
 */
export function openJournal(file: string, settings: JournalSettings): Map<string, JournalEntry> {
  const journal = readJournal(file);
  if (journal.settings === undefined && journal.entries.size === 0) {
    writeFileAtomic(file, jsonLine({ settings }));
    return journal.entries;
  }
  const before = journal.settings ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(settings)])].sort();
  const differ = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(settings[k]));
  if (differ.length > 0) {
    const show = (v: JsonValue | undefined) => (v === undefined ? 'unset' : JSON.stringify(v));
    throw new ConfigError(
      `${file} holds states done with other settings (${differ.map((k) => `${k}: ${show(before[k])} then, ${show(settings[k])} now`).join('; ')}). ` +
        'Run with the same settings to resume, or write to another -o FILE (or delete the journal to start over).',
    );
  }
  return journal.entries;
}

/** Appends one entry as a whole line and syncs it to disk before returning. */
export function appendJournal(file: string, entry: JournalEntry): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  try {
    // Appended, not written atomically: redacted here as base/atomic.ts redacts what it writes.
    writeSync(fd, redactedForWrite(jsonLine(JournalEntrySchema.parse(entry))));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
