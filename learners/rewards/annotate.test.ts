import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../backends/programmatic/program.js';
import type { LoadedGame } from '../../core/game-loader.js';
import type { RecordedEpisode } from '../../core/replay.js';
import { RewardsFileSchema } from '../../registry/rewards-file.js';
import { loadPackagedGame, programBackend } from '../../test/helpers/live-episode.js';
import { byPrompt, contextsFor, recordedEpisode } from '../../test/helpers/reward-fixtures.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { annotateRewards, type EpisodeToAnnotate } from './annotate.js';
import { resolveReward } from './registry.js';

let twentyQ: LoadedGame;
let programs: Map<string, Program>;
beforeAll(async () => {
  ({ loaded: twentyQ, programs } = await loadPackagedGame('20q'));
});
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

async function episodes(root: string): Promise<(EpisodeToAnnotate & { recorded: RecordedEpisode })[]> {
  const out: (EpisodeToAnnotate & { recorded: RecordedEpisode })[] = [];
  for (const [q, gameId] of [['kb-greedy', 10], ['random-kb', 3]] as const) {
    const recorded = await recordedEpisode(twentyQ, [programBackend(q, programs), programBackend('kb-oracle', programs)], { experiment: 'all_words', gameId });
    out.push({ recorded, load: async () => recorded, dir: join(root, `${q}-${gameId}`), rel: `${q}-${gameId}` });
  }
  return out;
}

/** A clock in steps of 5 ms, so elapsed times are exact. */
const ticking = () => {
  let t = 0;
  return () => (t += 5);
};

describe('annotateRewards: per-turn rewards beside each episode', () => {
  it('writes rewards.<reward>.json with one entry per recorded reply of the role, and resumes', async () => {
    const root = dirs.make();
    const eps = await episodes(root);
    const ctx = contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], {}, root);
    const run = (opts: Record<string, unknown> = {}) =>
      annotateRewards({ episodes: eps, reward: resolveReward('eig', twentyQ.module.rewards, opts), options: { score: 'expected', ...opts } as Record<string, string>, models: {}, contextFor: ctx, roles: ['Questioner'], seed: 0, now: ticking() });
    const first = await run();
    expect(first).toMatchObject({ episodes: 2, skipped: 0 });
    const file = RewardsFileSchema.parse(JSON.parse(readFileSync(join(eps[0]!.dir, 'rewards.eig.json'), 'utf8')));
    const questions = eps[0]!.recorded.interactions.turns.length;
    expect(file.turns).toHaveLength(questions);
    expect(file.turns.map((t) => [t.player, t.role, t.player_turn])).toEqual(Array.from({ length: questions }, (_, k) => ['Player 1', 'Questioner', k]));
    expect(file.turns[0]).toMatchObject({ turn: 0, round: 0, reply: eps[0]!.recorded.interactions.turns[0]?.[1]?.action.content, details: { consistent: 158, source: 'kb' } });
    expect(file.summary.turns).toBe(questions);
    expect(file.summary.mean).toBeCloseTo(file.turns.reduce((a, t) => a + (t.score as number), 0) / questions, 12);
    expect(first.turns).toBe(questions + eps[1]!.recorded.interactions.turns.length);
    expect(first.files).toEqual([join(eps[0]!.dir, 'rewards.eig.json'), join(eps[1]!.dir, 'rewards.eig.json')]);

    const again = await run();
    expect(again).toMatchObject({ skipped: 2, turns: 0, files: [] });
    const other = await run({ score: 'realised' });
    expect(other).toMatchObject({ skipped: 0, turns: first.turns });
  });

  it('with alternatives sampled from the policy, a comparative reward scores the recorded reply against them', async () => {
    const root = dirs.make();
    const [ep] = await episodes(root);
    const policy = byPrompt('policy', () => 'Is it blue?');
    const judge = byPrompt('judge', (p) => (p.indexOf('Is it blue?') > p.indexOf('Output (b):') ? 'Output (a)' : 'Output (b)'));
    const summary = await annotateRewards({
      episodes: [ep!], reward: resolveReward('refeval', twentyQ.module.rewards), options: {}, models: { judge: 'judge', policy: 'policy' },
      contextFor: contextsFor(twentyQ, programs, ['kb-greedy', 'kb-oracle'], { judge }, root), roles: ['Questioner'], seed: 0, alternatives: { policy, k: 1 },
    });
    const file = RewardsFileSchema.parse(JSON.parse(readFileSync(summary.files[0]!, 'utf8')));
    // the judge always prefers the recorded question: it wins both orders (text verdicts: no log-probabilities)
    expect(file.turns.every((t) => t.score === 1 && t.alternatives?.[0]?.reply === 'Is it blue?' && t.alternatives[0].score === 0)).toBe(true);
  });
});
