import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Scores } from '../registry/scores.js';
import type { DialogueGame, EpisodeScores } from './game.js';
import { scoreEpisode } from './scoring.js';
import type { ScoresFile } from './scoring.js';
import type { Interactions } from '../registry/interactions.js';
import { thrownMessage } from '../test/helpers/errors.js';
import { toyGame } from '../test/helpers/toy-game.js';

type Scorer = Pick<DialogueGame<unknown, unknown, unknown, unknown>, 'score' | 'instanceSchema' | 'experimentSchema'>;

function interactions(outcome: 'success' | 'lose' | 'aborted', counts: { requests: number[]; parsed: number[]; violated: number[] }): Interactions {
  return {
    meta: { game_name: 'toy', experiment_name: 'basic', game_id: 0, results_folder: 'm', clem_version: '0', round_count: counts.requests.length, completed: true },
    player_models: {},
    players: { GM: { game_role: 'Game Master', model_name: 'programmatic' } },
    turns: counts.requests.map(() => []),
    'Request Count': counts.requests,
    'Parsed Request Count': counts.parsed,
    'Violated Request Count': counts.violated,
    Aborted: outcome === 'aborted' ? 1 : 0,
    Lose: outcome === 'lose' ? 1 : 0,
    Success: outcome === 'success' ? 1 : 0,
  };
}

function scorer(score: (i: Interactions) => EpisodeScores): Scorer {
  return { ...(toyGame as Scorer), score: ({ interactions: i }) => score(i) };
}

const instance = { game_id: 0, ending: 'win' };

describe('scoreEpisode', () => {
  it("adds the framework's counts, ratios and outcome to the game's own scores", () => {
    const game = scorer(() => ({ rounds: [{ Replies: 2 }, { Replies: 1 }], episode: { 'Main Score': 100, Bonus: 3 } }));
    const scores = scoreEpisode(game, interactions('success', { requests: [2, 2], parsed: [2, 1], violated: [0, 1] }), instance, { name: 'basic' });
    expect(scores['round scores']).toEqual({
      '0': { Replies: 2, 'Request Count': 2, 'Parsed Request Count': 2, 'Violated Request Count': 0, 'Request Success Ratio': 1 },
      '1': { Replies: 1, 'Request Count': 2, 'Parsed Request Count': 1, 'Violated Request Count': 1, 'Request Success Ratio': 0.5 },
    });
    expect(scores['episode scores']).toEqual({
      'Main Score': 100,
      Bonus: 3,
      'Request Count': 4,
      'Parsed Request Count': 3,
      'Violated Request Count': 1,
      'Request Success Ratio': 0.75,
      Aborted: 0,
      Lose: 0,
      Success: 1,
    });
    expect(scores.meta.game_name).toBe('toy');
  });

  it('forces Main Score to null on an aborted episode, and the game cannot claim success or request counts', () => {
    const game = scorer(() => ({ rounds: [], episode: { 'Main Score': 50, Success: 1, 'Request Count': 99 } }));
    const scores = scoreEpisode(game, interactions('aborted', { requests: [1], parsed: [0], violated: [1] }), instance, {});
    expect(scores['episode scores']).toMatchObject({ 'Main Score': null, Aborted: 1, Lose: 0, Success: 0, 'Request Count': 1, 'Request Success Ratio': 0 });
  });

  it('keeps a lost episode\'s Main Score and gives a null ratio for a round without requests', () => {
    const game = scorer(() => ({ rounds: [], episode: { 'Main Score': 0 } }));
    const scores = scoreEpisode(game, interactions('lose', { requests: [0], parsed: [0], violated: [0] }), instance, {});
    expect(scores['episode scores']).toMatchObject({ 'Main Score': 0, Lose: 1, 'Request Success Ratio': null });
    expect(scores['round scores']['0']?.['Request Success Ratio']).toBeNull();
  });

  it('refuses NaN and Infinity, naming where they are', () => {
    const i = interactions('success', { requests: [2], parsed: [2], violated: [0] });
    expect(thrownMessage(() => scoreEpisode(scorer(() => ({ rounds: [], episode: { 'Main Score': Number.NaN } })), i, instance, {}))).toBe(
      "episode scores: score 'Main Score' is NaN; use null for undefined numbers",
    );
    expect(
      thrownMessage(() => scoreEpisode(scorer(() => ({ rounds: [{ Speed: Number.POSITIVE_INFINITY }], episode: { 'Main Score': 1 } })), i, instance, {})),
    ).toBe("round 0: score 'Speed' is Infinity; use null for undefined numbers");
  });

  it('refuses a scorer that forgets Main Score', () => {
    const i = interactions('success', { requests: [2], parsed: [2], violated: [0] });
    expect(thrownMessage(() => scoreEpisode(scorer(() => ({ rounds: [], episode: { Bonus: 1 } })), i, instance, {}))).toBe(
      "toy: the scorer did not set 'Main Score'",
    );
  });
});

describe('ScoresFile and the scores.json schema', () => {
  it('the hand-written ScoresFile type is one the writer schema accepts (checked by tsc in npm test)', () => {
    const asScores = (file: ScoresFile): Scores => file;
    expectTypeOf(asScores).returns.toEqualTypeOf<Scores>();
  });
});
