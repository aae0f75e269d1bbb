/**
 * clem-ts as a library: everything the CLI does, from TypeScript.
 */
export * from './base/errors.js';
export { defineGame, type DialogueGame, type EpisodeContext, type EpisodeRecord, type EpisodeScores, type GameModule, type PlayerSlot, type ScoreMap, type Step } from './core/game.js';
export { playEpisode, type EpisodeResult, type Outcome, type PlayEpisodeOptions } from './core/game-master.js';
export { run, type EpisodeSummary, type RunOptions, type RunSummary } from './core/runner.js';
export { rescore, type RescoreOptions, type RescoreSummary } from './core/rescore.js';
export { readResults, loadEpisodeScores, Episode, type EpisodeFilter, type EpisodeOutcome, type ResultsRead, type ScoreRange } from './core/results-store/index.js';
export { scoreEpisode, type ScoresFile } from './core/scoring.js';
export { loadGame, loadInstances, type InstanceRow, type LoadedGame } from './core/game-loader.js';
export { createRng, hashSeed, type Rng } from './base/rng.js';
export { TemplateSet } from './core/templates.js';
export { Player, type RecordedCall } from './players/player.js';
export { createBackend, createModel, BACKENDS } from './backends/index.js';
export type * from './backends/backend.js';
export type { BackendDeps } from './backends/deps.js';
export type { Program } from './backends/programmatic/program.js';
export { composeBackend, withLimit, withRetry } from './backends/wrappers/index.js';
export { discoverGames, selectGames } from './registry/game-registry.js';
export { loadModelRegistry, resolveModel, registerModel, readQueryString } from './registry/model-registry.js';
export { KeyRing, maskKey } from './registry/keys.js';
export { ModelSpecSchema, type ModelSpec } from './registry/model-spec.js';
export { GameSpecSchema, type GameSpec, type LocatedGameSpec } from './registry/game-spec.js';
export { InstancesFileSchema, type InstancesFile } from './registry/instances.js';
export { InteractionsSchema, InteractionsReadSchema, type Interactions, type InteractionsRead } from './registry/interactions.js';
export { learn, type LearnOptions, type LearnResult, PgRowSchema, TrainLogLineSchema, TrainSettingsSchema } from './learners/engine/index.js';
