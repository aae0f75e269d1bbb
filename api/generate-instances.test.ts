import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../base/errors.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { generateInstances, isInstalledFolder } from './generate-instances.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

/** zod as the package itself resolves it, so the game's schema is one the loader recognises. */
const ZOD = pathToFileURL(fileURLToPath(import.meta.resolve('zod'))).href;

/** A game folder that imports nothing but zod (an installed package's game, as far as generate is concerned). */
const CLEMGAME = {
  game_name: 'tiny', description: 'generate test', players: 1, roles: ['P'], main_game: 'tiny', image: 'none',
  languages: ['en'], benchmark: [], regression: 'never', instances: 'instances',
};
const MASTER = `import { z } from '${ZOD}';
const game = {
  instanceSchema: z.object({ game_id: z.number() }).passthrough(),
  setup: (i) => i,
  prompt: () => 'say x',
  parse: (_s, _p, reply) => reply,
  advance: () => ({ kind: 'end', outcome: 'lose' }),
  score: () => ({ rounds: [{}], episode: { 'Main Score': 0 } }),
};
export default {
  game,
  templates: {},
  generateInstances: (seed) => ({ experiments: [{ name: 'e', game_instances: [{ game_id: 0, seed }] }] }),
};
`;

/** Writes the tiny game into `folder`, with an instances file generated earlier. */
function writeGame(folder: string): void {
  mkdirSync(join(folder, 'in'), { recursive: true });
  writeFileSync(join(folder, 'clemgame.json'), JSON.stringify(CLEMGAME));
  writeFileSync(join(folder, 'master.ts'), MASTER);
  writeFileSync(join(folder, 'in', 'instances.json'), '{"experiments":[]}\n');
}

/** The game where npm would put it: <project>/node_modules/some-pkg/games/tiny. */
function installedGame(): { project: string; game: string } {
  const project = tmp.make();
  const game = join(project, 'node_modules', 'some-pkg', 'games', 'tiny');
  writeGame(game);
  return { project, game };
}

describe('generateInstances', () => {
  it('refuses to write into a game installed inside node_modules, and writes nothing', async () => {
    const { project, game } = installedGame();
    const before = readFileSync(join(game, 'in', 'instances.json'), 'utf8');
    const call = generateInstances({ games: [game], seed: 7, cwd: project, env: {} });
    await expect(call).rejects.toThrow(ConfigError);
    await expect(generateInstances({ games: [game], seed: 7, cwd: project, env: {} })).rejects.toThrow(/node_modules.*generate -o DIR/);
    expect(readFileSync(join(game, 'in', 'instances.json'), 'utf8')).toBe(before);
  });

  it('writes under -o DIR/<game>/in/ instead, leaving the installed folder alone', async () => {
    const { project, game } = installedGame();
    const before = readFileSync(join(game, 'in', 'instances.json'), 'utf8');
    const out = join(project, 'generated');
    const [g] = await generateInstances({ games: [game], seed: 7, outDir: out, cwd: project, env: {} });
    expect(g?.file).toBe(join(out, 'tiny', 'in', 'instances.json'));
    expect(JSON.parse(readFileSync(join(out, 'tiny', 'in', 'instances.json'), 'utf8'))).toEqual(g?.instances);
    expect(readFileSync(join(game, 'in', 'instances.json'), 'utf8')).toBe(before);
  });

  it('still writes into a game folder of the user’s own project', async () => {
    const project = tmp.make();
    const game = join(project, 'games', 'tiny');
    writeGame(game);
    const [g] = await generateInstances({ games: [game], seed: 7, cwd: project, env: {} });
    expect(g?.file).toBe(join(game, 'in', 'instances.json'));
    expect(JSON.parse(readFileSync(join(game, 'in', 'instances.json'), 'utf8'))).toEqual(g?.instances);
  });

  it('tells installed folders by a node_modules segment, not by a name that contains it', () => {
    expect(isInstalledFolder('/p/node_modules/clem-ts/games/20q')).toBe(true);
    expect(isInstalledFolder('/p/my_node_modules_notes/games/20q')).toBe(false);
  });
});
