import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ModelScore, aggregateGames, clemTable } from './clemscore.js';
import { evaluate } from './evaluate.js';
import { resultsCsv } from './write.js';

/** Parity with real clemcore output; the fixtures and their provenance are in test/fixtures/clemcore/README.md. */

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/clemcore');
const run = path.join(fixtures, 'playpen-sft-initial');
const MODEL = 'llama3-8b-sft-t0.0';

/** One line of pandas CSV: fields may be quoted ("" is a quote) and then contain commas. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'clem-parity-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('clemcore 2.5.1 run (paulutsch/playpen sft-initial, 13 games, 134 episodes)', () => {
  it('reproduces its results.csv byte for byte from every episode’s Aborted and Main Score', async () => {
    const rows = (await readFile(path.join(run, 'episode-scores.csv'), 'utf8')).trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(134);
    for (const row of rows) {
      const [game, experiment, episode, aborted, main] = row.split(',') as [string, string, string, string, string];
      const dir = path.join(tmp, MODEL, game, experiment, episode);
      await mkdir(dir, { recursive: true });
      // Written as clemcore writes them: Python's bare NaN for an undefined Main Score.
      await writeFile(path.join(dir, 'scores.json'), `{"episode scores": {"Aborted": ${aborted}, "Main Score": ${main === '' ? 'NaN' : main}}}`);
    }
    const summary = await evaluate({ resultsDir: tmp, std: true });
    expect(await readFile(summary.files.results, 'utf8')).toBe(await readFile(path.join(run, 'results.csv'), 'utf8'));
    expect(summary.models[0]?.clemscore).toBe(33.86);
  });

  it('reproduces wordle_withcritic’s columns from the run’s real scores.json files', async () => {
    const summary = await evaluate({ resultsDir: run, outDir: path.join(tmp, 'out'), std: true, games: ['wordle_withcritic'] });
    const published = (await readFile(path.join(run, 'results.csv'), 'utf8')).trimEnd().split('\n');
    const header = csvFields(published[0] as string);
    const values = csvFields(published[1] as string);
    const cell = (col: string): number => Number(values[header.indexOf(col)]);
    const game = summary.models[0]?.games[0];
    expect(game?.game).toBe('wordle_withcritic');
    expect(game?.played).toBe(cell('wordle_withcritic, % Played'));
    expect(game?.quality).toBe(cell('wordle_withcritic, Quality Score'));
    expect(game?.qualityStd).toBe(cell('wordle_withcritic, Quality Score (std)'));
    expect([game?.played, game?.quality, game?.qualityStd]).toEqual([33.33, 75, 35.36]);
  });
});

describe('clemcore’s golden_results.csv (tests/fixtures/clemeval, 14 games)', () => {
  it('is reproduced byte for byte from its own per-game columns (averages, clemscore, column order)', async () => {
    const text = await readFile(path.join(fixtures, 'clemcore-golden_results.csv'), 'utf8');
    const [headerLine, rowLine] = text.trimEnd().split('\n') as [string, string];
    const header = csvFields(headerLine);
    const values = csvFields(rowLine);
    expect(values).toHaveLength(header.length);
    const num = (col: string): number => {
      const v = values[header.indexOf(col)] ?? '';
      return v === '' ? Number.NaN : Number(v);
    };
    const games = [...new Set(header.slice(1).map((c) => c.split(', ')[0] as string))].filter((g) => g !== '-' && g !== 'all');
    expect(games).toHaveLength(14);
    const perGame = games.map((game) => ({
      game,
      episodes: 0,
      played: num(`${game}, % Played`),
      quality: num(`${game}, Quality Score`),
      qualityStd: num(`${game}, Quality Score (std)`),
      hasPlayed: true,
      hasQuality: true,
    }));
    const model: ModelScore = { model: values[0] as string, ...aggregateGames(perGame), games: perGame };
    expect(model.clemscore).toBe(28.09);
    expect(resultsCsv(clemTable([model], { std: true }))).toBe(text);
  });
});
