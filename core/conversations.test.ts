import { beforeAll, describe, expect, it } from 'vitest';
import { InteractionsSchema, type Interactions } from '../registry/interactions.js';
import type { LoadedGame } from './game-loader.js';
import { episodeConversations, messagesBeforeReply, recordedTurns } from './conversations.js';
import { loadPackagedGame, playLive, programBackend, type LiveEpisode } from '../test/helpers/live-episode.js';
import type { Program } from '../backends/programmatic/program.js';

let twentyQ: { loaded: LoadedGame; programs: Map<string, Program> };
let hello: { loaded: LoadedGame; programs: Map<string, Program> };
beforeAll(async () => {
  twentyQ = await loadPackagedGame('20q');
  hello = await loadPackagedGame('hello');
});

/** The interactions as a reader gets them: written to JSON and parsed back by the schema. */
const roundTrip = (i: Interactions): Interactions => InteractionsSchema.parse(JSON.parse(JSON.stringify(i)));

function expectEqualToLivePlayers(live: LiveEpisode): void {
  const conversations = episodeConversations(roundTrip(live.interactions), JSON.parse(JSON.stringify(live.scores)));
  expect(conversations.map((c) => c.player)).toEqual(live.players.map((p) => p.name));
  for (const [i, c] of conversations.entries()) {
    const player = live.players[i]!;
    expect(c.messages).toEqual(player.history);
    expect(c.role).toBe(player.role);
    expect(c.modelName).toBe(player.modelName);
  }
}

describe('episodeConversations: each player exactly as it saw the episode', () => {
  let live: LiveEpisode;

  it('20q, kb-greedy against kb-oracle: equals each live Player.history', async () => {
    live = await playLive(twentyQ.loaded, [programBackend('kb-greedy', twentyQ.programs), programBackend('kb-oracle', twentyQ.programs)], { experiment: 'all_words', gameId: 5 });
    expect(live.outcome).toBe('success');
    expectEqualToLivePlayers(live);
  });

  it('20q with re-prompts: the unreadable answer and the re-prompt stay in the Answerer\'s conversation', async () => {
    const answerer = ['yes', 'Well, it depends', '**Yes!**', 'hmm', 'not sure', 'No.', 'Yes.'];
    live = await playLive(twentyQ.loaded, [['Is it alive?', 'Is it an animal?', 'Is it a pet?', 'Is it a dog?', 'Is it a cat?'], answerer], { experiment: 'all_words', gameId: 10 }); // Cat
    expectEqualToLivePlayers(live);
    const [questioner, answererConv] = episodeConversations(roundTrip(live.interactions), JSON.parse(JSON.stringify(live.scores)));
    // 5 questions; the Answerer replied 7 times (two unreadable replies were asked again)
    expect(questioner!.turns).toHaveLength(5);
    expect(answererConv!.turns).toHaveLength(7);
    expect(answererConv!.messages[4]?.content).toContain('Your answer could not be read.');
    expect(answererConv!.turns.map((t) => t.round)).toEqual([0, 1, 1, 2, 2, 3, 4]);
    // scores are attached: the episode's and each round's
    expect(questioner!.episodeScores).toMatchObject({ Questions: 5, Success: 1 });
    expect(questioner!.roundScores).toHaveLength(live.interactions.turns.length);
    expect(questioner!.roundScores[0]).toMatchObject({ 'Request Count': 2 });
    expect(questioner!.outcome).toBe(live.outcome);
  });

  it('hello (two rounds, mock players): equals each live Player.history', async () => {
    live = await playLive(hello.loaded, [programBackend('hello/mock', hello.programs), programBackend('hello/mock', hello.programs)], { experiment: 'two_rounds' });
    expect(live.outcome).toBe('success');
    expectEqualToLivePlayers(live);
  });

  it('an aborted episode: the last reply is in the conversation', async () => {
    live = await playLive(hello.loaded, [['Hi there'], ['REPLY: thanks']], { experiment: 'one_round' });
    expect(live.outcome).toBe('aborted');
    expectEqualToLivePlayers(live);
  });
});

describe('recordedTurns', () => {
  it('numbers turns in play order, per player and per round', async () => {
    const live = await playLive(hello.loaded, [programBackend('hello/mock', hello.programs), programBackend('hello/mock', hello.programs)], { experiment: 'two_rounds' });
    const turns = recordedTurns(live.interactions);
    expect(turns.map((t) => [t.turn, t.player, t.playerTurn, t.round])).toEqual([
      [0, 'Player 1', 0, 0], [1, 'Player 2', 0, 0], [2, 'Player 1', 1, 1], [3, 'Player 2', 1, 1],
    ]);
    expect(turns[0]?.reply).toMatch(/^GREET: Hello/);
  });

  it('a context without a reply (an episode that failed mid-turn) is a last turn with reply null', () => {
    const event = (from: string, to: string, type: string, content: string) => ({ from, to, timestamp: 't', action: { type, content } });
    const turns = recordedTurns({ turns: [[event('GM', 'Player 1', 'send message', 'a'), event('Player 1', 'GM', 'get message', 'b'), event('GM', 'Player 1', 'send message', 'c')]] });
    expect(turns.map((t) => [t.context, t.reply])).toEqual([['a', 'b'], ['c', null]]);
  });

  it('a system message the game sent comes first', () => {
    const event = (from: string, to: string, type: string, content: string) => ({ from, to, timestamp: 't', action: { type, content } });
    const interactions = InteractionsSchema.parse({
      meta: { game_name: 'g', experiment_name: 'e', game_id: 0, results_folder: 'm', clem_version: 'x', round_count: 1, completed: true },
      player_models: {},
      players: { GM: { game_role: 'Game Master', model_name: 'programmatic' }, 'Player 1': { game_role: 'Solo', model_name: 'm' } },
      turns: [[event('GM', 'Player 1', 'system', 'Be brief.'), event('GM', 'Player 1', 'send message', 'a'), event('Player 1', 'GM', 'get message', 'b')]],
      'Request Count': [1], 'Parsed Request Count': [1], 'Violated Request Count': [0], Aborted: 0, Lose: 0, Success: 1,
    });
    const [solo] = episodeConversations(interactions);
    expect(solo!.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }]);
    expect(solo!.replyIndex).toEqual([2]);
    expect(solo!.outcome).toBe('success');
  });

  it('clemcore files: players as bare model names, list contents, no outcome keys', () => {
    const event = (from: string, to: string, type: string, content: unknown) => ({ from, to, action: { type, content } });
    const [p1, p2] = episodeConversations({
      players: { GM: 'Game master for taboo', 'Player 1': 'gpt-4o', 'Player 2': 'llama3' },
      turns: [[event('GM', 'Player 1', 'send message', 'describe'), event('Player 1', 'GM', 'get message', 'CLUE: x'), event('GM', 'Player 2', 'send message', ['a', 1]), event('Player 2', 'GM', 'get message', 'GUESS: y')]],
    });
    expect(p1).toMatchObject({ player: 'Player 1', role: '', modelName: 'gpt-4o', outcome: 'unknown' });
    expect(p2!.messages).toEqual([{ role: 'user', content: '["a",1]' }, { role: 'assistant', content: 'GUESS: y' }]);
  });

  it('messagesBeforeReply: the history up to the context answered by reply k', async () => {
    const live = await playLive(hello.loaded, [programBackend('hello/mock', hello.programs), programBackend('hello/mock', hello.programs)], { experiment: 'two_rounds' });
    const [greeter] = episodeConversations(live.interactions);
    expect(messagesBeforeReply(greeter!, 1)).toEqual(live.players[0]!.history.slice(0, 3));
    expect(() => messagesBeforeReply(greeter!, 2)).toThrow('Player 1 made 2 replies; there is no reply 2');
  });
});
