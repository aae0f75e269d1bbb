import { resolve } from 'node:path';
import type { Command } from 'commander';
import { folder } from './options.js';
import { rescore } from '../core/rescore.js';
import { linksNote } from '../core/results-store/index.js';

export function registerScore(program: Command): void {
  program
    .command('score')
    .description('Re-score recorded episodes (writes scores.json beside each interactions.json)')
    .option('-g, --game <game>', 'only this game: its name, or the game folder or .ts/.js file it was played from (scores with that code)')
    .option('-m, --model <model>', 'only episodes whose path contains this model name')
    .option('-r, --results-dir <dir>', 'results folder', folder, 'results')
    .action(async (opts: { game?: string; model?: string; resultsDir: string }) => {
      const summary = await rescore({
        resultsDir: resolve(opts.resultsDir),
        ...(opts.game !== undefined ? { game: opts.game } : {}),
        ...(opts.model !== undefined ? { model: opts.model } : {}),
      });
      process.stdout.write(`scored ${summary.scored} episode(s)${summary.failed.length ? `; ${summary.failed.length} could not be scored:` : ''}\n`);
      // One bad experiment.json fails every episode of its experiment the same way: said once, with the count.
      const lines = new Map<string, number>();
      for (const f of summary.failed) lines.set(`${f.file}: ${f.message}`, (lines.get(`${f.file}: ${f.message}`) ?? 0) + 1);
      for (const [line, n] of lines) process.stdout.write(`  ${line}${n > 1 ? ` (${n} episodes)` : ''}\n`);
      const links = linksNote(summary.links);
      if (links !== undefined) process.stderr.write(`note: ${links}\n`);
      if (summary.failed.length > 0) process.exitCode = 1;
    });
}
