import { beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../backends/programmatic/program.js';
import { InteractionsSchema, type Interactions } from '../registry/interactions.js';
import { thrownMessage } from '../test/helpers/errors.js';
import { loadPackagedGame, playLive, programBackend, type AnyGame, type LiveEpisode } from '../test/helpers/live-episode.js';
import { fixedClock, scriptedBackend } from '../test/helpers/scripted-backend.js';
import { toyGame, toyTemplates } from '../test/helpers/toy-game.js';
import { episodeConversations, messagesBeforeReply } from './conversations.js';
import { defineGame } from './game.js';
import type { LoadedGame } from './game-loader.js';
import { playEpisode } from './game-master.js';
import { Player } from '../players/player.js';
import { branchEpisode, episodeSeed, replayEpisode, type RecordedEpisode } from './replay.js';

type Loaded = { loaded: LoadedGame; programs: Map<string, Program> };
let twentyQ: Loaded;
let hello: Loaded;
beforeAll(async () => {
  twentyQ = await loadPackagedGame('20q');
  hello = await loadPackagedGame('hello');
});

const game = (l: Loaded) => ({ game: l.loaded.module.game as AnyGame, templates: l.loaded.templates });

/** The episode as a reader gets it back from disk. */
function recorded(l: Loaded, live: LiveEpisode): RecordedEpisode {
  const interactions = InteractionsSchema.parse(JSON.parse(JSON.stringify(live.interactions)));
  return { gameName: l.loaded.spec.game_name, experimentName: interactions.meta.experiment_name, gameId: interactions.meta.game_id, interactions, instance: live.instance, experiment: live.experiment, seed: live.seed };
}

/** The events and counts without timestamps (a replay runs at another time) nor meta.results_folder/players. */
function withoutTime(i: Interactions): unknown {
  const { meta: _m, players: _p, ...rest } = i;
  return { ...rest, turns: i.turns.map((round) => round.map(({ timestamp: _t, ...e }) => e)) };
}

const kb = (name: string) => programBackend(name, twentyQ.programs);

describe('replayEpisode: every recorded prompt, byte for byte', () => {
  const cases: [string, () => Promise<[Loaded, LiveEpisode]>][] = [
    ['20q kb-greedy/kb-oracle', async () => [twentyQ, await playLive(twentyQ.loaded, [kb('kb-greedy'), kb('kb-oracle')], { experiment: 'all_words', gameId: 42 })]],
    ['20q random-kb/kb-oracle (a lost episode)', async () => [twentyQ, await playLive(twentyQ.loaded, [kb('random-kb'), kb('kb-oracle')], { experiment: 'all_words', gameId: 3 })]],
    ['20q with re-prompts and a fallback', async () => [twentyQ, await playLive(twentyQ.loaded, [['Is it alive?', 'Is it an animal?', 'Is it a pet?', 'Is it a dog?', 'Is it a cat?'], ['yes', 'it depends', '**Yes!**', 'hmm', 'not sure', 'No.', 'Yes.']], { experiment: 'all_words', gameId: 10 })]],
    ['hello, two rounds', async () => [hello, await playLive(hello.loaded, [programBackend('hello/mock', hello.programs), programBackend('hello/mock', hello.programs)], { experiment: 'two_rounds', gameId: 1 })]],
    ['hello, aborted', async () => [hello, await playLive(hello.loaded, [['GREET: Hello Barbara'], ['no prefix']], { experiment: 'one_round', gameId: 0 })]],
  ];
  it.each(cases)('%s', async (_name, make) => {
    const [l, live] = await make();
    const episode = recorded(l, live);
    const { session, turns } = replayEpisode(episode, game(l));
    expect(session.outcome).toBe(live.outcome);
    expect(turns.length).toBe(live.players.reduce((n, p) => n + p.calls.length, 0));
    const again = session.interactions({ experimentName: episode.experimentName, gameId: episode.gameId, resultsFolder: 'x', clemVersion: 'test', playerModels: {}, modelNames: [] });
    // as written to interactions.json (key order included)
    expect(JSON.stringify(withoutTime(again))).toBe(JSON.stringify(withoutTime(live.interactions)));
  });

  it('the runner\'s seed: episodeSeed is hashSeed(run seed, game, experiment, game_id)', () => {
    expect(episodeSeed(0, '20q', 'all_words', 3)).toBe(episodeSeed(0, '20q', 'all_words', 3));
    expect(episodeSeed(0, '20q', 'all_words', 3)).not.toBe(episodeSeed(1, '20q', 'all_words', 3));
  });
});

describe('replay refuses a game that is not deterministic under replay', () => {
  it('a game whose prompts change from one play to the next is refused, naming the episode and the turn', async () => {
    let plays = 0;
    const drifting = defineGame({ ...toyGame, setup: (i, ctx) => ((plays += 1), toyGame.setup(i, ctx)), prompt: (s, p, ctx) => `${toyGame.prompt(s, p, ctx)} (play ${plays})` });
    const clock = fixedClock();
    const instance = { game_id: 0, ending: 'win' };
    const info = { gameName: 'toy', experimentName: 'basic', gameId: 0, instance };
    const players = ['Speaker', 'Listener'].map((role, i) => new Player(`Player ${i + 1}`, role, scriptedBackend(role, i === 0 ? ['SAY: hi'] : ['SAY: win']), {}, info, clock));
    const live = await playEpisode({ game: drifting as AnyGame, gameName: 'toy', experimentName: 'basic', gameId: 0, instance, experiment: { name: 'basic' }, players, templates: toyTemplates(), seed: 1, resultsFolder: 'a--b', playerModels: {}, clemVersion: 't', clock });
    const episode: RecordedEpisode = { gameName: 'toy', experimentName: 'basic', gameId: 0, interactions: live.interactions, instance, experiment: { name: 'basic' }, seed: 1, dir: 'results/a--b/toy/basic/instance_00000' };
    expect(thrownMessage(() => replayEpisode(episode, { game: drifting as AnyGame, templates: toyTemplates() }))).toBe(
      'results/a--b/toy/basic/instance_00000: replay diverged at turn 0: the context of Player 1\'s reply 0 differs (first difference at character 61: recorded "(nothing yet) (play 1)", replayed "(nothing yet) (play 2)"). The game is not deterministic under replay (or this is not the episode\'s seed), so it cannot be branched.',
    );
    await expect(branchEpisode(episode, { game: drifting as AnyGame, templates: toyTemplates() }, { at: { player: 'Player 2', playerTurn: 0 }, backends: [scriptedBackend('a', []), scriptedBackend('b', [])] })).rejects.toMatchObject({ code: 'replay_diverged', turn: 0 });
  });

  it('a game whose prompts use the episode rng replays with the episode seed and is refused with another', async () => {
    const seeded = defineGame({ ...toyGame, prompt: (s, p, ctx) => `${toyGame.prompt(s, p, ctx)} [${ctx.rng.int(1000)}]` });
    const clock = fixedClock();
    const instance = { game_id: 0, ending: 'win' };
    const info = { gameName: 'toy', experimentName: 'basic', gameId: 0, instance };
    const players = ['Speaker', 'Listener'].map((role, i) => new Player(`Player ${i + 1}`, role, scriptedBackend(role, i === 0 ? ['SAY: a', 'SAY: b'] : ['SAY: c', 'SAY: win']), {}, info, clock));
    const live = await playEpisode({ game: seeded as AnyGame, gameName: 'toy', experimentName: 'basic', gameId: 0, instance, experiment: { name: 'basic' }, players, templates: toyTemplates(), seed: 7, resultsFolder: 'a--b', playerModels: {}, clemVersion: 't', clock });
    const episode: RecordedEpisode = { gameName: 'toy', experimentName: 'basic', gameId: 0, interactions: live.interactions, instance, experiment: { name: 'basic' }, seed: 7 };
    const g = { game: seeded as AnyGame, templates: toyTemplates() };
    expect(replayEpisode(episode, g).session.outcome).toBe('success');
    expect(() => replayEpisode({ ...episode, seed: 8 }, g)).toThrow(/^toy\/basic\/0: replay diverged at turn 0: the context of Player 1's reply 0 differs/);
  });
});

describe('branchEpisode', () => {
  it('a branch at k shares the first k rounds, then plays the candidate and a window of live turns', async () => {
    const live = await playLive(twentyQ.loaded, [kb('kb-greedy'), kb('kb-oracle')], { experiment: 'all_words', gameId: 10 }); // Cat
    const episode = recorded(twentyQ, live);
    const k = 3;
    const policy = scriptedBackend('policy', ['Is it a dog?']);
    const branch = await branchEpisode(episode, game(twentyQ), { at: { player: 'Player 1', playerTurn: k }, candidate: 'Is it a pet?', backends: [policy, kb('kb-oracle')], window: 2 });
    // the Questioner's k-th reply opens round k: rounds 0..k-1 are the record's, and round k starts with its context
    const rounds = (i: Interactions) => (withoutTime(i) as { turns: unknown[] }).turns.slice(0, k);
    expect(rounds(branch.interactions)).toEqual(rounds(episode.interactions));
    expect(branch.interactions['Request Count'].slice(0, k)).toEqual(episode.interactions['Request Count'].slice(0, k));
    expect(branch.interactions.turns[k]?.[0]?.action.content).toBe(episode.interactions.turns[k]?.[0]?.action.content);
    expect(branch.turns[branch.from]).toMatchObject({ player: 'Player 1', playerTurn: k, reply: 'Is it a pet?' });
    // window 2: the oracle answers the candidate, the policy asks once more; then the game's next context waits
    expect(branch.turns.slice(branch.from + 1).map((t) => [t.player, t.reply])).toEqual([['Player 2', 'Yes.'], ['Player 1', 'Is it a dog?'], ['Player 2', null]]);
    expect(branch.outcome).toBeNull();
    expect(branch.interactions.meta.completed).toBe(false);
    expect(branch.next).toEqual({ player: 'Player 2', context: 'Question: Is it a dog?\n' });
    // the policy was given exactly the Questioner's recorded history, then the candidate and the answer to it
    const [questioner] = episodeConversations(episode.interactions);
    expect(policy.requests[0]?.messages).toEqual([
      ...messagesBeforeReply(questioner!, k),
      { role: 'assistant', content: 'Is it a pet?' },
      { role: 'user', content: branch.turns[branch.from + 2]?.context },
    ]);
    expect(branch.turns[branch.from + 2]?.context).toMatch(/^Yes\.\n\nAsk question 5 of 20\./);
  });

  it('with the recorded players live and no candidate, the branch is the recorded episode (programs replay too)', async () => {
    for (const [questioner, gameId] of [['kb-greedy', 42], ['random-kb', 7]] as const) {
      const live = await playLive(twentyQ.loaded, [kb(questioner), kb('kb-oracle')], { experiment: 'all_words', gameId });
      const episode = recorded(twentyQ, live);
      const branch = await branchEpisode(episode, game(twentyQ), { at: { player: 'Player 1', playerTurn: 2 }, backends: [kb(questioner), kb('kb-oracle')], args: [{ temperature: 0 }, { temperature: 0 }] });
      expect(branch.outcome).toBe(live.outcome);
      expect(branch.next).toBeNull();
      expect(withoutTime(branch.interactions)).toEqual(withoutTime(episode.interactions));
    }
  });

  it('a candidate that ends the game: no window is played, the outcome is the game\'s', async () => {
    const live = await playLive(hello.loaded, [programBackend('hello/mock', hello.programs), programBackend('hello/mock', hello.programs)], { experiment: 'two_rounds', gameId: 0 });
    const episode = recorded(hello, live);
    const branch = await branchEpisode(episode, game(hello), { at: { turn: 2 }, candidate: 'GREET: hi', backends: [scriptedBackend('g', []), scriptedBackend('h', [])], window: 5 });
    expect(branch.outcome).toBe('lose'); // the greeting does not name the guest
    expect(branch.next).toBeNull();
    expect(branch.turns).toHaveLength(3);
  });

  it('a branch point the player never reached is a RangeError', async () => {
    const live = await playLive(hello.loaded, [programBackend('hello/mock', hello.programs), programBackend('hello/mock', hello.programs)], { experiment: 'one_round', gameId: 0 });
    await expect(branchEpisode(recorded(hello, live), game(hello), { at: { player: 'Player 2', playerTurn: 1 }, backends: [] })).rejects.toThrow('hello/one_round/0: Player 2 has no reply 1 (it made 1)');
  });
});
