/** clem-ts eval: clemcore's clemscore, exactly, plus errored-episode counts, bootstrap intervals and paired comparison. */
export { evaluate, compareModels, type EvaluateOptions, type EvalSummary, type EvalFiles, type CompareOptions } from './evaluate.js';
export { compare, type ModelComparison, type GameComparison, type Difference } from './compare.js';
export { bootstrapModel, type BootstrapOptions, type Interval, type ModelIntervals, type GameIntervals } from './bootstrap.js';
export {
  aggregateGames,
  clemTable,
  scoreAll,
  scoreGame,
  scoreModel,
  sortModels,
  COL_AVG_PLAYED,
  COL_AVG_QUALITY,
  COL_CLEMSCORE,
  type ClemTable,
  type GameScore,
  type ModelScore,
  type SortBy,
} from './clemscore.js';
export { erroredEpisodes, refOf, type EpisodeRef, type ErroredEpisode, type ErrorReason } from './refs.js';
export { addEpisode, toNumber, type EpisodeTable, type GameEpisodes, type ModelEpisodes } from './episodes.js';
export { comparisonMarkdown, type ErroredCount, type ExtraMetric, type GameSummary, type ModelSummary } from './report.js';
export { pandasMean, pandasStd, pythonFloatRepr, roundHalfEven } from './numeric.js';
export { resultsCsv } from './write.js';
