import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RewardsFileSchema } from '../registry/rewards-file.js';
import { ScoresSchema } from '../registry/scores.js';
import { cliIsBuilt, CLI, runCli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp-dir.js';

const tmp = tempDirs();
let cwd: string;
beforeAll(async () => {
  if (!cliIsBuilt()) throw new Error(`${CLI} is missing: run \`npm run build\``);
  cwd = tmp.make();
  for (const m of ['kb-greedy', 'random-kb']) expect((await runCli(['run', '-g', '20q', '-m', m, '--limit', '2'], { cwd })).code).toBe(0);
});
afterAll(() => tmp.cleanup());

const episode = (cwd: string, models: string, id: number) => join(cwd, 'results', models, '20q', 'all_words', `instance_${String(id).padStart(5, '0')}`);
const rewardsOf = (dir: string, reward: string) => RewardsFileSchema.parse(JSON.parse(readFileSync(join(dir, `rewards.${reward}.json`), 'utf8')));

describe('clem-ts learn rewards (spawned CLI, real 20q results)', () => {
  it('writes per-turn rewards of kb-greedy and random-kb episodes, prints statistics per models folder, and resumes', async () => {
    const eig = await runCli(['learn', 'rewards', '-g', '20q', '--reward', 'eig'], { cwd });
    expect(eig.stderr).toMatch(/^\[\d\/4\] kb-greedy--kb-oracle\/20q\/all_words\/instance_00000: \d+ turn\(s\)$/m);
    expect(eig.stderr.trim().split('\n').at(-1)).toMatch(/^\[4\/4\] /);
    expect(eig.code).toBe(0);
    expect(eig.stdout).toMatch(/^rewards eig \(20q, Questioner\): 4 episode\(s\) scored, 0 already done; \d+ turn\(s\), \d+ with a score, mean \d\.\d{4}; [\d.]+ ms per scored turn/);
    expect(eig.stdout).toMatch(/\n {2}kb-greedy--kb-oracle: 2 episode\(s\), \d+ turn\(s\), \d+ with a score, mean \d\.\d{4}\n {2}random-kb--kb-oracle: 2 episode\(s\)/);

    // one entry per question; the mean expected gain of kb-greedy's questions is the game's own Mean Information Gain
    const dir = episode(cwd, 'kb-greedy--kb-oracle', 0);
    const file = rewardsOf(dir, 'eig');
    const scores = ScoresSchema.parse(JSON.parse(readFileSync(join(dir, 'scores.json'), 'utf8')));
    expect(file.turns).toHaveLength(scores['episode scores'].Questions as number);
    expect(file.summary.mean).toBeCloseTo(scores['episode scores']['Mean Information Gain'] as number, 12);
    expect(file).toMatchObject({ reward: 'eig', options: { score: 'expected' }, models: {}, seed: 0, game_name: '20q', experiment_name: 'all_words', game_id: 0 });

    const again = await runCli(['learn', 'rewards', '-g', '20q', '--reward', 'eig'], { cwd });
    expect(again.stdout).toMatch(/^rewards eig \(20q, Questioner\): 0 episode\(s\) scored, 4 already done/);
    expect(rewardsOf(dir, 'eig')).toEqual(file);

    // the transcript shows each question's rewards (and links the file)
    expect((await runCli(['transcribe', '-g', '20q'], { cwd })).code).toBe(0);
    const page = readFileSync(join(dir, 'transcript.html'), 'utf8');
    expect(page).toContain(`<span class="badge reward" title="proxy reward eig (learn rewards)">eig ${(file.turns[0]!.score as number).toFixed(3)}</span>`);
    expect(page.match(/class="badge reward"/g)).toHaveLength(file.turns.length);
    expect(page).toContain('<a href="rewards.eig.json">rewards.eig.json</a>');

    const mr = await runCli(['learn', 'rewards', '-g', '20q', '--reward', 'mr', '-m', 'kb-greedy', '--reward-option', 'weights={"interactivity":0}', 'samples=1', '--models', 'random-kb'], { cwd });
    expect(mr.code).toBe(0);
    const mrFile = rewardsOf(episode(cwd, 'random-kb--kb-oracle', 1), 'mr');
    expect(mrFile).toMatchObject({ options: { samples: 1, window: 4, weights: { interactivity: 0 } }, models: { policy: 'kb-greedy' } });
    expect(mrFile.turns.every((t) => typeof t.score === 'number')).toBe(true);
  });

  it('says which model a reward needs, and lists the rewards of the game', async () => {
    const noPolicy = await runCli(['learn', 'rewards', '-g', '20q', '--reward', 'mr'], { cwd });
    expect([noPolicy.code, noPolicy.stderr]).toEqual([2, "clem-ts: reward 'mr' needs -m POLICY and --judge MODEL\n"]);
    const unknown = await runCli(['learn', 'rewards', '-g', '20q', '--reward', 'eigg'], { cwd });
    expect([unknown.code, unknown.stderr]).toEqual([2, "clem-ts: unknown reward 'eigg'. Did you mean: eig? Rewards of 20q: eig, uot, mr, logprob, judge, refeval.\n"]);
    const notHere = await runCli(['learn', 'rewards', '-g', 'hello', '--reward', 'eig'], { cwd });
    expect([notHere.code, notHere.stderr]).toEqual([2, "clem-ts: unknown reward 'eig'. Rewards of hello: mr, judge, refeval.\n"]);
    const noTarget = await runCli(['learn', 'rewards', '-g', 'hello', '--reward', 'logprob', '--scorer', 'kb-greedy'], { cwd });
    expect([noTarget.code, noTarget.stderr]).toEqual([2, "clem-ts: reward 'logprob' needs what hello does not give: a target for the scoring model (GameRewards.logprobTarget). Rewards of hello: mr, judge, refeval.\n"]);
    // a scorer without score() is refused before any episode is read
    const noScore = await runCli(['learn', 'rewards', '-g', '20q', '--reward', 'logprob', '--scorer', 'kb-greedy'], { cwd });
    expect([noScore.code, noScore.stderr]).toEqual([2, 'clem-ts: --scorer kb-greedy cannot score a given reply (its backend gives no log-probabilities of prompt tokens); use a transformers model or a vLLM server (backend "vllm").\n']);
  });
});
