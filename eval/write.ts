import { AtomicFileWriter, type WriteIO } from '../base/atomic.js';
import type { ScoreValue } from '../registry/scores.js';
import type { EpisodeRef } from './refs.js';
import type { ClemTable } from './clemscore.js';
import { METRIC_ABORTED, METRIC_PLAYED, toNumber } from './episodes.js';
import { pythonFloatRepr } from './numeric.js';

/**
 * CSV files in pandas' `to_csv` dialect (what clemcore writes): unnamed index column first, `\n` line ends,
 * quotes only where needed, floats as Python's repr (`100.0`), NaN as an empty cell.
 */

/** A cell of a float column: Python repr, NaN empty. */
export function floatCell(x: number): string {
  return pythonFloatRepr(x);
}

/**
 * A cell of raw.csv's object-typed `value` column as pandas writes it. clemcore keeps Python's int/float distinction
 * (`1` vs `1.0`), which JSON.parse erases: integral numbers are written as integers here, so cells are numerically
 * equal to clemcore's but not always textually (`100` for `100.0`).
 */
export function rawValueCell(value: ScoreValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** results.csv text: clemcore's layout (header with an empty index name, one row per model). */
export function resultsCsv(table: ClemTable): string {
  const rows: string[][] = [['', ...table.columns]];
  for (const row of table.rows) rows.push([row.model, ...row.values.map(floatCell)]);
  return csvText(rows);
}

const NEEDS_QUOTES = /[",\n\r]/;

/**
 * One CSV line as csv-stringify (and pandas' QUOTE_MINIMAL) writes it: a field is quoted only if it holds a comma,
 * a quote or a line break, quotes doubled. Used for raw.csv, where csv-stringify itself took ~1 µs per row
 * (1.2M rows for 100k episodes, bench P4); a test checks both agree.
 */
export function csvLine(fields: readonly string[]): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as string;
    if (i > 0) out += ',';
    out += NEEDS_QUOTES.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
  }
  return `${out}\n`;
}

/**
 * CSV text of `rows`, one {@link csvLine} each: what csv-stringify writes (a test checks both agree), without loading
 * it — its ESM build costs eval ~8–15 ms of a 350 ms command (bench P4), for tables of a few rows.
 */
export function csvText(rows: readonly (readonly string[])[]): string {
  return rows.map(csvLine).join('');
}

/** One field as csvLine writes it. */
function csvField(f: string): string {
  return NEEDS_QUOTES.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
}

interface PlayedRow {
  /** `game,model,experiment,episode,` of the episode, as written. */
  place: string;
  value: string;
}

/** Bytes gathered before a write: large enough to keep write calls few, small enough to stream 100k episodes. */
const FLUSH_CHARS = 1 << 20;

/**
 * Streams raw.csv (`,game,model,experiment,episode,metric,value`): every episode score in file order, then, as
 * clemcore appends them, one `Played` row per episode that logged Aborted. Written through base/atomic.ts's
 * AtomicFileWriter (every byte before the rename; `finish` puts it in place, `abort` removes the temporary file; a
 * failed write throws WriteError naming raw.csv and leaves the previous one). Rows are built as csvLine builds
 * them, with each episode's place and each metric name quoted once (bench P4: 1.2M rows for 100k episodes).
 */
export class RawCsvWriter {
  private index = 0;
  private readonly played: PlayedRow[] = [];
  private pending = '';
  private readonly metricCells = new Map<string, string>();
  // `game,model,experiment,` of the last episode: episodes come sorted, so runs of them share it.
  private lastPlace: { game: string; model: string; experiment: string; cells: string } | undefined;

  private constructor(private readonly writer: AtomicFileWriter) {}

  static async open(file: string, options: { io?: WriteIO; folderExists?: boolean } = {}): Promise<RawCsvWriter> {
    const writer = new RawCsvWriter(await AtomicFileWriter.open(file, options));
    writer.pending = csvLine(['', 'game', 'model', 'experiment', 'episode', 'metric', 'value']);
    return writer;
  }

  private metricCell(metric: string): string {
    let cell = this.metricCells.get(metric);
    if (cell === undefined) {
      cell = csvField(metric);
      this.metricCells.set(metric, cell);
    }
    return cell;
  }

  private placeCells(ref: EpisodeRef): string {
    const last = this.lastPlace;
    if (last !== undefined && last.game === ref.game && last.model === ref.model && last.experiment === ref.experiment) return last.cells;
    const cells = `${csvField(ref.game)},${csvField(ref.model)},${csvField(ref.experiment)},`;
    this.lastPlace = { game: ref.game, model: ref.model, experiment: ref.experiment, cells };
    return cells;
  }

  /** Adds one episode's rows; call in output order. */
  async add(ref: EpisodeRef, episodeScores: Readonly<Record<string, ScoreValue>>): Promise<void> {
    const place = `${this.placeCells(ref)}${csvField(ref.episode)},`;
    let rows = '';
    for (const metric in episodeScores) {
      if (!Object.hasOwn(episodeScores, metric)) continue;
      const value = episodeScores[metric];
      // A number's cell never needs quotes; only text goes through the quoting test.
      const cell = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : pythonFloatRepr(value)) : csvField(rawValueCell(value));
      rows += `${this.index++},${place}${this.metricCell(metric)},${cell}\n`;
    }
    this.pending += rows;
    if (Object.hasOwn(episodeScores, METRIC_ABORTED)) {
      const aborted = episodeScores[METRIC_ABORTED];
      const played = 1 - toNumber(aborted);
      const integral = typeof aborted === 'boolean' || (typeof aborted === 'number' && Number.isInteger(aborted));
      this.played.push({ place, value: Number.isNaN(played) ? '' : integral ? String(played) : pythonFloatRepr(played) });
    }
    if (this.pending.length >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    await this.writer.write(text);
  }

  /** Appends the Played rows and puts the file in place. Returns the number of data rows. */
  async finish(): Promise<number> {
    const playedCell = this.metricCell(METRIC_PLAYED);
    for (const { place, value } of this.played) {
      this.pending += `${this.index++},${place}${playedCell},${value}\n`;
      if (this.pending.length >= FLUSH_CHARS) await this.flush();
    }
    await this.flush();
    await this.writer.commit();
    return this.index;
  }

  /** Removes the temporary file; the previous raw.csv stays. */
  async abort(): Promise<void> {
    await this.writer.abort();
  }
}
