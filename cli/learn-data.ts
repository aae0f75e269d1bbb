import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { DATASET_FORMATS, type DatasetFormat } from '../learners/datasets/formats.js';
import { SFT_FILTERS, type SftFilter, buildSftData } from '../learners/datasets/sft-data.js';
import { parseNumber } from './run.js';

function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return value as T;
  };
}

/** `learn sft-data` and `learn dpo-data`: option parsing only; each calls one library function. */
export function registerLearnData(learn: Command): void {
  learn
    .command('sft-data')
    .description('Write an SFT dataset (TRL conversational format) from the recorded episodes of one role, split by instance')
    .requiredOption('-g, --game <game>', 'game name')
    .requiredOption('--role <role>', 'the role whose replies are learned, e.g. Questioner')
    .option('-r, --results-dir <dir>', 'results folder', 'results')
    .option('--filter <filter>', `which episodes: ${SFT_FILTERS.join(' | ')}`, oneOf(SFT_FILTERS), 'success' as SftFilter)
    .option('--top-k <k>', 'with --filter top-k: best episodes per instance', parseNumber('int', 1), 1)
    .option('--min-score <s>', 'with --filter min-score: lowest Main Score kept', parseNumber('float'))
    .option('-m, --models <models...>', 'only episodes where these models played the role')
    .option('--format <format>', `${DATASET_FORMATS.join(' | ')} (openai: OpenAI chat fine-tuning files)`, oneOf(DATASET_FORMATS), 'trl' as DatasetFormat)
    .option('--validation <fraction>', 'share of instances held out for validation', parseNumber('float', 0), 0.1)
    .option('--split-by <field>', 'instance field that defines one instance for the split (default: the instance without game_id)')
    .option('--seed <s>', 'seed of the split', parseNumber('int'), 0)
    .option('-o, --output <file>', 'output FILE.jsonl: writes FILE.train.jsonl, FILE.validation.jsonl, FILE.summary.json (default: RESULTS/datasets/GAME-ROLE-sft)')
    .action(async (opts: {
      game: string; role: string; resultsDir: string; filter: SftFilter; topK: number; minScore?: number; models?: string[]; format: DatasetFormat;
      validation: number; splitBy?: string; seed: number; output?: string;
    }) => {
      const s = await buildSftData({
        resultsDir: resolve(opts.resultsDir), game: opts.game, role: opts.role, filter: opts.filter, topK: opts.topK, format: opts.format,
        validationFraction: opts.validation, seed: opts.seed,
        ...(opts.minScore !== undefined ? { minScore: opts.minScore } : {}),
        ...(opts.models !== undefined ? { models: opts.models } : {}),
        ...(opts.splitBy !== undefined ? { splitBy: opts.splitBy } : {}),
        ...(opts.output !== undefined ? { output: resolve(opts.output) } : {}),
      });
      process.stdout.write(
        `sft-data ${s.game}/${s.role}: ${s.episodes_read} episode(s) read, ${s.episodes_kept} kept (--filter ${s.filter}), ${s.duplicates} duplicate(s) dropped\n` +
          `  train:      ${s.train} row(s) from ${s.train_instances} instance(s) → ${s.files.train}\n` +
          `  validation: ${s.validation} row(s) from ${s.validation_instances} instance(s) → ${s.files.validation}\n` +
          `  mean assistant turns per row: ${s.mean_assistant_turns === null ? '–' : s.mean_assistant_turns.toFixed(2)}; summary: ${s.paths.summary}\n`,
      );
    });
}
