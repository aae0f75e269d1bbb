/**
 * clem-ts as a library: everything the CLI does, from TypeScript. Each verb is one function, and the CLI calls
 * exactly these (cli/ holds option parsing and printing only):
 *
 * | verb | function |
 * |---|---|
 * | `run` | {@link run} (games by name, path, or defined in code) |
 * | `score` | {@link rescore} |
 * | `eval` | {@link evaluateResults} |
 * | `transcribe` | {@link transcribeResults} |
 * | `generate` | {@link generateInstances} |
 * | `list games / models / programs / backends / keys` | {@link listGames}, {@link listModels}, {@link listPrograms}, {@link listBackends}, {@link listKeys} |
 * | `register model` | {@link registerModel} (with {@link readQueryString} for `-v`) |
 * | `new game` | {@link newGame} |
 * | `learn sft-data`, `learn dpo-data`, `learn rewards` | {@link buildSftData}, {@link buildDpoData}, {@link learnRewards} |
 * | `learn sft / dpo / pg` | {@link learn} |
 *
 * A game's code imports what it needs from here too (`defineGame`, `z`, `ParseError`, `RuleViolation`, `createRng`,
 * the `Program` type); its tests import the shared game suite from `clem-ts/testing`.
 */
export * from './base/errors.js';
export { z } from 'zod';

// Writing a game
export { defineGame, type CodeGameSpec, type DialogueGame, type EpisodeContext, type EpisodeRecord, type EpisodeScores, type GameModule, type PlayerSlot, type ReplySource, type ScoreMap, type Step } from './core/game.js';
export type { GameRewards } from './core/rewards.js';
export { createRng, hashSeed, type Rng } from './base/rng.js';
export { TemplateSet } from './core/templates.js';
export type { Program, ProgramContext } from './backends/programmatic/program.js';

// The verbs
export { run, type EpisodeSummary, type RunOptions, type RunSummary } from './core/runner.js';
export { rescore, type RescoreOptions, type RescoreSummary } from './core/rescore.js';
export { evaluateResults, type EvaluateResultsOptions, type EvaluateResultsSummary } from './api/evaluate-results.js';
export { transcribeResults, type TranscribeResultsOptions, type TranscribeResultsSummary } from './api/transcribe-results.js';
export { generateInstances, type GenerateInstancesOptions, type GeneratedInstances } from './api/generate-instances.js';
export { listGames, listModels, listPrograms, listBackends, listKeys, type GameListing, type ProgramListing, type KeyListing } from './api/list.js';
export type { BackendListing } from './backends/index.js';
export { newGame, type NewGameOptions, type NewGameResult } from './api/new-game.js';
export { loadModelRegistry, resolveModel, registerModel, readQueryString } from './registry/model-registry.js';
export { buildSftData, type SftDataOptions } from './learners/datasets/sft-data.js';
export { buildDpoData, type DpoDataOptions } from './learners/datasets/dpo-data.js';
export { learnRewards, type LearnRewardsOptions, type LearnRewardsSummary } from './learners/rewards/learn-rewards.js';
export { learn, type LearnOptions, type LearnResult, PgRowSchema, TrainLogLineSchema, TrainSettingsSchema } from './learners/engine/index.js';

// Lower level: one episode, the results, the registries, backends
export { playEpisode, type EpisodeResult, type Outcome, type PlayEpisodeOptions } from './core/game-master.js';
export { readResults, loadEpisodeScores, Episode, type EpisodeFilter, type EpisodeOutcome, type ResultsRead, type ScoreRange } from './core/results-store/index.js';
export { scoreEpisode, type ScoresFile } from './core/scoring.js';
export { loadGame, loadInstances, type InstanceRow, type LoadedGame } from './core/game-loader.js';
export { resolveGames, gameFromModule, type GameSource } from './core/game-source.js';
export { replayEpisode, branchEpisode, ReplayDivergedError, type Branch, type BranchOptions, type RecordedEpisode } from './core/replay.js';
export { readRecordedEpisode } from './core/recorded-episode.js';
export { evaluate, compareModels, type EvaluateOptions, type EvalSummary } from './eval/index.js';
export { Player, type RecordedCall } from './players/player.js';
export { createBackend, createModel, BACKENDS, LOCAL_RUNTIMES, LOCAL_RUNTIMES_INSTALL } from './backends/index.js';
export type * from './backends/backend.js';
export type { BackendDeps } from './backends/deps.js';
export { composeBackend, withLimit, withRetry } from './backends/wrappers/index.js';
export { discoverGames, selectGames } from './registry/game-registry.js';
export { KeyRing, maskKey } from './registry/keys.js';
export { ModelSpecSchema, type ModelSpec } from './registry/model-spec.js';
export { GameSpecSchema, type GameSpec, type LocatedGameSpec } from './registry/game-spec.js';
export { InstancesFileSchema, type InstancesFile } from './registry/instances.js';
export { InteractionsSchema, InteractionsReadSchema, type Interactions, type InteractionsRead } from './registry/interactions.js';
