import type { Backend } from '../../backends/backend.js';
import { createProgrammaticBackend } from '../../backends/programmatic/index.js';
import type { DialogueGame } from '../../core/game.js';
import { loadGame, type LoadedGame } from '../../core/game-loader.js';
import { collectPrograms } from '../../core/programs.js';
import { discoverGames, selectGames } from '../../registry/game-registry.js';
import { ModelSpecSchema } from '../../registry/model-spec.js';
import { packageRoot } from '../../registry/package-root.js';

export type AnyGame = DialogueGame<unknown, unknown, unknown, unknown>;

/** A packaged game (20q, hello) loaded through the registry, with the programs every game registers. */
export async function loadPackagedGame(name: string): Promise<{ loaded: LoadedGame; programs: Map<string, import('../../backends/programmatic/program.js').Program> }> {
  const [spec] = selectGames(name, discoverGames({ cwd: packageRoot(), env: {} }));
  if (!spec) throw new Error(`${name} is not registered`);
  const loaded = await loadGame(spec);
  return { loaded, programs: collectPrograms([loaded]) };
}

/**
 * A programmatic backend running a registered program by name (kb-greedy, kb-oracle, hello/mock…), as a model
 * of the same name with '/' made '-' (a model name is a folder name).
 */
export function programBackend(name: string, programs: ReadonlyMap<string, import('../../backends/programmatic/program.js').Program>): Backend {
  return createProgrammaticBackend(ModelSpecSchema.parse({ model_name: name.replaceAll('/', '-'), backend: 'programmatic', model_config: { program: name } }), programs);
}

export { playLive, type LiveEpisode } from '../../testing/play.js';
