import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../backends/backend.js';
import { createProgrammaticBackend } from '../../backends/programmatic/index.js';
import type { DialogueGame } from '../../core/game.js';
import { loadGame, loadInstances, type LoadedGame } from '../../core/game-loader.js';
import { playEpisode } from '../../core/game-master.js';
import { collectPrograms } from '../../core/programs.js';
import { scoreEpisode } from '../../core/scoring.js';
import { Player } from '../../players/player.js';
import { discoverGames, selectGames } from '../../registry/game-registry.js';
import { InstancesFileSchema } from '../../registry/instances.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { packageRoot } from '../../registry/package-root.js';
import { thrownMessage } from '../../test/helpers/errors.js';
import { fixedClock, scriptedBackend, type Script } from '../../test/helpers/scripted-backend.js';
import { binaryEntropy } from './info-gain.js';
import { generateInstances } from './instances.js';
import { findWord } from './words.js';

let twentyQ: LoadedGame;
let programs: ReturnType<typeof collectPrograms>;
beforeAll(async () => {
  const [spec] = selectGames('20q', discoverGames({ cwd: packageRoot(), env: {} }));
  if (!spec) throw new Error('20q is not registered');
  twentyQ = await loadGame(spec);
  programs = collectPrograms([twentyQ]);
});

const program = (name: string): Backend => createProgrammaticBackend(ModelSpecSchema.parse({ model_name: name, backend: 'programmatic', model_config: { program: name } }), programs);
const EXPERIMENT = { name: 'e', max_questions: 20, strict: true, allow_maybe: false, answerer_fallback: 'No.', max_question_words: 40 };

async function play(questioner: Backend | Script, answerer: Backend | Script, target = 'Cat', experiment: Record<string, unknown> = EXPERIMENT) {
  const clock = fixedClock();
  const w = findWord(target)!;
  const instance = { game_id: 0, target: w.word, variants: w.variants, category: w.category };
  const info = { gameName: '20q', experimentName: 'e', gameId: 0, instance };
  const backend = (b: Backend | Script, name: string) => (typeof b === 'function' || Array.isArray(b) ? scriptedBackend(name, b as Script) : (b as Backend));
  const players = [
    new Player('Player 1', 'Questioner', backend(questioner, 'q'), {}, info, clock),
    new Player('Player 2', 'Answerer', backend(answerer, 'a'), {}, info, clock),
  ];
  const game = twentyQ.module.game as DialogueGame<unknown, unknown, unknown, unknown>;
  const result = await playEpisode({
    game, gameName: '20q', experimentName: 'e', gameId: 0, instance, experiment, players, templates: twentyQ.templates,
    seed: 0, resultsFolder: 'q--a', playerModels: {}, clemVersion: 'test', clock,
  });
  const scores = scoreEpisode(game, result.interactions, instance, experiment);
  return { ...result, episode: scores['episode scores'], rounds: scores['round scores'], players };
}

describe('20q instances and prompts', () => {
  it('in/instances.json is what `clem-ts generate -g 20q --seed 1` writes; the generator is reproducible', () => {
    const file = JSON.parse(readFileSync(join(twentyQ.spec.game_path, 'in', 'instances.json'), 'utf8')) as unknown;
    expect(file).toEqual(InstancesFileSchema.parse(generateInstances(1)));
    expect(generateInstances(7)).toEqual(generateInstances(7));
    expect(generateInstances(7).experiments[1]).not.toEqual(generateInstances(1).experiments[1]);
    const rows = loadInstances(twentyQ);
    expect(rows.filter((r) => r.experimentName === 'all_words')).toHaveLength(158);
    const perCategory = rows.filter((r) => r.experimentName === 'one_per_category').map((r) => r.instance.category);
    expect(new Set(perCategory).size).toBe(17);
  });

  it('refuses an instance whose target is not a KB word', () => {
    const bad = { game_id: 0, target: 'Unicorn', variants: ['Unicorn'], category: 'Animals' };
    expect(thrownMessage(() => twentyQ.module.game.instanceSchema.parse(bad))).toContain("'Unicorn' is not a word of the 20q knowledge base");
  });

  it('renders every template; a missing variable throws', () => {
    expect(twentyQ.templates.names()).toEqual(['answerer-initial', 'answerer-reprompt', 'answerer-turn', 'questioner-initial', 'questioner-turn']);
    expect(twentyQ.templates.render('questioner-initial', { max_questions: 20, allow_maybe: false })).toMatch(/at most 20 questions[\s\S]*Ask question 1 of 20\.\n$/);
    expect(twentyQ.templates.render('questioner-turn', { answer: 'No.', number: 20, max_questions: 20, is_last: true })).toBe(
      'No.\n\nThis is your last question, so make your best guess. Ask question 20 of 20.\n',
    );
    const a = twentyQ.templates.render('answerer-initial', { word: 'Shoes', other_variants: ['Shoe', 'Pair of shoes'], question: 'Is it worn?', allow_maybe: true });
    expect(a).toContain('The hidden word is "Shoes" (also accepted: Shoe, Pair of shoes).');
    expect(a).toContain('(or "Maybe." when the answer really depends)');
    expect(a.endsWith('Question: Is it worn?\n')).toBe(true);
    expect(twentyQ.templates.render('answerer-turn', { question: 'Is it big?' })).toBe('Question: Is it big?\n');
    expect(twentyQ.templates.render('answerer-reprompt', { question: 'Is it big?', allow_maybe: false })).toContain('Answer with "Yes." or "No." only.');
    expect(thrownMessage(() => twentyQ.templates.render('answerer-turn', {}))).toMatch(/answerer-turn\.hbs: "question" not defined/);
  });
});

describe('20q episodes', () => {
  it('kb-greedy beats kb-oracle on every one_per_category word, with the counts and scores right', async () => {
    const targets = loadInstances(twentyQ).filter((r) => r.experimentName === 'one_per_category').map((r) => String(r.instance.target));
    for (const target of targets) {
      const r = await play(program('kb-greedy'), program('kb-oracle'), target);
      const q = r.episode.Questions as number;
      expect([target, r.outcome]).toEqual([target, 'success']);
      expect(r.interactions['Request Count']).toEqual(Array(q).fill(2));
      expect(r.interactions['Violated Request Count']).toEqual(Array(q).fill(0));
      expect(r.episode['Main Score']).toBeCloseTo(100 * (1 - (q - 1) / 20), 10);
      expect([r.episode['LMRL Return'], r.episode['Unmapped Questions'], r.episode['Repeated Questions'], r.episode['Candidates Left']]).toEqual([-(q - 1), 0, 0, 1]);
      expect(r.episode['EDA Score']).toBeCloseTo(1 - 0.02 * Math.max(q - 5, 0), 10);
      expect(r.episode['Mean Information Gain']).toBeGreaterThan(0.8);
      expect(r.interactions.target).toBe(target);
    }
  });

  it('scores information gain from the recorded candidates, and counts unmapped and repeated questions', async () => {
    const r = await play(['Is it alive?', 'Is it popular in Japan?', 'Is it alive?', 'Does it have fur?', 'Is it a feline?', 'Is it a cat?'], program('kb-oracle'));
    expect(r.outcome).toBe('success');
    // 14 of 158 words are alive (10 animals, tree, bush, forest, cactus); "yes" leaves 14
    expect(r.rounds['0']?.['Information Gain']).toBeCloseTo(binaryEntropy(14 / 158), 12);
    expect(r.rounds['0']?.['Realised Information Gain']).toBeCloseTo(Math.log2(158 / 14), 12);
    expect([r.rounds['1']?.['Information Gain'], r.rounds['1']?.['Unmapped Question']]).toEqual([null, 1]);
    expect([r.rounds['2']?.['Information Gain'], r.rounds['2']?.['Repeated Question']]).toEqual([0, 1]);
    expect(r.episode).toMatchObject({ Questions: 6, 'Unmapped Questions': 1, 'Repeated Questions': 1, 'Main Score': 75, 'LMRL Return': -5, Success: 1 });
    expect(r.episode['EDA Score']).toBeCloseTo(0.98, 12);
  });

  it('normalises a scripted LLM Answerer, asks once more when unreadable, then falls back to "No."', async () => {
    const answerer: Script = ['yes', 'Well, I would say it depends', '**Yes!**', 'hmm', 'not sure', 'No, it is not.', 'Yes.'];
    const r = await play(['Is it alive?', 'Is it an animal?', 'Is it a pet?', 'Is it a dog?', 'Is it a cat?'], answerer);
    expect(r.outcome).toBe('success');
    expect(r.interactions['Request Count']).toEqual([2, 3, 3, 2, 2]);
    expect(r.interactions['Violated Request Count']).toEqual([0, 1, 2, 0, 0]);
    const a = r.players[1]!.history.filter((m) => m.role === 'user').map((m) => m.content);
    expect(a[0]).toContain('The hidden word is "Cat"');
    expect(a[2]).toBe('Your answer could not be read. Answer with "Yes." or "No." only.\n\nQuestion: Is it an animal?\n');
    const events = r.interactions.turns[2]!.filter((e) => e.from === 'GM' && e.to === 'GM').map((e) => e.action.type);
    expect(events).toContain('answer fallback');
    // the fallback "No." to "Is it a pet?" is what the Questioner saw
    expect(r.players[0]!.history[6]?.content).toMatch(/^No\.\n/);
  });

  it('accepts "Maybe." only when allow_maybe is set; a maybe keeps every candidate', async () => {
    const withMaybe = await play(['Is it alive?', 'Is it a cat?'], ['Maybe.', 'Yes.'], 'Cat', { ...EXPERIMENT, allow_maybe: true });
    expect([withMaybe.outcome, withMaybe.interactions['Request Count']]).toEqual(['success', [2, 2]]);
    expect(withMaybe.rounds['0']?.['Realised Information Gain']).toBe(0);
    expect(withMaybe.players[0]!.history[2]?.content).toMatch(/^Maybe\.\n/);
    const without = await play(['Is it alive?', 'Is it a cat?'], ['Maybe.', 'Yes.', 'Yes.'], 'Cat');
    expect([without.outcome, without.interactions['Request Count'], without.interactions['Violated Request Count']]).toEqual(['success', [3, 2], [1, 0]]);
  });

  it('aborts on a reply that is not one question, with the request counts right', async () => {
    const r = await play(['Is it alive?', 'Is it big? Or small?'], ['Yes.']);
    expect(r.outcome).toBe('aborted');
    expect([r.interactions['Request Count'], r.interactions['Parsed Request Count'], r.interactions['Violated Request Count']]).toEqual([[2, 1], [2, 0], [0, 1]]);
    expect(r.episode).toMatchObject({ Aborted: 1, 'Main Score': null, Questions: null, 'Mean Information Gain': null });
    expect(r.interactions.turns[1]?.at(-1)?.action).toEqual({ type: 'invalid format', content: 'the reply must hold exactly one question' });
    for (const bad of ['I think it is a cat.', 'Is it\nalive?', '?', `Is it ${'very '.repeat(40)}big?`]) expect((await play([bad], ['Yes.'])).outcome).toBe('aborted');
  });

  it('in lenient mode takes the last real question, or a guess stated without "?", and counts the violation', async () => {
    const r = await play(['Let me think. Is it alive? If so, is it an animal?', 'Is it a cat?'], ['Yes.', 'Yes.'], 'Cat', { ...EXPERIMENT, strict: false });
    expect(r.outcome).toBe('success');
    expect(r.interactions['Violated Request Count']).toEqual([1, 0]);
    expect(r.players[1]!.history[0]?.content.endsWith('Question: If so, is it an animal?\n')).toBe(true);
    const s = await play(["Based on your answers, I'm going to guess that the object is a stapler."], program('kb-oracle'), 'Stapler', { ...EXPERIMENT, strict: false });
    expect([s.outcome, s.interactions['Violated Request Count'], s.episode.Questions]).toEqual(['success', [1], 1]);
    // strict mode reads it as no question at all
    const t = await play(["Based on your answers, I'm going to guess that the object is a stapler."], program('kb-oracle'), 'Stapler');
    expect(t.outcome).toBe('aborted');
  });

  it('loses after 20 questions without a correct guess; -m mock aborts at once', async () => {
    const r = await play((_req, i) => `Is it question number ${i}?`, program('kb-oracle'));
    expect(r.outcome).toBe('lose');
    expect(r.episode).toMatchObject({ Questions: 20, 'Main Score': 0, 'LMRL Return': -20, 'EDA Score': 0, 'Unmapped Questions': 20, Lose: 1 });
    expect(r.players[0]!.history.at(-2)?.content).toContain('This is your last question');
    const m = await play(program('mock'), program('mock'));
    expect([m.outcome, m.interactions['Request Count'], m.interactions['Violated Request Count']]).toEqual(['aborted', [1], [1]]);
  });

  it('wins with a correct guess on the last question; a quoted question is read without its quotes', async () => {
    const r = await play((_req, i) => (i < 19 ? `Is it question number ${i}?` : '"Is it a cat?"'), program('kb-oracle'));
    expect(r.outcome).toBe('success');
    expect(r.episode).toMatchObject({ Questions: 20, 'Main Score': 5, 'LMRL Return': -19, 'Unmapped Questions': 19, Success: 1, Lose: 0 });
    expect(r.episode['EDA Score']).toBe(0.7);
    expect(r.players[1]!.history.at(-2)?.content).toBe('Question: Is it a cat?\n');
  });

  it('re-scores from the recorded files alone, with the runner\'s extra experiment.json keys', async () => {
    const r = await play(program('kb-greedy'), program('kb-oracle'), 'Sea');
    const game = twentyQ.module.game as DialogueGame<unknown, unknown, unknown, unknown>;
    const recorded = JSON.parse(JSON.stringify(r.interactions)) as typeof r.interactions;
    const again = scoreEpisode(game, recorded, { game_id: 0, target: 'Sea', variants: ['Sea'], category: 'Nature' }, { ...EXPERIMENT, game_name: '20q', timestamp: 't', player_models: ['a', 'b'] });
    expect(again['episode scores']).toEqual(r.episode);
    expect(r.episode['Candidates Left']).toBe(1);
  });

  it('is deterministic: the same players and instance give identical interactions', async () => {
    const a = await play(program('random-kb'), program('kb-oracle'), 'Kite');
    const b = await play(program('random-kb'), program('kb-oracle'), 'Kite');
    expect(JSON.stringify(b.interactions)).toBe(JSON.stringify(a.interactions));
  });

  it('kb-oracle refuses to play without a 20q instance', async () => {
    const backend = program('kb-oracle');
    await expect(backend.generate({ messages: [{ role: 'user', content: 'Question: Is it alive?' }], args: {} })).rejects.toThrow('kb-oracle needs a 20q episode');
  });

  it('random-kb plays by the rules', async () => {
    const r = await play(program('random-kb'), program('kb-oracle'), 'Bear');
    expect(['success', 'lose']).toContain(r.outcome);
    expect(r.episode['Unmapped Questions']).toBe(0);
    expect(r.interactions['Violated Request Count'].every((n) => n === 0)).toBe(true);
  });
});
