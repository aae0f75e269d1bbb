import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DATASET_FORMATS, type DatasetFormat } from '../learners/datasets/formats.js';
import { SFT_FILTERS, type SftFilter, buildSftData } from '../learners/datasets/sft-data.js';
import { buildDpoData } from '../learners/datasets/dpo-data.js';
import { terminalStateProgress } from '../learners/datasets/progress.js';
import { folder, jsonKeyValues, keyValues, oneOf, parseNumber } from './options.js';

/** `learn sft-data` and `learn dpo-data`: option parsing only; each calls one library function. */
export function registerLearnData(learn: Command): void {
  learn
    .command('sft-data')
    .description('Write an SFT dataset (TRL conversational format) from the recorded episodes of one role, split by instance')
    .requiredOption('-g, --game <game>', 'game name')
    .requiredOption('--role <role>', 'the role whose replies are learned, e.g. Questioner (or a player, e.g. "Player 1", in clemcore files without roles)')
    .option('-r, --results-dir <dir>', 'results folder', folder, 'results')
    .option('--filter <filter>', `which episodes: ${SFT_FILTERS.join(' | ')}`, oneOf(SFT_FILTERS), 'success' as SftFilter)
    .option('--top-k <k>', 'with --filter top-k: best episodes per instance', parseNumber('int', 1), 1)
    .option('--min-score <s>', 'with --filter min-score: lowest Main Score kept', parseNumber('float'))
    .option('-m, --models <models...>', 'only episodes where these models played the role')
    .option('-e, --experiment <names...>', 'only these experiments')
    .option('--format <format>', `${DATASET_FORMATS.join(' | ')} (openai: OpenAI chat fine-tuning files)`, oneOf(DATASET_FORMATS), 'trl' as DatasetFormat)
    .option('--validation <fraction>', 'share of instances held out for validation', parseNumber('float', 0), 0.1)
    .option('--split-by <field>', 'instance field that defines one instance for the split (default: the instance without game_id)')
    .option('--seed <s>', 'seed of the split', parseNumber('int'), 0)
    .option('-o, --output <file>', 'output FILE.jsonl: writes FILE.train.jsonl, FILE.validation.jsonl, FILE.summary.json (default: RESULTS/datasets/GAME-ROLE-sft)')
    .action(async (opts: {
      game: string; role: string; resultsDir: string; filter: SftFilter; topK: number; minScore?: number; models?: string[]; experiment?: string[]; format: DatasetFormat;
      validation: number; splitBy?: string; seed: number; output?: string;
    }) => {
      const s = await buildSftData({
        resultsDir: resolve(opts.resultsDir), game: opts.game, role: opts.role, filter: opts.filter, topK: opts.topK, format: opts.format,
        validationFraction: opts.validation, seed: opts.seed,
        ...(opts.minScore !== undefined ? { minScore: opts.minScore } : {}),
        ...(opts.models !== undefined ? { models: opts.models } : {}),
        ...(opts.experiment !== undefined ? { experiments: opts.experiment } : {}),
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

  learn
    .command('dpo-data')
    .description('Write a DPO dataset (TRL conversational preference format): sample k replies at recorded states, rank them by a reward')
    .requiredOption('-g, --game <game>', 'game name')
    .requiredOption('--role <role>', 'the role whose replies are ranked, e.g. Questioner')
    .requiredOption('-m, --policy <model>', 'model that samples the candidate replies')
    .requiredOption('--reward <name>', "reward: the game's own (20q: eig, uot) or mr, logprob, judge, refeval")
    .option('-r, --results-dir <dir>', 'results folder', folder, 'results')
    .option('-k, --candidates <k>', 'candidate replies per state', parseNumber('int', 2), 4)
    .option('--min-gap <gap>', 'smallest best − worst reward gap that makes a pair', parseNumber('float', 0), 0.02)
    .option('-t, --temperature <t>', 'sampling temperature of the policy (candidates, and the policy in sampled futures)', parseNumber('float', 0), 1)
    .option('-l, --max-tokens <n>', 'maximum tokens per policy reply (candidates and futures; default: the registry\'s, in futures the recorded seat\'s)', parseNumber('int', 1))
    .option('--ref-model <model>', 'reference model: store the summed log-probabilities of chosen and rejected')
    .option('--judge <model>', 'judge model (rewards mr, judge, refeval)')
    .option('--scorer <model>', 'scoring model (reward logprob)')
    .option('--labeler <model>', 'model that labels candidate words where the game cannot (reward eig)')
    .option('--reward-option <key=value...>', 'reward option, e.g. samples=3 or weights={"success":1}', jsonKeyValues)
    .option('--role-model <role=model...>', 'model for another seat in sampled futures (default: the recorded one)', keyValues)
    .option('--models <models...>', 'only episodes whose models folder names one of these')
    .option('-e, --experiment <names...>', 'only these experiments')
    .option('--max-states <n>', 'at most n states (a seeded sample)', parseNumber('int', 1))
    .option('--format <format>', `${DATASET_FORMATS.join(' | ')} (openai: OpenAI preference fine-tuning files)`, oneOf(DATASET_FORMATS), 'trl' as DatasetFormat)
    .option('--validation <fraction>', 'share of instances held out for validation', parseNumber('float', 0), 0.1)
    .option('--split-by <field>', 'instance field that defines one instance for the split')
    .option('-c, --concurrency <n>', 'states in flight at once', parseNumber('int', 1), 4)
    .option('--seed <s>', 'seed of sampling, rewards and the split', parseNumber('int'), 0)
    .option('-o, --output <file>', 'output FILE.jsonl: writes FILE.train.jsonl, FILE.validation.jsonl, FILE.summary.json, FILE.journal.jsonl (default: RESULTS/datasets/GAME-ROLE-dpo)')
    .action(async (opts: {
      game: string; role: string; policy: string; reward: string; resultsDir: string; candidates: number; minGap: number; temperature: number; maxTokens?: number;
      refModel?: string; judge?: string; scorer?: string; labeler?: string; rewardOption?: Record<string, unknown>; roleModel?: Record<string, string>; models?: string[]; experiment?: string[]; maxStates?: number;
      format: DatasetFormat; validation: number; splitBy?: string; concurrency: number; seed: number; output?: string;
    }) => {
      const rewardModels = Object.fromEntries(Object.entries({ judge: opts.judge, scorer: opts.scorer, labeler: opts.labeler }).filter(([, v]) => v !== undefined));
      const s = await buildDpoData({
        resultsDir: resolve(opts.resultsDir), game: opts.game, role: opts.role, policy: opts.policy, reward: opts.reward, rewardOptions: opts.rewardOption ?? {},
        rewardModels, roleModels: opts.roleModel ?? {}, k: opts.candidates, minGap: opts.minGap, temperature: opts.temperature, format: opts.format,
        validationFraction: opts.validation, concurrency: opts.concurrency, seed: opts.seed, progress: terminalStateProgress(),
        ...(opts.maxTokens !== undefined ? { maxTokens: opts.maxTokens } : {}),
        ...(opts.refModel !== undefined ? { refModel: opts.refModel } : {}),
        ...(opts.models !== undefined ? { models: opts.models } : {}),
        ...(opts.experiment !== undefined ? { experiments: opts.experiment } : {}),
        ...(opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {}),
        ...(opts.splitBy !== undefined ? { splitBy: opts.splitBy } : {}),
        ...(opts.output !== undefined ? { output: resolve(opts.output) } : {}),
      });
      // rewards as small as a random model's log-prob reward (~1e-5) show their digits
      const f = (x: number | null, d = 3) => (x === null ? '–' : x !== 0 && Math.abs(x) < 10 ** -d ? x.toExponential(2) : x.toFixed(d));
      process.stdout.write(
        `dpo-data ${s.game}/${s.role} (${s.reward}, policy ${s.policy}, k=${s.k}): ${s.pairs} pair(s) from ${s.states} state(s)\n` +
          `  mean reward: chosen ${f(s.mean_score_chosen)}, rejected ${f(s.mean_score_rejected)}\n` +
          (Object.keys(s.skipped).length > 0 ? `  no pair: ${Object.entries(s.skipped).map(([r, n]) => `${n} × ${r}`).join('; ')}\n` : '') +
          `  train: ${s.train} → ${s.files.train}\n  validation: ${s.validation} → ${s.files.validation}\n` +
          `  time: ${f(s.seconds_per_state, 2)} s per state, ${f(s.seconds_per_pair, 2)} s per pair; summary: ${s.paths.summary}\n`,
      );
    });
}
