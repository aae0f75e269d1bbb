import type { Program } from '../backends/programmatic/program.js';

/**
 * The built-in `mock` player. If the game registered its own mock (`<game>/mock`), that one answers, so
 * every game can be smoke-tested with `-m mock`; otherwise a fixed, deterministic reply.
 */
export function createMockProgram(programs: ReadonlyMap<string, Program>): Program {
  return {
    name: 'mock',
    description: "Scripted replies for tests: the game's own mock if it has one, else a fixed reply.",
    respond: (request, signal) => {
      const gameMock = request.episode ? programs.get(`${request.episode.gameName}/mock`) : undefined;
      if (gameMock) return gameMock.respond(request, signal);
      const turn = request.messages.filter((m) => m.role === 'assistant').length + 1;
      return `mock reply ${turn}`;
    },
  };
}
