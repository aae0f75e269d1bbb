import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../core/runner.js';
import { readResults } from '../core/results-store/index.js';
import { DpoRowSchema } from '../learners/datasets/formats.js';
import { readJsonLines } from '../learners/datasets/jsonl.js';
import { buildDpoData } from '../learners/datasets/dpo-data.js';
import { learnRewards } from '../learners/rewards/learn-rewards.js';
import { KeyRing } from '../registry/keys.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * Learners on results clemcore wrote: the episodes of a clem-ts run rewritten as clemcore 2.x leaves them (the
 * ≤3.2 layout `<models>/<game>/<i>_<experiment>/episode_<k>/`, meta with `dialogue_pair`, no request counts, no
 * outcome keys, no completed.json, no run.json, no seed). Rewards that score the state alone work on them; rewards
 * that play futures are refused with a message that says why and what to use instead.
 */
const tmp = tempDirs('clem-learn-clemcore-');
let cwd: string;
const CLEMCORE = 'clemcore-results';

beforeAll(async () => {
  cwd = tmp.make();
  const played = join(cwd, 'played');
  expect((await run({ games: ['20q'], models: ['random-kb'], resultsDir: played, limit: 4, cwd, env: {}, keys: KeyRing.empty() })).played).toBe(4);
  const read = await readResults(played);
  for (const [k, e] of read.episodes.entries()) {
    const dir = join(cwd, CLEMCORE, 'random-kb-t0.0--kb-oracle-t0.0', '20q', `0_${e.experiment}`, `episode_${k}`);
    mkdirSync(dir, { recursive: true });
    const i = JSON.parse(readFileSync(join(e.dir, 'interactions.json'), 'utf8')) as Record<string, unknown> & { meta: Record<string, unknown> };
    const clemcore = {
      meta: { game_name: '20q', experiment_name: i.meta.experiment_name, game_id: i.meta.game_id, dialogue_pair: 'random-kb-t0.0--kb-oracle-t0.0' },
      players: i.players,
      turns: i.turns,
    };
    writeFileSync(join(dir, 'interactions.json'), JSON.stringify(clemcore));
    for (const f of ['instance.json', 'scores.json']) writeFileSync(join(dir, f), readFileSync(join(e.dir, f)));
  }
}, 60_000);
afterAll(() => tmp.cleanup());

describe('learners on clemcore results', () => {
  it('dpo-data with a reward that scores the state alone (eig) writes TRL rows from clemcore episodes', async () => {
    const s = await buildDpoData({ resultsDir: join(cwd, CLEMCORE), game: '20q', role: 'Questioner', policy: 'random-kb', reward: 'eig', k: 4, output: join(cwd, 'out', 'eig.jsonl'), cwd, env: {}, keys: KeyRing.empty() });
    expect(s.states).toBeGreaterThan(10);
    expect(s.pairs).toBeGreaterThan(0);
    const rows = [...readJsonLines(s.paths.train, DpoRowSchema), ...readJsonLines(s.paths.validation, DpoRowSchema)];
    expect(rows).toHaveLength(s.pairs);
    expect(rows[0]?.metadata).toMatchObject({ game: '20q', model: 'random-kb', episode: expect.stringMatching(/^random-kb-t0\.0--kb-oracle-t0\.0\/20q\/0_all_words\/episode_\d$/) as unknown });
  });

  it('a reward that plays futures (mr) is refused, saying why and what to use', async () => {
    await expect(
      buildDpoData({ resultsDir: join(cwd, CLEMCORE), game: '20q', role: 'Questioner', policy: 'random-kb', reward: 'mr', rewardOptions: { weights: { interactivity: 0 } }, maxStates: 1, output: join(cwd, 'out', 'mr.jsonl'), cwd, env: {}, keys: KeyRing.empty() }),
    ).rejects.toThrow(/episode_\d: clemcore wrote it \(its interactions\.json lacks what clem-ts records\), so it cannot be replayed\. A reward that plays futures from a state \(mr, logprob, judge\) needs episodes clem-ts recorded/);
  });

  it('learn rewards writes per-turn eig beside clemcore episodes', async () => {
    const s = await learnRewards({ resultsDir: join(cwd, CLEMCORE), game: '20q', reward: 'eig', cwd, env: {}, keys: KeyRing.empty() });
    expect(s.episodes).toBe(4);
    expect(s.scored).toBeGreaterThan(10);
    expect(s.files).toHaveLength(4);
  });
});
