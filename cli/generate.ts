import { join } from 'node:path';
import type { Command } from 'commander';
import { writeJsonAtomic } from '../base/atomic.js';
import { ConfigError } from '../base/errors.js';
import { loadGame } from '../core/game-loader.js';
import { discoverGames, selectGames } from '../registry/game-registry.js';
import { InstancesFileSchema } from '../registry/instances.js';
import { parseData } from '../registry/parse.js';
import { parseNumber } from './options.js';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description("Write a game's instances file from its seeded generator")
    .requiredOption('-g, --game <game>', 'game name')
    .option('--seed <s>', 'generator seed', parseNumber('int'), 1)
    .option('-i, --instances <name>', 'file name in in/, without .json', 'instances')
    .action(async (opts: { game: string; seed: number; instances: string }) => {
      for (const spec of selectGames(opts.game, discoverGames())) {
        const { module } = await loadGame(spec);
        if (!module.generateInstances) throw new ConfigError(`game '${spec.game_name}' has no instance generator`);
        const file = join(spec.game_path, 'in', `${opts.instances}.json`);
        writeJsonAtomic(file, parseData(InstancesFileSchema, file, module.generateInstances(opts.seed)));
        process.stdout.write(`wrote ${file}\n`);
      }
    });
}
