import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { ConfigError } from '../base/errors.js';
import { linksNote } from '../core/results-store/index.js';
import { compareModels, comparisonMarkdown, evaluate } from '../eval/index.js';
import { discoverGames, selectGames } from '../registry/game-registry.js';
import type { GameSpec } from '../registry/game-spec.js';
// Not report/index.js: it also carries the transcript renderer, which eval does not use (bench P4).
import { histogramsFromGameSpecs } from '../report/histograms.js';
import { writeReport } from '../report/report.js';
import { folder, parseNumber } from './options.js';

/** Extra per-game metrics declared in each game's clemgame.json (`eval_metrics`). */
function extraMetricsFromGames(games: readonly GameSpec[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of games) if (g.eval_metrics) out[g.game_name] = g.eval_metrics;
  return out;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('Compute the clemscore tables (raw.csv, results.csv, results.md, results.html) from scores.json files')
    .option('-r, --results-dir <dir>', 'results folder', folder, 'results')
    .option('--std', 'add Quality Score (std) columns')
    .addOption(new Option('--sort <by>', 'row order').choices(['model', 'model_name', 'clemscore']).default('model'))
    .option('-m, --model <names...>', 'only model folders containing one of these')
    .option('-g, --game <games...>', 'only these games')
    .option('--resamples <n>', 'bootstrap resamples for the 95% intervals (0: none)', parseNumber('int', 0), 1000)
    .option('--seed <s>', 'bootstrap seed', parseNumber('int'), 0)
    .option('--compare <models...>', 'paired comparison of two model folders on the same instances')
    .option('--no-html', 'skip results.html and index.html')
    .action(async (opts: {
      resultsDir: string; std?: boolean; sort: string; model?: string[]; game?: string[]; resamples: number; seed: number;
      compare?: string[]; html: boolean;
    }) => {
      const resultsDir = resolve(opts.resultsDir);
      // The game that wins each name (an earlier registry shadows a later one) declares its metrics and histograms.
      const games = selectGames('all', discoverGames());
      const bootstrap = opts.resamples > 0 ? { resamples: opts.resamples, seed: opts.seed } : undefined;
      // The comparison is computed first: a model name that matches nothing stops the command before it writes.
      let comparison: string | undefined;
      if (opts.compare) {
        if (opts.compare.length !== 2) throw new ConfigError(`--compare takes exactly two model folder names, got ${opts.compare.length}`);
        const [a, b] = opts.compare as [string, string];
        comparison = comparisonMarkdown(await compareModels({ resultsDir, a, b, ...(opts.game ? { games: opts.game } : {}), bootstrap: bootstrap ?? { seed: opts.seed } }));
      }
      const summary = await evaluate({
        resultsDir,
        std: opts.std === true,
        sort: opts.sort === 'clemscore' ? 'clemscore' : 'model',
        ...(opts.model ? { models: opts.model } : {}),
        ...(opts.game ? { games: opts.game } : {}),
        ...(bootstrap ? { bootstrap } : {}),
        extraMetrics: extraMetricsFromGames(games),
      });
      process.stdout.write(`evaluated ${summary.episodes} episode(s) of ${summary.models.length} model(s)\n`);
      for (const m of summary.models) process.stdout.write(`  ${m.model}: clemscore ${m.clemscore ?? 'n/a'}\n`);
      const errored = summary.erroredEpisodes.length;
      const links = linksNote(summary.results);
      if (links !== undefined) process.stderr.write(`note: ${links}\n`);
      if (errored > 0) process.stdout.write(`  ${errored} errored episode(s) counted apart (errors.csv; counts in results.md); clemcore would drop them silently\n`);
      if (opts.html) {
        // Transcripts are `transcribe`'s job; the index links each episode's transcript when it exists. An unfiltered
        // eval read every episode already: the pages reuse what it read.
        const everything = opts.model === undefined && opts.game === undefined;
        await writeReport({ resultsDir, summary, histograms: histogramsFromGameSpecs(games), transcripts: false, ...(everything ? { results: summary.results } : {}) });
        process.stdout.write(`wrote results.csv, raw.csv, results.md, results.html and index.html in ${resultsDir}\n`);
      } else {
        process.stdout.write(`wrote results.csv, raw.csv and results.md in ${resultsDir}\n`);
      }
      if (comparison !== undefined) process.stdout.write(`${comparison}\n`);
    });
}
