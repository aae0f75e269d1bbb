import type { Interval, ModelIntervals } from './bootstrap.js';
import type { ModelComparison } from './compare.js';
import { roundHalfEven } from './numeric.js';
import { csvText, floatCell } from './write.js';

/**
 * What clem-ts reports beyond clemcore's results.csv, as plain data (null = no value) and as files:
 * errors.csv, intervals.csv, extra.csv and results.md. results.csv itself stays clemcore's, column for column.
 */

export interface GameSummary {
  game: string;
  /** Episodes with scores.json (what clemcore counts). */
  episodes: number;
  /** Episode folders clemcore drops or that recorded a failure (error.json). */
  errored: number;
  played: number | null;
  quality: number | null;
  qualityStd: number | null;
}

export interface ModelSummary {
  model: string;
  clemscore: number | null;
  averagePlayed: number | null;
  averageQuality: number | null;
  games: GameSummary[];
}

export interface ErroredCount {
  model: string;
  game: string;
  /** Episodes with scores.json plus errored ones without. */
  episodes: number;
  errored: number;
  /** Of which: error.json present. */
  errorJson: number;
  /** Of which: instance.json but no scores.json and no error.json. */
  noScores: number;
}

export interface ExtraMetric {
  model: string;
  game: string;
  metric: string;
  /** Mean over episodes where the metric is a number; null when none is. */
  mean: number | null;
  /** Episodes where it is a number. */
  n: number;
}

function cell(x: number | null): string {
  return x === null ? '' : floatCell(x);
}

function fixed(x: number | null): string {
  return x === null ? '–' : x.toFixed(2);
}

function interval(i: Interval | undefined): string {
  if (i === undefined || i.low === null || i.high === null) return '–';
  return `[${i.low.toFixed(2)}, ${i.high.toFixed(2)}]`;
}

/** errors.csv: one row per (model, game) with its episode and errored counts. */
export function erroredCsv(counts: readonly ErroredCount[]): string {
  const rows = counts.map((c) => [c.model, c.game, String(c.episodes), String(c.errored), String(c.errorJson), String(c.noScores)]);
  return csvText([['model', 'game', 'episodes', 'errored', 'error_json', 'no_scores'], ...rows]);
}

/** intervals.csv: `model,game,metric,value,low,high` (game `all` for the clemscore), rounded as clemcore rounds. */
export function intervalsCsv(models: readonly ModelSummary[], intervals: readonly ModelIntervals[]): string {
  const round2 = (x: number | null): string => (x === null ? '' : floatCell(roundHalfEven(x)));
  const rows: string[][] = [['model', 'game', 'metric', 'value', 'low', 'high']];
  for (const iv of intervals) {
    const m = models.find((x) => x.model === iv.model);
    rows.push([iv.model, 'all', 'clemscore', cell(m?.clemscore ?? null), round2(iv.clemscore.low), round2(iv.clemscore.high)]);
    for (const g of iv.games) {
      const s = m?.games.find((x) => x.game === g.game);
      rows.push([iv.model, g.game, '% Played', cell(s?.played ?? null), round2(g.played.low), round2(g.played.high)]);
      rows.push([iv.model, g.game, 'Quality Score', cell(s?.quality ?? null), round2(g.quality.low), round2(g.quality.high)]);
    }
  }
  return csvText(rows);
}

/** extra.csv: game-specific episode metrics, mean per model and game. */
export function extraCsv(extra: readonly ExtraMetric[]): string {
  return csvText([['model', 'game', 'metric', 'mean', 'n'], ...extra.map((e) => [e.model, e.game, e.metric, cell(e.mean), String(e.n)])]);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(esc).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * results.md: the clemscore per model, a per-game table (with errored counts and, when computed, 95% intervals)
 * and the game-specific metrics. Same numbers as the CSV files, 2 decimals, `–` for none.
 */
export function resultsMarkdown(input: {
  models: readonly ModelSummary[];
  intervals?: readonly ModelIntervals[];
  extra: readonly ExtraMetric[];
  erroredTotal: number;
  level?: number;
}): string {
  const ivOf = (model: string): ModelIntervals | undefined => input.intervals?.find((i) => i.model === model);
  const ci = input.intervals !== undefined;
  const pct = `${Math.round((input.level ?? 0.95) * 100)}% CI`;
  const out: string[] = ['# Results', ''];
  out.push(
    table(
      ['model', 'clemscore', ...(ci ? [pct] : []), 'Average % Played', 'Average Quality Score'],
      input.models.map((m) => [m.model, fixed(m.clemscore), ...(ci ? [interval(ivOf(m.model)?.clemscore)] : []), fixed(m.averagePlayed), fixed(m.averageQuality)]),
    ),
    '',
    '## Per game',
    '',
  );
  const rows: string[][] = [];
  for (const m of input.models) {
    const iv = ivOf(m.model);
    for (const g of m.games) {
      const gi = iv?.games.find((x) => x.game === g.game);
      rows.push([
        m.model,
        g.game,
        String(g.episodes),
        String(g.errored),
        fixed(g.played),
        ...(ci ? [interval(gi?.played)] : []),
        fixed(g.quality),
        ...(ci ? [interval(gi?.quality)] : []),
        fixed(g.qualityStd),
      ]);
    }
  }
  out.push(
    table(['model', 'game', 'episodes', 'errored', '% Played', ...(ci ? [pct] : []), 'Quality Score', ...(ci ? [pct] : []), 'Quality Score (std)'], rows),
    '',
  );
  if (input.erroredTotal > 0) {
    out.push(`${input.erroredTotal} errored episode(s) are not in any average (clemcore drops them silently); see errors.csv.`, '');
  }
  if (input.extra.length > 0) {
    out.push('## Game-specific metrics', '', table(['model', 'game', 'metric', 'mean', 'n'], input.extra.map((e) => [e.model, e.game, e.metric, fixed(e.mean), String(e.n)])), '');
  }
  return `${out.join('\n')}\n`;
}

/** A paired comparison as markdown, for printing. */
export function comparisonMarkdown(c: ModelComparison): string {
  const d = (x: ModelComparison['clemscore']): string[] => [fixed(x.a), fixed(x.b), fixed(x.diff), interval(x.interval), x.probabilityAGreater === null ? '–' : x.probabilityAGreater.toFixed(3)];
  const header = ['', 'a', 'b', 'a − b', `${Math.round(c.level * 100)}% CI`, 'P(a > b)'];
  const rows = [['clemscore', ...d(c.clemscore)]];
  for (const g of c.games) {
    rows.push([`${g.game}, % Played (${g.pairedEpisodes} pairs)`, ...d(g.played)]);
    rows.push([`${g.game}, Quality Score`, ...d(g.quality)]);
  }
  const notes: string[] = [];
  if (c.gamesOnlyInA.length > 0) notes.push(`Only ${c.a} played: ${c.gamesOnlyInA.join(', ')}.`);
  if (c.gamesOnlyInB.length > 0) notes.push(`Only ${c.b} played: ${c.gamesOnlyInB.join(', ')}.`);
  const unpaired = c.games.reduce((s, g) => s + g.onlyInA + g.onlyInB, 0);
  if (unpaired > 0) notes.push(`${unpaired} episode(s) without a partner were left out.`);
  return `# ${c.a} (a) vs ${c.b} (b), paired on common episodes, ${c.resamples} resamples\n\n${table(header, rows)}\n${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}`;
}
