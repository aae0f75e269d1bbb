import { describe, expect, it } from 'vitest';
import { discoverGames } from '../registry/game-registry.js';
import { packageRoot } from '../registry/package-root.js';
import { numberGame, numberGameModule } from '../test/helpers/number-game.js';
import { checkGame, GameCheckError } from './check-game.js';
import type { GameModule } from '../core/game.js';

const root = packageRoot();
const registered = [...new Set(discoverGames({ cwd: root, env: {} }).map((g) => g.game_name))];

describe('the shared game suite', () => {
  it.each(registered)('passes for the registered game %s', async (name) => {
    const report = await checkGame(name, { cwd: root, env: {}, limit: 4 });
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([['instances', true], ['generator', true], ['plays', true], ['scores', true], ['replays', true]]);
    expect(report.episodes).toBe(4);
  });

  it('passes for a game defined in code', async () => {
    const report = await checkGame(numberGameModule, { cwd: root, env: {} });
    expect(report.passed).toBe(true);
    expect(report.checks.find((c) => c.name === 'plays')?.detail).toBe('3 episode(s) with mock: 3 success, 0 lose, 0 aborted');
    expect(report.checks.find((c) => c.name === 'generator')?.detail).toBe('no instance generator');
  });

  it('fails a game whose prompts are not reproducible from the recorded episode', async () => {
    let calls = 0;
    const flaky: GameModule = { ...numberGameModule, game: { ...numberGame, prompt: (s, p, ctx) => `${numberGame.prompt(s as never, p, ctx as never)} (${calls++})` } };
    const report = await checkGame(flaky, { cwd: root, env: {}, throwOnFailure: false });
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([['instances', true], ['generator', true], ['plays', true], ['scores', true], ['replays', false]]);
    expect(report.checks.at(-1)?.detail).toMatch(/replay diverged at turn 0: the context of Player 1's reply 0 differs/);
    await expect(checkGame(flaky, { cwd: root, env: {} })).rejects.toThrow(GameCheckError);
  });

  it('fails a game whose scorer gives other scores the second time', async () => {
    let scored = 0;
    const moody: GameModule = { ...numberGameModule, game: { ...numberGame, score: (record) => ({ ...numberGame.score(record as never), episode: { 'Main Score': scored++ } }) } };
    const report = await checkGame(moody, { cwd: root, env: {}, throwOnFailure: false });
    expect(report.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['scores']);
    expect(report.checks.find((c) => c.name === 'scores')?.detail).toMatch(/^scoring again changed scores.json of 3 episode\(s\), e\.g\. .*score\(\) must read only the recorded episode$/);
  });

  it('fails a game whose generator is not seeded and whose instances do not validate', async () => {
    const broken: GameModule = {
      ...numberGameModule,
      instances: { experiments: [{ name: 'small', game_instances: [{ game_id: 0, target: 3 }, { game_id: 1, target: 11 }] }] },
      generateInstances: () => ({ experiments: [{ name: 'e', game_instances: [{ game_id: Math.floor(Math.random() * 1e9), target: 1 }] }] }),
    };
    const report = await checkGame(broken, { cwd: root, env: {}, throwOnFailure: false });
    const failed = Object.fromEntries(report.checks.filter((c) => !c.passed).map((c) => [c.name, c.detail]));
    expect(failed.instances).toMatch(/experiments\[0\]\.game_instances\[1\]\.target: /);
    expect(failed.generator).toMatch(/^generateInstances\(7\) gave two different results/);
    expect(failed.plays).toMatch(/experiments\[0\]\.game_instances\[1\]\.target/);
  });
});
