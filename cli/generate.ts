import type { Command } from 'commander';
import { generateInstances } from '../api/generate-instances.js';
import { parseNumber } from './options.js';

/** `generate`: option parsing and printing only; calls generateInstances (api/generate-instances.ts). */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description("Write a game's instances file from its seeded generator")
    .requiredOption('-g, --game <game>', 'game name, "all", a JSON selector, or a path to a game folder')
    .option('--seed <s>', 'generator seed', parseNumber('int'), 1)
    .option('-i, --instances <name>', 'file name in in/, without .json', 'instances')
    .option('-o, --out-dir <dir>', "write DIR/<game>/in/<name>.json instead of into the game's folder (needed for installed games)")
    .action(async (opts: { game: string; seed: number; instances: string; outDir?: string }) => {
      const generated = await generateInstances({
        games: [opts.game], seed: opts.seed, instances: opts.instances, onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
        ...(opts.outDir !== undefined ? { outDir: opts.outDir } : {}),
      });
      for (const g of generated) process.stdout.write(g.file ? `wrote ${g.file}\n` : `${g.game}: defined in code, no folder to write to\n`);
    });
}
