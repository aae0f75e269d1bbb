import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../backends/backend.js';
import { createModel } from '../../backends/index.js';
import type { LoadedGame } from '../../core/game-loader.js';
import { collectPrograms } from '../../core/programs.js';
import type { RecordedEpisode } from '../../core/replay.js';
import { KeyRing } from '../../registry/keys.js';
import { loadModelRegistry, resolveModel } from '../../registry/model-registry.js';
import { ModelSpecSchema, type ModelSpec } from '../../registry/model-spec.js';

/** Models for learners: created once per model name through the registry with the runner's wrappers. */
export interface LearnerModels {
  /** The model a name or JSON spec selects (as `-m` does), created once. */
  byName(selector: string): Promise<Backend>;
  /**
   * The backends of an episode's seats in turn order: `roleModels[role]` where given, else the model that played
   * the seat (its recorded `player_models[i].model_spec`, else its name resolved in the registry).
   */
  seats(roleModels?: Readonly<Record<string, string>>): (episode: RecordedEpisode) => Promise<readonly Backend[]>;
  /** The cache folder backends and rewards share (CLEM_TS_CACHE, else ~/.cache/clem-ts). */
  readonly cacheDir: string;
  close(): Promise<void>;
}

/** Creates models for one game (its programs included) from the registry in `cwd`. */
export function learnerModels(opts: { game: LoadedGame; cwd: string; env: NodeJS.ProcessEnv; keys?: KeyRing }): LearnerModels {
  const registry = loadModelRegistry({ cwd: opts.cwd });
  const cacheDir = opts.env.CLEM_TS_CACHE ?? join(homedir(), '.cache', 'clem-ts');
  const deps = { keys: opts.keys ?? KeyRing.load({ cwd: opts.cwd, env: opts.env }), cacheDir, modelsDir: opts.cwd, programs: collectPrograms([opts.game]) };
  const created = new Map<string, Promise<Backend>>();
  const create = (spec: ModelSpec): Promise<Backend> => {
    let b = created.get(spec.model_name);
    if (!b) {
      b = createModel(spec, deps);
      b.catch(() => created.delete(spec.model_name));
      created.set(spec.model_name, b);
    }
    return b;
  };
  const recordedSpec = (episode: RecordedEpisode, seat: number, name: string): ModelSpec => {
    const entry = episode.interactions.player_models[String(seat)];
    const spec = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? ModelSpecSchema.safeParse(entry.model_spec) : undefined;
    return spec?.success ? spec.data : resolveModel(name, registry);
  };
  return {
    cacheDir,
    byName: (selector) => create(resolveModel(selector, registry)),
    seats: (roleModels = {}) => (episode) =>
      Promise.all(
        Object.entries(episode.interactions.players)
          .filter(([name]) => name !== 'GM')
          .map(([, entry], seat) => {
            const override = roleModels[entry.game_role];
            return create(override !== undefined ? resolveModel(override, registry) : recordedSpec(episode, seat, entry.model_name));
          }),
      ),
    close: async () => {
      await Promise.all([...created.values()].map(async (b) => (await b.catch(() => undefined))?.close()));
    },
  };
}
