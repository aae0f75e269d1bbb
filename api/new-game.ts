import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../base/atomic.js';
import { ConfigError } from '../base/errors.js';
import { editJson } from '../registry/json-edit.js';
import { GameRegistryFileSchema } from '../registry/game-spec.js';
import { parseJsonFile } from '../registry/parse.js';
import { unsafeNameReason } from '../registry/safe-name.js';
import { generateInstances } from './generate-instances.js';
import { NEW_GAME_FILES } from './new-game-files.js';

export interface NewGameOptions {
  /** The game's name (game_name, the folder name, what -g matches): a safe file name. */
  name: string;
  /** The folder the game folder is made in, and whose game_registry.json lists it (default: the working folder). */
  cwd?: string;
  /** Add the folder to `<cwd>/game_registry.json` (default true), so that `-g NAME` finds it at once. */
  register?: boolean;
}

export interface NewGameResult {
  /** The game folder. */
  folder: string;
  /** Every file written, the generated in/instances.json included. */
  files: string[];
  /** The game_registry.json that now lists the folder, or null when not asked to. */
  registry: string | null;
}

/**
 * What `clem-ts new game NAME` does: writes a working game folder `<cwd>/NAME` (clemgame.json, master.ts, the
 * instance generator, prompts, a README and a test), generates its in/instances.json with its own generator (so the
 * folder is loaded once before this returns) and lists it in `<cwd>/game_registry.json` (created when missing,
 * otherwise edited in place). The game plays at once with `clem-ts run -g NAME -m mock`. Throws ConfigError for an
 * unsafe name, a folder that exists and is not empty, or a name the registry already lists.
 */
export async function newGame(opts: NewGameOptions): Promise<NewGameResult> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const unsafe = unsafeNameReason(opts.name);
  if (unsafe !== undefined || !/^[A-Za-z0-9][\w.-]*$/.test(opts.name))
    throw new ConfigError(`game name ${JSON.stringify(opts.name)} ${unsafe ?? 'is not a plain name'}: use letters, digits, '-', '_' and '.' (it names the folder and the results).`);
  const folder = join(cwd, opts.name);
  if (existsSync(folder) && readdirSync(folder).length > 0) throw new ConfigError(`${folder} exists and is not empty: choose another name, or remove the folder.`);
  const registryFile = join(cwd, 'game_registry.json');
  const registryText = opts.register === false ? null : existsSync(registryFile) ? readFileSync(registryFile, 'utf8') : '[]\n';
  const entries = registryText === null ? [] : parseJsonFile(GameRegistryFileSchema, registryFile, registryText);
  const entryPath = relative(cwd, folder).split(sep).join('/');
  if (entries.some((e) => 'game_path' in e && resolve(cwd, e.game_path) === folder)) throw new ConfigError(`${registryFile} already lists ${entryPath}.`);

  const files: string[] = [];
  for (const [path, text] of Object.entries(NEW_GAME_FILES)) {
    const file = join(folder, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, text.replaceAll('__NAME__', opts.name));
    files.push(file);
  }
  const [generated] = await generateInstances({ games: [folder], cwd });
  if (generated?.file) files.push(generated.file);
  if (registryText !== null) writeFileAtomic(registryFile, editJson(registryText, [entries.length], { game_path: entryPath }, { insert: true }));
  return { folder, files, registry: registryText === null ? null : registryFile };
}
