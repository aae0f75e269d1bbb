import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { parseDuration } from '../backends/wrappers/index.js';
import { terminalProgress } from '../core/progress.js';
import { run } from '../core/runner.js';
import { Interrupted } from '../base/errors.js';
import { folder, parseNumber } from './options.js';

// Verbs import parseNumber from cli/options.ts (importing it from here loaded the runner into every verb).
export { parseNumber } from './options.js';

function collectRoleModels(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new InvalidArgumentError('expected ROLE=MODEL, e.g. Answerer=gpt-4o-mini');
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1).trim() };
}

function parseExpiry(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration: 90 (seconds), 30m, 12h or 7d');
  return ms;
}

/** The response cache folder: the one given, else $CLEM_TS_CACHE/responses, else ~/.cache/clem-ts/responses. */
function cacheDir(given: string | true): string {
  if (given !== true) return resolve(given);
  return join(process.env.CLEM_TS_CACHE ?? join(homedir(), '.cache', 'clem-ts'), 'responses');
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Play every selected instance of the games with the models; reruns resume')
    .requiredOption('-g, --game <games...>', 'game names, "all", JSON selectors, or paths to a game folder or a game\'s .ts/.js file')
    .requiredOption('-m, --models <models...>', 'model names or JSON specs, one per role (one model: self-play or game defaults)')
    .option('--role-model <role=model...>', 'model for a role that -m leaves open, e.g. Answerer=gpt-4o-mini (before the game\'s default)', collectRoleModels)
    .option('-e, --experiment <name>', 'only this experiment')
    .option('-i, --instances <name>', 'instances file in the game\'s in/ folder, without .json')
    .option('-t, --temperature <t>', 'sampling temperature (default: registry, else 0)', parseNumber('float', 0))
    .option('-l, --max-tokens <n>', 'maximum tokens per reply (default: registry, else 300)', parseNumber('int', 1))
    .option('-r, --results-dir <dir>', 'results folder', folder, 'results')
    .option('-c, --concurrency <n>', "model requests in flight at once over the whole run (each model's max_concurrency applies too); 4 × n episodes are played at once, one at a time with -c 1", parseNumber('int', 1), 1)
    .option('--limit <n>', 'at most n instances per game', parseNumber('int', 1))
    .option('--seed <s>', 'run seed (episode seeds derive from it)', parseNumber('int'), 0)
    .option('--retry-errors', 'play again the episodes that errored in an earlier run')
    .option('--cache [dir]', 'answer repeated requests from a response cache on disk (default folder: $CLEM_TS_CACHE/responses, else ~/.cache/clem-ts/responses)')
    .option('--cache-expiry <duration>', 'ignore cached replies older than this: 90 (seconds), 30m, 12h, 7d', parseExpiry)
    .option('--outage-wait <seconds>', "how long in all the run waits for a model's server that is down before its calls fail (0: never wait)", parseNumber('float', 0), 600)
    .action(async (opts: {
      game: string[]; models: string[]; roleModel?: Record<string, string>; experiment?: string; instances?: string; temperature?: number; maxTokens?: number;
      resultsDir: string; concurrency: number; limit?: number; seed: number; retryErrors?: boolean; outageWait: number;
      cache?: string | true; cacheExpiry?: number;
    }) => {
      const controller = new AbortController();
      const onSignal = (signal: NodeJS.Signals): void => controller.abort(new Interrupted(signal));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const progress = terminalProgress();
      const warn = (message: string): void => void process.stderr.write(`warning: ${message}\n`);
      try {
        const summary = await run({
          games: opts.game,
          models: opts.models,
          roleModels: opts.roleModel ?? {},
          ...(opts.experiment !== undefined ? { experiment: opts.experiment } : {}),
          ...(opts.instances !== undefined ? { instances: opts.instances } : {}),
          ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
          ...(opts.maxTokens !== undefined ? { maxTokens: opts.maxTokens } : {}),
          ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
          resultsDir: resolve(opts.resultsDir),
          concurrency: opts.concurrency,
          seed: opts.seed,
          retryErrors: opts.retryErrors === true,
          progress,
          signal: controller.signal,
          command: process.argv.slice(2),
          onWarning: warn,
          backend: {
            onWarning: warn,
            ...(opts.cache !== undefined ? { cache: { dir: cacheDir(opts.cache), ...(opts.cacheExpiry !== undefined ? { expiryMs: opts.cacheExpiry } : {}) } } : {}),
            outage: opts.outageWait > 0 ? { budgetMs: opts.outageWait * 1000 } : false,
            onStatus: (s) => {
              progress.status?.(s.state === 'down' ? s.message : null);
              if (s.state !== 'down') process.stderr.write(`${s.state === 'up' ? 'note' : 'warning'}: ${s.message}\n`);
            },
          },
        });
        const count = (s: string): number => summary.episodes.filter((e) => e.status === s).length;
        const others = summary.doneByOthers > 0 ? `; ${summary.doneByOthers} done by other workers` : '';
        const before = summary.erroredBefore > 0 ? ` (${summary.erroredBefore} in an earlier run, not retried: rerun with --retry-errors)` : '';
        process.stdout.write(
          `played ${summary.played} episode(s): ${count('success')} success, ${count('lose')} lose, ${count('aborted')} aborted; ` +
            `skipped ${summary.skipped} already done${others}; errored ${summary.errored}${before}. Results in ${opts.resultsDir}\n`,
        );
        if (summary.takenOver > 0) process.stdout.write(`took over ${summary.takenOver} episode(s) that a stopped worker had claimed\n`);
        if (summary.errored > 0) {
          process.stdout.write('errored episodes (see error.json in each; rerun with --retry-errors):\n');
          for (const e of summary.episodes.filter((x) => x.status === 'errored' || x.status === 'skipped-errored'))
            process.stdout.write(`  ${e.dir}: ${e.error ?? ''}\n`);
          process.exitCode = 1;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
