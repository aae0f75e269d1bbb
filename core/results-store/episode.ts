import { existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../../base/errors.js';
import { type InteractionsRead, InteractionsReadSchema } from '../../registry/interactions.js';
import type { ScoresSlices } from '../../registry/scores-extract.js';
import { type EpisodeScoresRead, type ScoresRead, type ScoreValue, ScoresReadSchema, episodeScoresFromSlices, parseEpisodeScoresBytes } from '../../registry/scores.js';
import {
  type CompletedFileRead,
  CompletedFileReadSchema,
  type ErrorFileRead,
  ErrorFileReadSchema,
  type ExperimentFileRead,
  ExperimentFileReadSchema,
  type InstanceFileRead,
  InstanceFileReadSchema,
} from './episode-files.js';
import { FileBytesReader, readJsonFile } from './read-file.js';
import type { EpisodeStatus } from './layout.js';
import { EPISODE_FILE_NAMES, type EpisodeFileName, FILE_BIT, type ListedFolder } from './walk.js';

/**
 * What became of an episode: the framework's outcome flags in its episode scores (Aborted first, then Success, then
 * Lose, as clemcore's scorers set them), else completed.json's outcome; `errored` and `pending` from its status;
 * `unknown` for a completed episode whose files name no outcome.
 */
export type EpisodeOutcome = 'success' | 'lose' | 'aborted' | 'errored' | 'pending' | 'unknown';
export const EPISODE_OUTCOMES: readonly EpisodeOutcome[] = ['success', 'lose', 'aborted', 'errored', 'pending', 'unknown'];

/**
 * Folder layouts: `instance` = `<experiment>/instance_NNNNN` (clem-ts, clemcore ≥3.3), `episode` =
 * `<i>_<experiment>/episode_<k>` (clemcore ≤3.2; k counts episodes, it is not the game_id), `other` = any other
 * name four levels down (kept, named as its folders are).
 */
export type EpisodeLayout = 'instance' | 'episode' | 'other';

/** Per-read state shared by the episodes of one {@link readResults} call (experiment.json is read once per folder). */
export interface ReadContext {
  root: string;
  experimentFiles: Map<string, Promise<ExperimentFileRead | undefined>>;
}

type Memo<T> = { value: T } | { error: unknown };

/** Outcome flags of episode scores, as a number (true/false as 1/0). */
function flag(scores: Readonly<Record<string, ScoreValue>>, key: string): boolean {
  const v = scores[key];
  return v === 1 || v === true;
}

/** The outcome the framework's flags name, or undefined when none is set. */
export function outcomeFromScores(scores: Readonly<Record<string, ScoreValue>>): 'success' | 'lose' | 'aborted' | undefined {
  if (flag(scores, 'Aborted')) return 'aborted';
  if (flag(scores, 'Success')) return 'success';
  if (flag(scores, 'Lose')) return 'lose';
  return undefined;
}

const INSTANCE_FOLDER = /^instance_(\d+)$/;
const EPISODE_FOLDER = /^episode_\d+$/;
const INDEXED_EXPERIMENT = /^\d+_(.+)$/;

/**
 * One episode folder of a results folder, as {@link readResults} found it: where it is, what its folders name, its
 * status, and its files, each loaded on demand (once; later calls return the same value). Loaders throw
 * FileFormatError naming the file when it does not parse, and the file-system error when it cannot be read.
 */
export class Episode {
  /** Absolute folder (no trailing separator). */
  readonly dir: string;
  /** Folder relative to the results root, `/`-separated. */
  readonly rel: string;
  /** The `<models>` folder: one model name, `a--b` for two (clemcore ≤3.2: `a-t0.0--b-t0.0`), `group-…` beyond. */
  readonly modelsFolder: string;
  /** The game folder (the game's name). */
  readonly game: string;
  /** The experiment folder, as named (`0_high_en` in the ≤3.2 layout). */
  readonly experimentFolder: string;
  /** The experiment's name: the folder name, without the `<i>_` index in the ≤3.2 layout. */
  readonly experiment: string;
  /** The episode folder (`instance_00003`, `episode_3`). */
  readonly episodeFolder: string;
  readonly layout: EpisodeLayout;
  /** game_id from the folder name (`instance` layout); null otherwise — then it is in `meta` or instance.json. */
  readonly gameId: number | null;
  /**
   * `completed`: completed.json (or, in clemcore < 3.7 trees, which have no completion markers, interactions.json or
   * scores.json); `errored`: error.json; `pending`: neither — not played yet, interrupted, or (clemcore) a model
   * call failed and left only instance.json.
   */
  readonly status: EpisodeStatus;
  private readonly fileBits: number;
  private readonly context: ReadContext;
  private episodeScoresMemo: Memo<EpisodeScoresRead | undefined> | undefined;
  private loads: Map<string, Promise<unknown>> | undefined;

  constructor(context: ReadContext, listed: ListedFolder) {
    const [modelsFolder, game, experimentFolder, episodeFolder] = listed.rel.slice(-4) as [string, string, string, string];
    this.context = context;
    this.rel = listed.rel.join('/');
    // String joins, not path.join: the parts come from a listing (nothing to normalise), and this runs per episode.
    this.dir = (context.root.endsWith(path.sep) ? context.root : context.root + path.sep) + (path.sep === '/' ? this.rel : listed.rel.join(path.sep));
    this.modelsFolder = modelsFolder;
    this.game = game;
    this.experimentFolder = experimentFolder;
    this.episodeFolder = episodeFolder;
    const instance = INSTANCE_FOLDER.exec(episodeFolder);
    this.layout = instance ? 'instance' : EPISODE_FOLDER.test(episodeFolder) ? 'episode' : 'other';
    this.gameId = instance ? Number(instance[1]) : null;
    this.experiment = this.layout === 'episode' ? (INDEXED_EXPERIMENT.exec(experimentFolder)?.[1] ?? experimentFolder) : experimentFolder;
    this.fileBits = listed.files;
    const has = (name: EpisodeFileName): boolean => (listed.files & FILE_BIT[name]) !== 0;
    this.status = has('completed.json')
      ? 'completed'
      : has('error.json')
        ? 'errored'
        : !listed.underRunFile && (has('interactions.json') || has('scores.json'))
          ? 'completed'
          : 'pending';
  }

  /** Which episode files the folder holds. */
  get files(): ReadonlySet<EpisodeFileName> {
    return new Set(EPISODE_FILE_NAMES.filter((name) => this.has(name)));
  }

  /** Whether the folder holds `file`. */
  has(file: EpisodeFileName): boolean {
    return (this.fileBits & FILE_BIT[file]) !== 0;
  }

  /** Path of one of the episode's files (whether or not it exists). */
  file(name: string): string {
    return this.dir + path.sep + name;
  }

  /** The model names in the `<models>` folder name (`a--b` → [a, b]; clemcore ≤3.2's `-t<temperature>` dropped). */
  get models(): string[] {
    return this.modelsFolder.split('--').map((m) => m.replace(/-t\d+(?:\.\d+)?$/, ''));
  }

  /**
   * scores.json's "meta" and "episode scores" (undefined when there is no scores.json), read without parsing the
   * rest of the file (registry/scores-extract.ts); what eval needs. See {@link loadEpisodeScores} for many at once.
   */
  async episodeScores(): Promise<EpisodeScoresRead | undefined> {
    return this.episodeScoresSync();
  }

  /** {@link episodeScores}, synchronously (reads the file now if it is not loaded yet). */
  episodeScoresSync(): EpisodeScoresRead | undefined {
    if (this.episodeScoresMemo === undefined) this.loadEpisodeScoresSync(new FileBytesReader());
    const memo = this.episodeScoresMemo as Memo<EpisodeScoresRead | undefined>;
    if ('error' in memo) throw memo.error;
    return memo.value;
  }

  /** @internal Takes the slices a listing thread read (registry/scores-extract.ts) as this episode's scores. */
  presetEpisodeScores(slices: ScoresSlices): void {
    if (this.episodeScoresMemo !== undefined) return;
    try {
      this.episodeScoresMemo = { value: episodeScoresFromSlices(this.file('scores.json'), slices) };
    } catch (error) {
      this.episodeScoresMemo = { error };
    }
  }

  /** @internal Loads episode scores with a shared buffer; errors are kept for {@link episodeScores} to throw. */
  loadEpisodeScoresSync(reader: FileBytesReader): void {
    if (this.episodeScoresMemo !== undefined) return;
    if (!this.has('scores.json')) {
      this.episodeScoresMemo = { value: undefined };
      return;
    }
    const file = this.file('scores.json');
    try {
      this.episodeScoresMemo = { value: parseEpisodeScoresBytes(file, reader.read(file)) };
    } catch (error) {
      this.episodeScoresMemo = { error };
    }
  }

  /** The whole scores.json (round or turn scores included). Throws ConfigError if there is none. */
  scores(): Promise<ScoresRead> {
    return this.load('scores.json', ScoresReadSchema);
  }

  /** interactions.json, in the tolerant shape (any clemcore version). Throws ConfigError if there is none. */
  interactions(): Promise<InteractionsRead> {
    return this.load('interactions.json', InteractionsReadSchema);
  }

  /** instance.json: the game instance as played. Throws ConfigError if there is none. */
  instance(): Promise<InstanceFileRead> {
    return this.load('instance.json', InstanceFileReadSchema);
  }

  /** error.json, or undefined when the episode did not fail. */
  async error(): Promise<ErrorFileRead | undefined> {
    return this.has('error.json') ? this.load('error.json', ErrorFileReadSchema) : undefined;
  }

  /** completed.json, or undefined when there is none. */
  async completed(): Promise<CompletedFileRead | undefined> {
    return this.has('completed.json') ? this.load('completed.json', CompletedFileReadSchema) : undefined;
  }

  /** The experiment folder's experiment.json (read once per folder), or undefined when there is none. */
  experimentFile(): Promise<ExperimentFileRead | undefined> {
    const file = path.join(path.dirname(this.dir), 'experiment.json');
    let loaded = this.context.experimentFiles.get(file);
    if (loaded === undefined) {
      loaded = existsSync(file) ? readJsonFile(file, ExperimentFileReadSchema) : Promise.resolve(undefined);
      this.context.experimentFiles.set(file, loaded);
    }
    return loaded;
  }

  /** What became of the episode (see {@link EpisodeOutcome}); reads episode scores, else completed.json. */
  async outcome(): Promise<EpisodeOutcome> {
    if (this.status === 'errored') return 'errored';
    const scores = await this.episodeScores();
    const fromScores = scores === undefined ? undefined : outcomeFromScores(scores['episode scores']);
    if (fromScores !== undefined) return fromScores;
    const completed = await this.completed();
    if (completed?.outcome !== undefined) return completed.outcome;
    return this.status === 'pending' ? 'pending' : 'unknown';
  }

  private load<S extends z.ZodType>(name: EpisodeFileName, schema: S): Promise<z.infer<S>> {
    this.loads ??= new Map();
    let loaded = this.loads.get(name) as Promise<z.infer<S>> | undefined;
    if (loaded === undefined) {
      loaded = this.has(name) ? readJsonFile(this.file(name), schema) : Promise.reject(new ConfigError(`${this.rel} has no ${name}`));
      this.loads.set(name, loaded);
    }
    return loaded;
  }
}
