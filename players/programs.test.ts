import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../backends/backend.js';
import { createProgrammaticBackend, type Program } from '../backends/programmatic/index.js';
import { collectPrograms } from '../core/programs.js';
import { ModelSpecSchema } from '../registry/model-spec.js';
import { rejectionMessage, thrownMessage } from '../test/helpers/errors.js';
import { createHumanProgram } from './human.js';
import { createMockProgram } from './mock.js';

function request(history: string[], episode?: { gameName: string; role: string }): GenerateRequest {
  return {
    messages: history.map((content, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
    args: {},
    ...(episode ? { episode: { ...episode, experimentName: 'e', gameId: 0, playerName: 'Player 1', instance: { game_id: 0 } } } : {}),
  };
}

describe('mock', () => {
  it("answers with the game's own mock when the game has one", async () => {
    const gameMock: Program = { name: 'mock', description: '', respond: (r) => `game mock for ${r.episode?.role ?? '?'}` };
    const mock = createMockProgram(new Map([['hello/mock', gameMock]]));
    expect(await mock.respond(request(['hi'], { gameName: 'hello', role: 'Guest' }))).toBe('game mock for Guest');
  });

  it('otherwise gives a fixed reply numbered by the turn', async () => {
    const mock = createMockProgram(new Map());
    expect(await mock.respond(request(['hi'], { gameName: 'other', role: 'A' }))).toBe('mock reply 1');
    expect(await mock.respond(request(['hi', 'mock reply 1', 'and?']))).toBe('mock reply 2');
  });
});

describe('human', () => {
  it('shows each new message and reads one line per turn', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const human = createHumanProgram(input, output);
    input.write('GREET: hello Ada\nREPLY: thanks\n');
    expect(await human.respond(request(['Greet Ada.'], { gameName: 'hello', role: 'Greeter' }))).toBe('GREET: hello Ada');
    expect(await human.respond(request(['Greet Ada.', 'GREET: hello Ada', 'Now thank.']))).toBe('REPLY: thanks');
    expect(shown).toBe(
      '\n--- message for Player 1 (Greeter) ---\nGreet Ada.\n--- your reply (one line) ---\n> ' +
        '\n--- message for you ---\nNow thank.\n--- your reply (one line) ---\n> ',
    );
  });

  it('fails, rather than hangs, when standard input ends', async () => {
    const input = new PassThrough();
    const human = createHumanProgram(input, new PassThrough());
    input.end('only one\n');
    expect(await human.respond(request(['a']))).toBe('only one');
    expect(await rejectionMessage(Promise.resolve(human.respond(request(['a', 'only one', 'b']))))).toBe(
      'human player: standard input ended before a reply was given',
    );
  });
});

describe('programmatic backend', () => {
  const programs = collectPrograms([]);
  const spec = (fields: Record<string, unknown>) => ModelSpecSchema.parse({ backend: 'programmatic', ...fields });

  it('runs the program named in model_config.program, with zero usage', async () => {
    const backend = createProgrammaticBackend(spec({ model_name: 'my-mock', model_config: { program: 'mock' } }), programs, () => 0);
    const result = await backend.generate(request(['hi']));
    expect(backend.name).toBe('my-mock');
    expect(result).toEqual({
      choices: [{ text: 'mock reply 1', finish: 'stop' }],
      usage: { inputTokens: 0, outputTokens: 0 },
      latencyMs: 0,
      call: { request: { program: 'mock', context: 'hi' }, response: { text: 'mock reply 1' } },
      warnings: [],
      costUsd: null,
    });
  });

  it('plays model_config.replies in order, cycling', async () => {
    const backend = createProgrammaticBackend(spec({ model_name: 'mock', model_config: { replies: ['a', 'b'] } }), programs);
    const texts = [];
    for (const history of [['q'], ['q', 'a', 'q'], ['q', 'a', 'q', 'b', 'q']]) texts.push((await backend.generate(request(history))).choices[0]?.text);
    expect(texts).toEqual(['a', 'b', 'a']);
    // Scripted replies need no program of that name.
    const named = createProgrammaticBackend(spec({ model_name: 'scripted-x', model_config: { replies: ['z'] } }), programs);
    expect((await named.generate(request(['q']))).choices[0]?.text).toBe('z');
    expect(thrownMessage(() => createProgrammaticBackend(spec({ model_name: 'mock', model_config: { replies: [] } }), programs))).toBe(
      'model_config.replies: expected at least one scripted reply',
    );
  });

  it('an unknown program lists the close matches', () => {
    expect(thrownMessage(() => createProgrammaticBackend(spec({ model_name: 'x', model_config: { program: 'mok' } }), programs))).toBe(
      "unknown program 'mok'. Did you mean: mock? Model 'x' names it in model_config.program.",
    );
  });

  it('registers each game program under <game>/<name> and, when free, under its bare name', () => {
    const p = (name: string): Program => ({ name, description: '', respond: () => name });
    const games = [
      { spec: { game_name: 'a' }, module: { programs: [p('oracle')], mock: p('mock') } },
      { spec: { game_name: 'b' }, module: { programs: [p('oracle')] } },
    ] as unknown as Parameters<typeof collectPrograms>[0];
    const all = collectPrograms(games);
    expect([...all.keys()].sort()).toEqual(['a/mock', 'a/oracle', 'b/oracle', 'human', 'mock', 'oracle', 'terminal']);
    expect(all.get('oracle')).toBe(all.get('a/oracle'));
  });
});
