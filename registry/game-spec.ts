import { z } from 'zod';
import { safeNameSchema } from './safe-name.js';

/**
 * One game in a `clemgame.json` (the file holds one object or a list), clemcore-compatible: unknown keys
 * are kept so clembench files load unchanged. clem-ts adds `default_models` and `eval_metrics`.
 */
export const GameSpecSchema = z
  .looseObject({
    game_name: safeNameSchema('game_name').describe('Unique id; the results folder name (a safe path component: registry/safe-name.ts); what -g matches.'),
    description: z.string().describe('One line, printed by `list games`.'),
    players: z.number().int().positive().describe('Number of roles (clemcore: an int).'),
    roles: z.array(z.string().min(1)).min(1).describe('Role names in turn order.'),
    main_game: z.string().describe('Game family, e.g. every wordle variant has "wordle".'),
    languages: z.array(z.string()).describe('e.g. ["en"]'),
    benchmark: z.array(z.string()).describe('Benchmark versions the game belongs to; [] for none.'),
    instances: z.string().default('instances').describe('Default instances file in in/, without .json.'),
    image: z.enum(['none', 'single', 'multi']).optional(),
    regression: z.enum(['small', 'large', 'never']).optional(),
    default_models: z
      .record(z.string(), z.string())
      .optional()
      .describe('clem-ts: role → model used when -m names fewer models than roles (e.g. {"Answerer": "kb-oracle"}).'),
    eval_metrics: z.array(z.string()).optional().describe('clem-ts: extra episode metrics that eval aggregates for this game.'),
  })
  .superRefine((spec, ctx) => {
    if (spec.roles.length !== spec.players)
      ctx.addIssue({ code: 'custom', path: ['roles'], message: `expected ${spec.players} roles (players = ${spec.players}), got ${spec.roles.length}` });
  })
  .describe('A game specification (clemgame.json entry).');

export const ClemgameFileSchema = z.union([GameSpecSchema, z.array(GameSpecSchema).min(1)], {
  error: 'expected a game object or a list of game objects',
});

export type GameSpec = z.infer<typeof GameSpecSchema>;

/** A game spec with where it was found. */
export interface LocatedGameSpec extends GameSpec {
  /** Absolute path of the game folder (holds clemgame.json, master, in/, prompts/). */
  game_path: string;
  /** The registry file or folder it was found through. */
  lookup_source: string;
}

/** game_registry.json: entries naming a game folder, or a folder to scan for games (clemcore's benchmark_path). */
export const GameRegistryEntrySchema = z.union([
  z.strictObject({ game_path: z.string().min(1).describe('A game folder, relative to the registry file.') }),
  z.strictObject({ benchmark_path: z.string().min(1).describe('A folder scanned (depth 3) for game folders.') }),
], { error: 'expected {"game_path": "<folder>"} or {"benchmark_path": "<folder>"}' });
export const GameRegistryFileSchema = z.array(GameRegistryEntrySchema).describe('game_registry.json');
export type GameRegistryEntry = z.infer<typeof GameRegistryEntrySchema>;
