import type { Command } from 'commander';
import { ConfigError } from '../base/errors.js';
import { readQueryString, registerModel } from '../registry/model-registry.js';

export function registerRegister(program: Command): void {
  program
    .command('register')
    .description("Add or update a model entry in the current directory's model_registry.json")
    .argument('<kind>', 'model')
    .requiredOption('-n, --name <name>', 'model_name of the entry')
    .requiredOption('-v, --values <query>', 'comma-separated key=value pairs; dotted keys nest (model_config.peft_model=./adapter); a JSON value may hold commas (model_config.stop=["a","b"])')
    .option('-r, --reset', 'replace the entry instead of merging into it')
    .action((kind: string, opts: { name: string; values: string; reset?: boolean }) => {
      if (kind !== 'model') throw new ConfigError(`unknown kind '${kind}': only 'model' can be registered (keys live in key.json or the environment)`);
      const entry = registerModel(opts.name, readQueryString(opts.values), { reset: opts.reset === true });
      process.stdout.write(`registered ${entry.model_name} -> ${entry.backend} in ./model_registry.json\n`);
    });
}
