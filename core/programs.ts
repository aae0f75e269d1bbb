import type { Program } from '../backends/programmatic/program.js';
import { createHumanProgram } from '../players/human.js';
import { createMockProgram } from '../players/mock.js';
import type { LoadedGame } from './game-loader.js';

/**
 * The programs that programmatic backends can run: the built-ins (`mock`, `human`) and every loaded game's
 * own, each under `<game_name>/<name>` and, when the bare name is free, under `<name>`.
 */
export function collectPrograms(games: readonly LoadedGame[]): Map<string, Program> {
  const programs = new Map<string, Program>();
  for (const { spec, module } of games) {
    for (const program of module.programs ?? []) {
      programs.set(`${spec.game_name}/${program.name}`, program);
      if (!programs.has(program.name)) programs.set(program.name, program);
    }
    if (module.mock) programs.set(`${spec.game_name}/mock`, module.mock);
  }
  programs.set('mock', createMockProgram(programs));
  programs.set('human', createHumanProgram());
  programs.set('terminal', programs.get('human') as Program);
  return programs;
}
