import { describe, expect, it } from 'vitest';
import type { DialogueGame } from './game.js';
import { playEpisode, type EpisodeResult } from './game-master.js';
import { EpisodeRecorder } from './recorder.js';
import { Player } from '../players/player.js';
import { InteractionsSchema, type GameEvent } from '../registry/interactions.js';
import { rejectionMessage, thrownMessage } from '../test/helpers/errors.js';
import { fixedClock, scriptedBackend, type Script } from '../test/helpers/scripted-backend.js';
import { toyGame, toyTemplates } from '../test/helpers/toy-game.js';

type AnyGame = DialogueGame<unknown, unknown, unknown, unknown>;

interface Played extends EpisodeResult {
  players: Player[];
  backends: ReturnType<typeof scriptedBackend>[];
}

/** Plays one toy episode with a scripted Speaker and Listener. */
async function play(speaker: Script, listener: Script, opts: { game?: AnyGame; seed?: number; ending?: string } = {}): Promise<Played> {
  const clock = fixedClock();
  const instance = { game_id: 3, ending: opts.ending ?? 'win' };
  const episode = { gameName: 'toy', experimentName: 'basic', gameId: 3, instance };
  const backends = [scriptedBackend('speaker-model', speaker), scriptedBackend('listener-model', listener)];
  const players = backends.map((b, i) => new Player(`Player ${i + 1}`, i === 0 ? 'Speaker' : 'Listener', b, { temperature: 0 }, episode, clock));
  const result = await playEpisode({
    game: opts.game ?? (toyGame as AnyGame),
    gameName: 'toy',
    experimentName: 'basic',
    gameId: 3,
    instance,
    experiment: { name: 'basic' },
    players,
    templates: toyTemplates(),
    seed: opts.seed ?? 42,
    resultsFolder: 'speaker-model--listener-model',
    playerModels: { '0': 'speaker-model', '1': 'listener-model' },
    clemVersion: '0.0.0-test',
    clock,
  });
  InteractionsSchema.parse(result.interactions);
  return { ...result, players, backends };
}

/** Each round's events as `from>to type[: content]`, GM events with their content. */
function trace(events: readonly GameEvent[][]): string[][] {
  return events.map((round) =>
    round.map((e) => `${e.from}>${e.to} ${e.action.type}${e.from === 'GM' && e.to === 'GM' ? `: ${JSON.stringify(e.action.content)}` : ''}`),
  );
}

function counts(r: EpisodeResult): Record<string, unknown> {
  const i = r.interactions;
  return {
    requests: i['Request Count'],
    parsed: i['Parsed Request Count'],
    violated: i['Violated Request Count'],
    outcome: [i.Success, i.Lose, i.Aborted],
  };
}

describe('playEpisode: outcomes and request counts', () => {
  it('success: the game ends it, every request parsed', async () => {
    const r = await play(['SAY: hello'], ['SAY: win']);
    expect(r.outcome).toBe('success');
    expect(counts(r)).toEqual({ requests: [2], parsed: [2], violated: [0], outcome: [1, 0, 0] });
    expect(trace(r.interactions.turns)).toEqual([
      ['GM>Player 1 send message', 'Player 1>GM get message', 'GM>Player 2 send message', 'Player 2>GM get message', 'GM>GM game end: "said win"'],
    ]);
    expect(r.interactions.turns[0]?.[0]?.action).toEqual({ type: 'send message', content: 'Speaker, round 0. The other player said: (nothing yet)', label: 'context' });
    expect(r.interactions.turns[0]?.[3]?.action).toEqual({ type: 'get message', content: 'SAY: win', label: 'response' });
    expect(r.interactions.meta).toMatchObject({ game_name: 'toy', experiment_name: 'basic', game_id: 3, round_count: 1, completed: true });
    expect(r.interactions.players).toEqual({
      GM: { game_role: 'Game Master', model_name: 'programmatic' },
      'Player 1': { game_role: 'Speaker', model_name: 'speaker-model' },
      'Player 2': { game_role: 'Listener', model_name: 'listener-model' },
    });
    // Keys the game set through ctx.setKey are top-level keys.
    expect(r.interactions).toMatchObject({ ending: 'win' });
  });

  it('counts requests per round over several rounds, calling onRoundEnd between them', async () => {
    const r = await play(['SAY: a', 'SAY: c'], ['SAY: b', 'SAY: win']);
    expect(counts(r)).toEqual({ requests: [2, 2], parsed: [2, 2], violated: [0, 0], outcome: [1, 0, 0] });
    expect(r.interactions.meta.round_count).toBe(2);
    expect(r.interactions.turns[1]?.[0]?.action.content).toBe('Speaker, round 1. The other player said: b');
  });

  it('a game whose second player moves first still plays whole rounds', async () => {
    const listenerFirst = { ...toyGame, firstPlayer: () => 1 } as AnyGame;
    const r = await play(['SAY: b', 'SAY: win'], ['SAY: a', 'SAY: c'], { game: listenerFirst });
    expect(counts(r)).toEqual({ requests: [2, 2], parsed: [2, 2], violated: [0, 0], outcome: [1, 0, 0] });
    expect(r.interactions.turns.map((round) => round.filter((e) => e.action.type === 'get message').map((e) => e.from))).toEqual([
      ['Player 2', 'Player 1'],
      ['Player 2', 'Player 1'],
    ]);
    expect(r.interactions.turns[1]?.[0]?.action.content).toBe('Listener, round 1. The other player said: b');
  });

  it('a RuleViolation loses the episode; the reply still counts as parsed', async () => {
    const r = await play(['SAY: hi', 'SAY: x'], ['SAY: ok', 'SAY: lose']);
    expect(r.outcome).toBe('lose');
    expect(counts(r)).toEqual({ requests: [2, 2], parsed: [2, 2], violated: [0, 0], outcome: [0, 1, 0] });
    expect(trace(r.interactions.turns)[1]?.at(-1)).toBe('GM>GM rule violation: "lose is a forbidden word"');
  });

  it('a ParseError aborts the episode at once, counted as violated in its round', async () => {
    const r = await play(['SAY: hi', 'no prefix'], ['SAY: ok', 'SAY: never asked']);
    expect(r.outcome).toBe('aborted');
    expect(counts(r)).toEqual({ requests: [2, 1], parsed: [2, 0], violated: [0, 1], outcome: [0, 0, 1] });
    expect(trace(r.interactions.turns)[1]).toEqual([
      'GM>Player 1 send message',
      'Player 1>GM get message',
      'GM>GM invalid format: "the reply must start with SAY:"',
    ]);
    expect(r.backends[1]?.requests).toHaveLength(1);
  });

  it('a re-prompt asks the same player again within the same round', async () => {
    const r = await play(['SAY: again', 'SAY: fine'], ['SAY: win']);
    expect(counts(r)).toEqual({ requests: [3], parsed: [3], violated: [0], outcome: [1, 0, 0] });
    expect(r.backends[0]?.requests).toHaveLength(2);
    expect(r.players[0]?.calls.map((c) => c.round)).toEqual([0, 0]);
  });

  it('noteViolation counts a violated request without ending the episode', async () => {
    const r = await play(['SAY: note'], ['SAY: win']);
    expect(r.outcome).toBe('success');
    expect(counts(r)).toEqual({ requests: [2], parsed: [1], violated: [1], outcome: [1, 0, 0] });
    expect(trace(r.interactions.turns)[0]).toContain('GM>GM violation noted: "note is frowned upon"');
  });

  it("the game's request cap ends the episode as lost through the same path", async () => {
    const capped = { ...toyGame, maxRequests: 3 } as AnyGame;
    const r = await play(() => 'SAY: blah', () => 'SAY: blah', { game: capped });
    expect(r.outcome).toBe('lose');
    expect(counts(r)).toEqual({ requests: [2, 1], parsed: [2, 1], violated: [0, 0], outcome: [0, 1, 0] });
    expect(trace(r.interactions.turns)[1]?.at(-1)).toBe('GM>GM turn limit: "the episode reached 3 requests"');
  });

  it('without a cap of its own a game stops after 100 requests', async () => {
    const r = await play(() => 'SAY: blah', () => 'SAY: blah');
    expect(r.outcome).toBe('lose');
    expect(r.interactions['Request Count'].reduce((a, b) => a + b, 0)).toBe(100);
    expect(r.interactions.meta.round_count).toBe(50);
  });
});

describe('playEpisode: players and failures', () => {
  it("each player's history is its own perspective, and the backend sees all of it", async () => {
    const r = await play(['SAY: a', 'SAY: c'], ['SAY: b', 'SAY: win']);
    expect(r.players[0]?.history).toEqual([
      { role: 'user', content: 'Speaker, round 0. The other player said: (nothing yet)' },
      { role: 'assistant', content: 'SAY: a' },
      { role: 'user', content: 'Speaker, round 1. The other player said: b' },
      { role: 'assistant', content: 'SAY: c' },
    ]);
    expect(r.players[1]?.history).toEqual([
      { role: 'user', content: 'Listener, round 0. The other player said: a' },
      { role: 'assistant', content: 'SAY: b' },
      { role: 'user', content: 'Listener, round 1. The other player said: c' },
      { role: 'assistant', content: 'SAY: win' },
    ]);
    expect(r.backends[0]?.requests[1]?.messages).toEqual(r.players[0]?.history.slice(0, 3));
    expect(r.backends[1]?.requests[0]?.episode).toEqual({
      gameName: 'toy', experimentName: 'basic', gameId: 3, role: 'Listener', playerName: 'Player 2', instance: { game_id: 3, ending: 'win' },
    });
  });

  it('a game cannot overwrite the outcome or count keys', async () => {
    expect(await rejectionMessage(play(['SAY: reserved'], ['SAY: win']))).toBe("interactions key 'Success' is reserved for the framework");
    const recorder = new EpisodeRecorder(fixedClock());
    for (const key of ['meta', 'player_models', 'players', 'turns', 'Request Count', 'Parsed Request Count', 'Violated Request Count', 'Aborted', 'Lose', 'Success'])
      expect(thrownMessage(() => recorder.setKey(key, 1))).toBe(`interactions key '${key}' is reserved for the framework`);
    recorder.setKey('Main Score', 1);
    expect(recorder.keys).toEqual({ 'Main Score': 1 });
  });

  it("records a model's reasoning beside its reply; the player's history keeps the reply only", async () => {
    const thinking = scriptedBackend('thinker', ['SAY: hello']);
    const base = thinking.generate.bind(thinking);
    thinking.generate = async (request) => {
      const result = await base(request);
      return { ...result, choices: result.choices.map((c) => ({ ...c, reasoning: 'I should greet first.' })) };
    };
    const clock = fixedClock();
    const instance = { game_id: 0, ending: 'win' };
    const info = { gameName: 'toy', experimentName: 'basic', gameId: 0, instance };
    const players = [new Player('Player 1', 'Speaker', thinking, {}, info, clock), new Player('Player 2', 'Listener', scriptedBackend('l', ['SAY: win']), {}, info, clock)];
    const r = await playEpisode({
      game: toyGame as AnyGame, gameName: 'toy', experimentName: 'basic', gameId: 0, instance, experiment: {}, players,
      templates: toyTemplates(), seed: 1, resultsFolder: 'x', playerModels: {}, clemVersion: 't', clock,
    });
    expect(r.interactions.turns[0]?.[1]?.action).toEqual({ type: 'get message', content: 'SAY: hello', label: 'response', reasoning: 'I should greet first.' });
    expect(r.interactions.turns[0]?.[3]?.action).not.toHaveProperty('reasoning');
    expect(players[0]?.history[1]).toEqual({ role: 'assistant', content: 'SAY: hello' });
  });

  it('a game naming a player that does not exist is a bug, reported as such', async () => {
    const lost = { ...toyGame, advance: () => ({ kind: 'continue', next: 5 }) } as AnyGame;
    expect(await rejectionMessage(play(['SAY: hi'], ['SAY: win'], { game: lost }))).toBe('toy: the game named player index 5, but there are 2 players');
  });

  it('a backend failure is not an outcome: it propagates', async () => {
    const failing = (): string => {
      throw new Error('listener-model: 503 Service Unavailable');
    };
    expect(await rejectionMessage(play(['SAY: hi'], failing))).toBe('listener-model: 503 Service Unavailable');
  });

  it('a bug in a hook propagates too', async () => {
    const buggy = { ...toyGame, advance: () => { throw new TypeError('cannot read x of undefined'); } } as AnyGame;
    expect(await rejectionMessage(play(['SAY: hi'], ['SAY: win'], { game: buggy }))).toBe('cannot read x of undefined');
  });

  it('an instance that does not match the game schema is refused before any request', async () => {
    expect(await rejectionMessage(play(['SAY: hi'], ['SAY: win'], { ending: 'draw' }))).toMatch(/ending/);
  });
});

describe('playEpisode: determinism', () => {
  it('the same seed, instance and scripted players give byte-identical interactions', async () => {
    const a = await play(['SAY: a', 'SAY: c'], ['SAY: b', 'SAY: win'], { seed: 7 });
    const b = await play(['SAY: a', 'SAY: c'], ['SAY: b', 'SAY: win'], { seed: 7 });
    expect(JSON.stringify(b.interactions)).toBe(JSON.stringify(a.interactions));
    expect(JSON.stringify(b.players.map((p) => p.toRequestsLog()))).toBe(JSON.stringify(a.players.map((p) => p.toRequestsLog())));
    const c = await play(['SAY: a', 'SAY: c'], ['SAY: b', 'SAY: win'], { seed: 8 });
    expect(c.interactions.draw).not.toBe(a.interactions.draw);
  });
});
