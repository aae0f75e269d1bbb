/**
 * The results store: the one owner of the results folder's layout
 * (`<results>/<models>/<game>/<experiment>/instance_NNNNN/`), for writing and for reading.
 */
export * from './layout.js';
export { readResults, loadEpisodeScores, episodeKey, removeDeadWriterTemps, type EpisodeFilter, type ReadOptions, type ResultsRead, type ScoreRange } from './reader.js';
export { defaultReadThreads } from './parallel-list.js';
export { Episode, EPISODE_OUTCOMES, outcomeFromScores, type EpisodeOutcome, type EpisodeLayout } from './episode.js';
export { EPISODE_FILE_NAMES, isTempFileName, type EpisodeFileName } from './walk.js';
export * from './episode-files.js';
export { EpisodeWriter, writeResultsJson, type WriteContext } from './episode-writer.js';
export { DEFAULT_LOCK_STALE_MS, isLockHeld, LockError, lockStaleMs, tryLock, waitForLock, type Lock } from './locks.js';
export { joinRun, leaveRun, readRunFile, type RunSettings, type WorkerTally } from './run-file.js';
export { ResultsStore, type ResultsStoreOptions } from './store.js';
export { removeDeadTempFiles } from '../../base/atomic.js';
