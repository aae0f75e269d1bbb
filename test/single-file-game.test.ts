import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliIsBuilt, runCli } from './helpers/cli.js';
import { SUMS_GAME_SOURCE } from './helpers/sums-game.js';
import { tempDirs } from './helpers/temp-dir.js';

/**
 * A game written in one .ts file, registered nowhere, through the built CLI: run, score, eval and transcribe all
 * take the file as `-g`, and score and eval use its code and its `spec` (the metrics it declares).
 */
const tmp = tempDirs();
afterEach(() => tmp.cleanup());


describe.runIf(cliIsBuilt())('a game in one .ts file, registered nowhere', () => {
  it('plays, scores, evaluates and transcribes with -g ./sums.ts', async () => {
    const cwd = tmp.make();
    writeFileSync(join(cwd, 'sums.ts'), SUMS_GAME_SOURCE);
    const played = await runCli(['run', '-g', './sums.ts', '-m', 'mock'], { cwd });
    expect(played.stdout, played.stderr).toBe('played 3 episode(s): 3 success, 0 lose, 0 aborted; skipped 0 already done; errored 0. Results in results\n');
    const episode = join(cwd, 'results', 'mock', 'sums', 'small', 'instance_00001');
    const recorded = readFileSync(join(episode, 'scores.json'), 'utf8');
    expect(JSON.parse(recorded)['episode scores']).toMatchObject({ 'Main Score': 100, Size: 42 });

    // By name, nothing knows the game: every episode fails to score, naming it. By file, its code scores them.
    const byName = await runCli(['score', '-g', 'sums'], { cwd });
    expect(byName.code).toBe(1);
    expect(byName.stdout.split('\n').slice(0, 2)).toEqual([
      'scored 0 episode(s); 3 could not be scored:',
      `  ${join(cwd, 'results', 'mock', 'sums', 'small', 'instance_00000', 'interactions.json')}: game 'sums' is registered nowhere (clem-ts list games): ` +
        'if it was played from a game folder or a .ts file, name that as the game to score (score -g ./path/to/game.ts; from TypeScript, game: its module)',
    ]);
    writeFileSync(join(episode, 'scores.json'), '{}');
    const byFile = await runCli(['score', '-g', './sums.ts'], { cwd });
    expect(byFile.stdout, byFile.stderr).toBe('scored 3 episode(s)\n');
    expect(readFileSync(join(episode, 'scores.json'), 'utf8')).toBe(recorded);

    // eval takes the metrics the file's spec declares (eval_metrics) into the tables.
    const evaluated = await runCli(['eval', '-g', './sums.ts', '--resamples', '0'], { cwd });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout.split('\n').slice(0, 2)).toEqual(['evaluated 3 episode(s) of 1 model(s)', '  mock: clemscore 100']);
    expect(readFileSync(join(cwd, 'results', 'results.md'), 'utf8')).toContain('Size');

    const transcribed = await runCli(['transcribe', '-g', './sums.ts'], { cwd });
    expect(transcribed.stdout, transcribed.stderr).toBe(`wrote 3 transcript(s) and ${join(cwd, 'results', 'index.html')}\n`);
    expect(existsSync(join(episode, 'transcript.html'))).toBe(true);

    // A file that is not there is named, with what -g takes.
    const missing = await runCli(['score', '-g', './nope.ts'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`clem-ts: game ${join(cwd, 'nope.ts')}: no such file or folder. Name a registered game (clem-ts list games), a game folder or a game's code file.\n`);
  });
});
