/**
 * The results store: the one owner of the results folder's layout
 * (`<results>/<models>/<game>/<experiment>/instance_NNNNN/`). This is its reading side, what every command that
 * reads results imports (score, eval, transcribe, the learners): the layout and the reader. The writing side,
 * `ResultsStore` with its write schemas and locks, is the runner's: `./store.ts`, imported by core/runner.ts, so that
 * commands that only read do not load it (~15–25 ms of a 350 ms eval, bench P4).
 */
export * from './layout.js';
export { readResults, loadEpisodeScores, episodeKey, linksNote, removeDeadWriterTemps, type EpisodeFilter, type ReadOptions, type ResultsRead, type ScoreRange } from './reader.js';
export { defaultReadThreads } from './parallel-list.js';
export { Episode, EPISODE_OUTCOMES, outcomeFromScores, type EpisodeOutcome, type EpisodeLayout } from './episode.js';
export { EPISODE_FILE_NAMES, isTempFileName, type EpisodeFileName } from './walk.js';
export * from './episode-files.js';
export { removeDeadTempFiles } from '../../base/atomic.js';
