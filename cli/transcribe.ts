import { resolve } from 'node:path';
import type { Command } from 'commander';
import { folder } from './options.js';
import { linksNote } from '../core/results-store/index.js';
import { writeReport } from '../report/index.js';

export function registerTranscribe(program: Command): void {
  program
    .command('transcribe')
    .description('Write transcript.html beside every interactions.json, and index.html at the results root')
    .option('-g, --game <game>', 'only episodes of this game')
    .option('-r, --results-dir <dir>', 'results folder', folder, 'results')
    .action(async (opts: { game?: string; resultsDir: string }) => {
      const resultsDir = resolve(opts.resultsDir);
      const files = await writeReport({ resultsDir, ...(opts.game !== undefined ? { game: opts.game } : {}) });
      const t = files.transcripts ?? { written: 0, files: [], failed: [] };
      process.stdout.write(`wrote ${t.written} transcript(s) and ${files.index}\n`);
      for (const f of t.failed) process.stdout.write(`  could not transcribe ${f.file}: ${f.message}\n`);
      const links = files.transcripts === undefined ? undefined : linksNote(files.transcripts.read);
      if (links !== undefined) process.stderr.write(`note: ${links}\n`);
      if (t.failed.length > 0) process.exitCode = 1;
    });
}
