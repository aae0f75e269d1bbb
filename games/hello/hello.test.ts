import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DialogueGame } from '../../core/game.js';
import { loadGame, type LoadedGame } from '../../core/game-loader.js';
import { playEpisode } from '../../core/game-master.js';
import { scoreEpisode } from '../../core/scoring.js';
import { Player } from '../../players/player.js';
import { discoverGames, selectGames } from '../../registry/game-registry.js';
import { InstancesFileSchema } from '../../registry/instances.js';
import { packageRoot } from '../../registry/package-root.js';
import { thrownMessage } from '../../test/helpers/errors.js';
import { fixedClock, scriptedBackend, type Script } from '../../test/helpers/scripted-backend.js';
import { generateInstances } from './instances.js';

let hello: LoadedGame;
beforeAll(async () => {
  const [spec] = selectGames('hello', discoverGames({ cwd: packageRoot(), env: {} }));
  if (!spec) throw new Error('hello is not registered');
  hello = await loadGame(spec);
});

async function play(greeter: Script, guest: Script, rounds = 1) {
  const clock = fixedClock();
  const instance = { game_id: 0, guest: 'Ada' };
  const info = { gameName: 'hello', experimentName: 'e', gameId: 0, instance };
  const players = [
    new Player('Player 1', 'Greeter', scriptedBackend('g', greeter), {}, info, clock),
    new Player('Player 2', 'Guest', scriptedBackend('h', guest), {}, info, clock),
  ];
  const game = hello.module.game as DialogueGame<unknown, unknown, unknown, unknown>;
  const experiment = { name: 'e', rounds };
  const result = await playEpisode({
    game, gameName: 'hello', experimentName: 'e', gameId: 0, instance, experiment, players, templates: hello.templates,
    seed: 0, resultsFolder: 'g--h', playerModels: {}, clemVersion: 'test', clock,
  });
  return { ...result, scores: scoreEpisode(game, result.interactions, instance, experiment)['episode scores'], players };
}

describe('hello instances', () => {
  it('in/instances.json is what `clem-ts generate -g hello --seed 1` writes, and the generator is reproducible', () => {
    const file = JSON.parse(readFileSync(join(hello.spec.game_path, 'in', 'instances.json'), 'utf8')) as unknown;
    expect(file).toEqual(generateInstances(1));
    expect(InstancesFileSchema.parse(generateInstances(9, { perExperiment: 3 }))).toEqual(generateInstances(9, { perExperiment: 3 }));
    expect(generateInstances(2)).not.toEqual(generateInstances(1));
    expect(generateInstances(1, { perExperiment: 2 }).experiments.map((e) => e.game_instances.length)).toEqual([2, 2]);
  });
});

describe('hello prompts', () => {
  it('every template renders, and a missing variable throws', () => {
    expect(hello.templates.names()).toEqual(['greeter', 'greeter-next', 'guest']);
    expect(hello.templates.render('greeter', { guest: 'Ada' })).toContain('A guest called Ada has just arrived.');
    expect(hello.templates.render('greeter-next', { guest: 'Ada', reply: 'Thanks!' })).toBe(
      'Ada said: "Thanks!"\nGreet Ada once more, again starting with "GREET:", saying "hello" and their name.\n',
    );
    expect(hello.templates.render('guest', { guest: 'Ada', greeting: 'Hello <Ada> & co' })).toContain('The host said: "Hello <Ada> & co"');
    expect(thrownMessage(() => hello.templates.render('greeter-next', { guest: 'Ada' }))).toMatch(/greeter-next\.hbs: "reply" not defined/);
  });
});

describe('hello episodes', () => {
  it('the rules followed for two rounds: success, Main Score 100', async () => {
    const r = await play(['GREET: Hello Ada!', 'GREET: hello again, ada'], ['REPLY: Thank you', 'REPLY: thanks!'], 2);
    expect(r.outcome).toBe('success');
    expect(r.interactions['Request Count']).toEqual([2, 2]);
    expect(r.scores).toMatchObject({ 'Main Score': 100, Greetings: 2, Success: 1 });
    expect(r.players[1]?.history[0]?.content).toContain('The host said: "Hello Ada!"');
  });

  it('a missing prefix aborts; a greeting without the name or an unthankful guest loses', async () => {
    const aborted = await play(['Hello Ada'], ['REPLY: thanks']);
    expect([aborted.outcome, aborted.scores['Main Score'], aborted.interactions['Violated Request Count']]).toEqual(['aborted', null, [1]]);
    const noName = await play(['GREET: Hello there'], ['REPLY: thanks']);
    expect(noName.outcome).toBe('lose');
    expect(noName.interactions.turns[0]?.at(-1)?.action).toEqual({ type: 'rule violation', content: 'the greeting does not name Ada' });
    const rude = await play(['GREET: hello Ada'], ['REPLY: go away']);
    expect([rude.outcome, rude.scores['Main Score'], rude.scores.Greetings]).toEqual(['lose', 0, 1]);
  });
});
