import { beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../backends/programmatic/program.js';
import type { LoadedGame } from '../../core/game-loader.js';
import { loadPackagedGame, playLive } from '../../test/helpers/live-episode.js';
import { playerStates } from './states.js';

let twentyQ: { loaded: LoadedGame; programs: Map<string, Program> };
beforeAll(async () => {
  twentyQ = await loadPackagedGame('20q');
});

describe('playerStates', () => {
  it('one state per reply of the selected role, with the messages before it', async () => {
    const live = await playLive(twentyQ.loaded, [['Is it alive?', 'Is it an animal?', 'Is it a cat?'], ['Yes.', 'hmm', 'Yes.', 'Yes.']], { experiment: 'all_words', gameId: 10 });
    const episode = { gameName: '20q', experimentName: 'all_words', gameId: 10, interactions: live.interactions, instance: live.instance, experiment: live.experiment, seed: 0 };
    const questioner = playerStates(episode, { role: 'Questioner' });
    expect(questioner.map((s) => [s.turn, s.playerTurn, s.round, s.recordedReply])).toEqual([[0, 0, 0, 'Is it alive?'], [2, 1, 1, 'Is it an animal?'], [5, 2, 2, 'Is it a cat?']]);
    expect(questioner[1]!.messages).toEqual(live.players[0]!.history.slice(0, 3));
    expect(questioner.every((s) => s.messages.at(-1)?.role === 'user' && s.player === 'Player 1')).toBe(true);
    // the Answerer's re-prompted reply is a state of its own
    const answerer = playerStates(episode, { player: 'Player 2' });
    expect(answerer.map((s) => s.recordedReply)).toEqual(['Yes.', 'hmm', 'Yes.', 'Yes.']);
    expect(answerer[2]!.messages.at(-1)?.content).toContain('could not be read');
    expect(playerStates(episode).map((s) => s.turn)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
