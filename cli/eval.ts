import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { evaluateResults } from '../api/evaluate-results.js';
import { linksNote } from '../core/results-store/index.js';
import { folder, parseNumber } from './options.js';

/** `eval`: option parsing and printing only; calls evaluateResults (api/evaluate-results.ts). */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('Compute the clemscore tables (raw.csv, results.csv, results.md, results.html) from scores.json files')
    .option('-r, --results-dir <dir>', 'results folder', folder, 'results')
    .option('--std', 'add Quality Score (std) columns')
    .addOption(new Option('--sort <by>', 'row order: by model name, or by clemscore (highest first)').choices(['model', 'clemscore']).default('model'))
    .option('-m, --model <names...>', 'only model folders containing one of these')
    .option('-g, --game <games...>', 'only these games: names, or game folders or .ts/.js files (their metrics too)')
    .option('--resamples <n>', 'bootstrap resamples for the 95% intervals (0: none)', parseNumber('int', 0), 1000)
    .option('--seed <s>', 'bootstrap seed', parseNumber('int'), 0)
    .option('--compare <models...>', 'paired comparison of two model folders on the same instances')
    .option('--no-html', 'skip results.html and index.html')
    .action(async (opts: {
      resultsDir: string; std?: boolean; sort: 'model' | 'clemscore'; model?: string[]; game?: string[]; resamples: number; seed: number;
      compare?: string[]; html: boolean;
    }) => {
      const summary = await evaluateResults({
        resultsDir: opts.resultsDir,
        std: opts.std === true,
        sort: opts.sort,
        html: opts.html,
        bootstrap: { resamples: opts.resamples, seed: opts.seed },
        ...(opts.model ? { models: opts.model } : {}),
        ...(opts.game ? { games: opts.game } : {}),
        ...(opts.compare ? { compare: opts.compare as [string, string] } : {}),
      });
      process.stdout.write(`evaluated ${summary.episodes} episode(s) of ${summary.models.length} model(s)\n`);
      for (const m of summary.models) process.stdout.write(`  ${m.model}: clemscore ${m.clemscore ?? 'n/a'}\n`);
      const errored = summary.erroredEpisodes.length;
      const links = linksNote(summary.results);
      if (links !== undefined) process.stderr.write(`note: ${links}\n`);
      if (errored > 0) process.stdout.write(`  ${errored} errored episode(s) counted apart (errors.csv; counts in results.md); clemcore would drop them silently\n`);
      const where = resolve(opts.resultsDir);
      process.stdout.write(opts.html ? `wrote results.csv, raw.csv, results.md, results.html and index.html in ${where}\n` : `wrote results.csv, raw.csv and results.md in ${where}\n`);
      if (summary.comparison) process.stdout.write(`${summary.comparison.markdown}\n`);
    });
}
