import type { Command } from 'commander';
import { transcribeResults } from '../api/transcribe-results.js';
import { linksNote } from '../core/results-store/index.js';
import { folder } from './options.js';

/** `transcribe`: option parsing and printing only; calls transcribeResults (api/transcribe-results.ts). */
export function registerTranscribe(program: Command): void {
  program
    .command('transcribe')
    .description('Write transcript.html beside every interactions.json, and index.html at the results root')
    .option('-g, --game <game>', 'only episodes of this game: its name, or the game folder or .ts/.js file it was played from')
    .option('-r, --results-dir <dir>', 'results folder', folder, 'results')
    .action(async (opts: { game?: string; resultsDir: string }) => {
      const { transcripts: t, index } = await transcribeResults({ resultsDir: opts.resultsDir, ...(opts.game !== undefined ? { game: opts.game } : {}) });
      process.stdout.write(`wrote ${t.written} transcript(s) and ${index}\n`);
      for (const f of t.failed) process.stdout.write(`  could not transcribe ${f.file}: ${f.message}\n`);
      const links = linksNote(t.read);
      if (links !== undefined) process.stderr.write(`note: ${links}\n`);
      if (t.failed.length > 0) process.exitCode = 1;
    });
}
