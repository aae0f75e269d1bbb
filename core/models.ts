import { ConfigError } from '../base/errors.js';
import type { LocatedGameSpec } from '../registry/game-spec.js';
import type { ModelSpec } from '../registry/model-spec.js';
import { resolveModel } from '../registry/model-registry.js';

/**
 * The model of every role of a game, from the -m list: as many models as roles are assigned in order;
 * fewer models fill the remaining roles from `roleModels` (--role-model ROLE=MODEL), then the game's
 * `default_models`, else by self-play of the first model (clemcore's rule for one model); more models
 * than roles is an error, and so is a role given both by -m and by --role-model.
 */
export function assignRoles(
  game: LocatedGameSpec,
  given: readonly ModelSpec[],
  registry: readonly ModelSpec[],
  roleModels: Readonly<Record<string, string>> = {},
): ModelSpec[] {
  const roles = game.roles;
  if (given.length === 0) throw new ConfigError(`game '${game.game_name}': no model given (-m)`);
  if (given.length > roles.length)
    throw new ConfigError(`game '${game.game_name}' has ${roles.length} role(s) (${roles.join(', ')}), but -m named ${given.length} models`);
  return roles.map((role, i) => {
    const explicit = given[i];
    const chosen = roleModels[role];
    if (explicit && chosen !== undefined)
      throw new ConfigError(`game '${game.game_name}': role '${role}' is given twice, by -m (${explicit.model_name}) and by --role-model (${chosen})`);
    if (explicit) return explicit;
    if (chosen !== undefined) return resolveModel(chosen, registry);
    const fallback = game.default_models?.[role];
    if (fallback) return resolveModel(fallback, registry);
    if (given.length === 1) return given[0] as ModelSpec;
    throw new ConfigError(`game '${game.game_name}': no model for role '${role}' (give ${roles.length} models with -m, one per role: ${roles.join(', ')})`);
  });
}
