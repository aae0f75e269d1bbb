import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionMessage } from '../../test/helpers/errors.js';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { writeEpisode } from '../../test/report/make-results.js';
import { type Episode, linksNote, loadEpisodeScores, readResults } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '../../test/fixtures/clemcore/playpen-sft-initial/llama3-8b-sft-t0.0');

const tmp = tempDirs();
let root: string;

function put(rel: string, files: Record<string, string>): void {
  const dir = path.join(root, rel);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}

/**
 * Three trees side by side:
 * - clem-ts (`m-ts`, run.json in the models folder): success, lose, aborted, errored, pending (instance.json only);
 * - clemcore 3.3–3.6 (`m-33`: instance_NNNNN, no run.json): one finished episode;
 * - clemcore ≤3.2 (`llama-t0.0`: `<i>_<exp>/episode_<k>`): two real clemcore 2.5.1 scores.json files with bare
 *   NaN, and a model call that failed (instance.json only);
 * plus a copy of a clem-ts episode under another run folder (a duplicate), a stray scores.json and temp files.
 */
beforeEach(() => {
  root = tmp.make();
  put('m-ts', { 'run.json': '{}' });
  writeEpisode(root, { model: 'm-ts', game: '20q', experiment: 'easy', gameId: 0, outcome: 'success', mainScore: 80 });
  writeEpisode(root, { model: 'm-ts', game: '20q', experiment: 'easy', gameId: 1, outcome: 'lose' });
  writeEpisode(root, { model: 'm-ts', game: '20q', experiment: 'hard', gameId: 2, outcome: 'aborted' });
  writeEpisode(root, { model: 'm-ts', game: '20q', experiment: 'hard', gameId: 3, outcome: 'errored' });
  writeEpisode(root, { model: 'm-ts', game: '20q', experiment: 'hard', gameId: 4, outcome: 'pending' });
  writeEpisode(root, { model: 'm-ts', game: 'hello', experiment: 'one', gameId: 7, outcome: 'success', mainScore: 100 });
  writeEpisode(root, { model: 'old-run/m-ts', game: '20q', experiment: 'easy', gameId: 0, outcome: 'lose' });
  const m33 = writeEpisode(root, { model: 'm-33', game: 'hello', experiment: 'one', gameId: 5, outcome: 'success', mainScore: 100 });
  rmSync(path.join(m33, 'completed.json'));
  put('llama-t0.0/taboo/0_high_en/episode_3', {});
  copyFileSync(path.join(fixtures, 'taboo/0_high_en/episode_3/scores.json'), path.join(root, 'llama-t0.0/taboo/0_high_en/episode_3/scores.json'));
  put('llama-t0.0/wordle_withcritic/0_high_frequency_words_clue_with_critic/episode_1', {});
  copyFileSync(
    path.join(fixtures, 'wordle_withcritic/0_high_frequency_words_clue_with_critic/episode_1/scores.json'),
    path.join(root, 'llama-t0.0/wordle_withcritic/0_high_frequency_words_clue_with_critic/episode_1/scores.json'),
  );
  put('llama-t0.0/taboo/1_low_en/episode_0', { 'instance.json': '{"game_id": 4}' });
  put('stray', { 'scores.json': '{"episode scores": {}}' });
  put('m-ts/20q/easy/instance_00000', { '.scores.json.999999.1.tmp': 'cut' });
  put('', { '.raw.csv.999999.2.tmp': 'cut' });
});
afterEach(() => tmp.cleanup());

const rels = (episodes: readonly Episode[]): string[] => episodes.map((e) => e.rel);

describe('readResults', () => {
  it('finds every episode of the three layouts, sorted, with its place, status and files', async () => {
    const read = await readResults(root);
    expect(rels(read.episodes)).toEqual([
      'llama-t0.0/taboo/0_high_en/episode_3',
      'llama-t0.0/taboo/1_low_en/episode_0',
      'llama-t0.0/wordle_withcritic/0_high_frequency_words_clue_with_critic/episode_1',
      'm-33/hello/one/instance_00005',
      'm-ts/20q/easy/instance_00000',
      'm-ts/20q/easy/instance_00001',
      'm-ts/20q/hard/instance_00002',
      'm-ts/20q/hard/instance_00003',
      'm-ts/20q/hard/instance_00004',
      'm-ts/hello/one/instance_00007',
    ]);
    expect(rels(read.duplicates)).toEqual(['old-run/m-ts/20q/easy/instance_00000']);
    expect(read.unplaced).toEqual(['stray/scores.json']);
    expect(read.tempFiles).toEqual([path.join(root, '.raw.csv.999999.2.tmp'), path.join(root, 'm-ts/20q/easy/instance_00000/.scores.json.999999.1.tmp')]);
    const by = new Map(read.episodes.map((e) => [e.rel, e]));
    const legacy = by.get('llama-t0.0/taboo/0_high_en/episode_3') as Episode;
    expect([legacy.modelsFolder, legacy.models, legacy.game, legacy.experimentFolder, legacy.experiment, legacy.episodeFolder, legacy.layout, legacy.gameId, legacy.status]).toEqual([
      'llama-t0.0',
      ['llama'],
      'taboo',
      '0_high_en',
      'high_en',
      'episode_3',
      'episode',
      null,
      'completed',
    ]);
    const ts = by.get('m-ts/20q/hard/instance_00002') as Episode;
    expect([ts.experiment, ts.layout, ts.gameId, ts.status, [...ts.files].sort()]).toEqual(['hard', 'instance', 2, 'completed', ['completed.json', 'instance.json', 'interactions.json', 'scores.json']]);
    expect(ts.dir).toBe(path.join(root, 'm-ts/20q/hard/instance_00002'));
    const statuses = Object.fromEntries(read.episodes.map((e) => [e.rel, e.status]));
    expect(statuses).toMatchObject({
      'llama-t0.0/taboo/1_low_en/episode_0': 'pending',
      'm-33/hello/one/instance_00005': 'completed',
      'm-ts/20q/hard/instance_00003': 'errored',
      'm-ts/20q/hard/instance_00004': 'pending',
      'm-ts/hello/one/instance_00007': 'completed',
    });
  });

  it('calls an episode without completed.json pending where the tree keeps completion markers', async () => {
    // Killed after scores.json: clem-ts's rerun plays it again. clemcore 3.3–3.6 never wrote completed.json.
    rmSync(path.join(root, 'm-ts/hello/one/instance_00007/completed.json'));
    const read = await readResults(root, { games: ['hello'] });
    expect(read.episodes.map((e) => [e.rel, e.status])).toEqual([
      ['m-33/hello/one/instance_00005', 'completed'],
      ['m-ts/hello/one/instance_00007', 'pending'],
    ]);
  });

  it('filters by game, model substring and experiment (name or ≤3.2 folder name)', async () => {
    expect(rels((await readResults(root, { games: ['taboo'] })).episodes)).toEqual(['llama-t0.0/taboo/0_high_en/episode_3', 'llama-t0.0/taboo/1_low_en/episode_0']);
    expect(rels((await readResults(root, { models: ['33', 'lla'] })).episodes)).toHaveLength(4);
    expect(rels((await readResults(root, { experiments: ['high_en'] })).episodes)).toEqual(['llama-t0.0/taboo/0_high_en/episode_3']);
    expect(rels((await readResults(root, { experiments: ['0_high_en'] })).episodes)).toEqual(['llama-t0.0/taboo/0_high_en/episode_3']);
    const both = await readResults(root, { games: ['20q'], models: ['m-ts'], experiments: ['hard'] });
    expect(rels(both.episodes)).toEqual(['m-ts/20q/hard/instance_00002', 'm-ts/20q/hard/instance_00003', 'm-ts/20q/hard/instance_00004']);
  });

  it('filters by outcome and by score ranges, reading only episode scores', async () => {
    const outcome = async (outcomes: Parameters<typeof readResults>[1]): Promise<string[]> => rels((await readResults(root, outcomes)).episodes);
    expect(await outcome({ outcomes: ['success'] })).toEqual(['llama-t0.0/taboo/0_high_en/episode_3', 'm-33/hello/one/instance_00005', 'm-ts/20q/easy/instance_00000', 'm-ts/hello/one/instance_00007']);
    expect(await outcome({ outcomes: ['aborted'] })).toEqual(['llama-t0.0/wordle_withcritic/0_high_frequency_words_clue_with_critic/episode_1', 'm-ts/20q/hard/instance_00002']);
    expect(await outcome({ outcomes: ['errored', 'pending'] })).toEqual(['llama-t0.0/taboo/1_low_en/episode_0', 'm-ts/20q/hard/instance_00003', 'm-ts/20q/hard/instance_00004']);
    expect(await outcome({ scores: [{ score: 'Main Score', min: 30, max: 90 }] })).toEqual(['llama-t0.0/taboo/0_high_en/episode_3', 'm-ts/20q/easy/instance_00000']);
    expect(await outcome({ scores: [{ score: 'Main Score', max: 0 }] })).toEqual(['m-ts/20q/easy/instance_00001']);
    // NaN (clemcore) and null (clem-ts) Main Scores never fall in a range.
    expect(await outcome({ scores: [{ score: 'Main Score', min: -1e9 }], outcomes: ['aborted'] })).toEqual([]);
    expect(await outcome({ games: ['hello'], outcomes: ['success'], scores: [{ score: 'Success', min: 1 }] })).toEqual(['m-33/hello/one/instance_00005', 'm-ts/hello/one/instance_00007']);
  });

  it('refuses a name that matches nothing, naming the closest ones', async () => {
    expect(await rejectionMessage(readResults(root, { games: ['20Q'] }))).toBe(`unknown game '20Q'. Did you mean: 20q? Games with episodes in ${root}: 20q, hello, taboo, wordle_withcritic.`);
    expect(await rejectionMessage(readResults(root, { games: ['taboo', 'tabu'] }))).toMatch(/^unknown game 'tabu'\. Did you mean: taboo\?/);
    expect(await rejectionMessage(readResults(root, { models: ['m-tss'] }))).toMatch(/^unknown model 'm-tss'\. Did you mean: m-ts, m-33\? Models with episodes in .*: llama-t0\.0, m-33, m-ts\.$/);
    expect(await rejectionMessage(readResults(root, { experiments: ['hrad'] }))).toMatch(/^unknown experiment 'hrad'\. Did you mean: hard\?/);
    expect(await rejectionMessage(readResults(path.join(root, 'missing')))).toBe(
      `results folder '${path.join(root, 'missing')}' does not exist or is not a folder; pass the folder that \`run\` wrote (-r).`,
    );
  });

  it('loads each file on demand, in the tolerant shapes', async () => {
    const read = await readResults(root);
    await loadEpisodeScores(read.episodes);
    const by = new Map(read.episodes.map((e) => [e.rel, e]));
    const legacy = by.get('llama-t0.0/taboo/0_high_en/episode_3') as Episode;
    expect((await legacy.episodeScores())?.['episode scores']['Main Score']).toBe(33.333333333333336);
    expect((await legacy.episodeScores())?.meta?.game_id).toBe(15);
    expect((await legacy.scores())['turn scores']?.['2']).toEqual({ Accuracy: 1, 'Violated Request Count': 0, 'Parsed Request Count': 1, 'Request Count': 1 });
    expect(await rejectionMessage(legacy.interactions())).toBe('llama-t0.0/taboo/0_high_en/episode_3 has no interactions.json');
    const wordle = by.get('llama-t0.0/wordle_withcritic/0_high_frequency_words_clue_with_critic/episode_1') as Episode;
    expect((await wordle.episodeScores())?.['episode scores']['Main Score']).toBeNull();
    expect(await wordle.outcome()).toBe('aborted');

    const ts = by.get('m-ts/20q/easy/instance_00000') as Episode;
    expect((await ts.interactions()).turns[0]?.[1]?.action.content).toBe('reply of m-ts');
    expect((await ts.instance()).game_id).toBe(0);
    expect(await ts.error()).toBeUndefined();
    expect((await ts.completed())?.outcome).toBe('success');
    expect(await ts.outcome()).toBe('success');
    const errored = by.get('m-ts/20q/hard/instance_00003') as Episode;
    expect((await errored.error())?.message).toBe('m-ts: HTTP 500');
    expect(await errored.outcome()).toBe('errored');
    expect(await errored.episodeScores()).toBeUndefined();
    expect(await (by.get('m-ts/20q/hard/instance_00004') as Episode).outcome()).toBe('pending');
  });

  it('reads experiment.json once per experiment folder', async () => {
    put('m-ts/20q/easy', { 'experiment.json': '{"name": "easy", "game_name": "20q", "max_turns": 20}' });
    const [a, b] = (await readResults(root, { models: ['m-ts'], experiments: ['easy'] })).episodes as [Episode, Episode];
    const fileA = a.experimentFile();
    expect(b.experimentFile()).toBe(fileA);
    expect(await fileA).toEqual({ name: 'easy', game_name: '20q', max_turns: 20 });
    expect(await (await readResults(root, { games: ['hello'] })).episodes[0]?.experimentFile()).toBeUndefined();
  });

  it('names the file and field of a scores.json that does not parse, when its scores are needed', async () => {
    put('m-ts/20q/easy/instance_00001', { 'scores.json': '{"meta": {}, "episode scores": {"Main Score": nan}}' });
    const file = path.join(root, 'm-ts/20q/easy/instance_00001/scores.json');
    expect(await rejectionMessage(readResults(root, { outcomes: ['lose'] }))).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
    const read = await readResults(root, { games: ['20q'] });
    await loadEpisodeScores(read.episodes);
    expect(await rejectionMessage((read.episodes[1] as Episode).episodeScores())).toMatch(/: not valid JSON/);
    expect(await (read.episodes[0] as Episode).outcome()).toBe('success');
  });
});

describe('symbolic links', () => {
  it('are not followed, on threads or not, and are reported with a note', async () => {
    const other = tmp.make();
    writeEpisode(other, { model: 'linked', game: '20q', experiment: 'easy', gameId: 0, outcome: 'success', mainScore: 50 });
    symlinkSync(path.join(other, 'linked'), path.join(root, 'linked'));
    symlinkSync(path.join(other, 'linked', '20q'), path.join(root, 'm-ts', 'game-link'));
    for (const threads of [0, 2]) {
      const read = await readResults(root, {}, { threads, threadsFrom: 0 });
      expect(read.links).toEqual(['linked', 'm-ts/game-link']);
      expect(read.episodes.some((e) => e.rel.includes('linked') || e.rel.includes('game-link'))).toBe(false);
      expect(linksNote(read)).toBe(`2 symbolic link(s) in ${root} not followed, so what they lead to was not read: linked, m-ts/game-link`);
    }
    expect(linksNote({ root, links: [] })).toBeUndefined();
  });
});
