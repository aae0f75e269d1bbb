import type { Command } from 'commander';
import { ConfigError } from '../base/errors.js';
import { newGame } from '../api/new-game.js';

/** `new game NAME`: option parsing and printing only; calls newGame (api/new-game.ts). */
export function registerNew(program: Command): void {
  program
    .command('new')
    .description('Write a new game folder that plays at once (clemgame.json, master.ts, instances, prompts, README, test)')
    .argument('<kind>', 'game')
    .argument('<name>', 'the game name (folder and game_name)')
    .option('--no-register', 'do not add the folder to ./game_registry.json')
    .action(async (kind: string, name: string, opts: { register: boolean }) => {
      if (kind !== 'game') throw new ConfigError(`unknown kind '${kind}': only 'game' can be created (clem-ts new game NAME)`);
      const r = await newGame({ name, register: opts.register });
      process.stdout.write(`wrote ${r.files.length} files in ${r.folder}${r.registry ? ` and listed it in ${r.registry}` : ''}\n`);
      process.stdout.write(`play it:  npx clem-ts run -g ${name} -m mock\ntest it:  npx vitest run ${name}   (npm install -D vitest first)\n`);
    });
}
