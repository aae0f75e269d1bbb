import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../../base/atomic.js';
import { ConfigError } from '../../base/errors.js';
import { parseJsonFile } from '../../registry/parse.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import { type BaseModel, resolveBaseModel } from './base-model.js';
import { importLocalRuntime } from '../../backends/local-runtimes.js';
import { type LoraOptions, loraOptions } from './graph/spec.js';
import { type TrainReporter, silentTrainReporter } from './progress.js';
import { type TrainedOutput, checkRegistration, registerTrainedModel } from './register.js';
import { type EngineName, type LearnKind, type TrainSettings, TrainSettingsSchema, defaultHyperParameters } from './train-settings.js';
import { type TrlLaunch, SINGLE_PROCESS } from './trl/trl-launch.js';
import { runTrl } from './trl/trl-engine.js';

/** The hyper-parameters a caller may set; the rest come from `defaultHyperParameters`. */
export type HyperParameters = ReturnType<typeof defaultHyperParameters>;

/** One training request, the same for both engines. */
export interface LearnOptions {
  kind: LearnKind;
  /** Dataset file (JSON lines: TRL's formats for sft/dpo, PgRowSchema for pg). */
  data: string;
  /** A registry model name or a model folder. */
  base: string;
  /** The folder everything is written to (settings, log, checkpoints, adapter or model). */
  outDir: string;
  engine: EngineName;
  /** Full fine-tuning instead of LoRA. */
  full?: boolean;
  lora?: Partial<LoraOptions>;
  hyper?: Partial<HyperParameters>;
  /** Register the result in ./model_registry.json under this name. */
  register?: string;
  /** Continue the run in outDir from its last checkpoint. */
  resume?: boolean;
  /** Folder of model_registry.json and of relative paths. Default: process.cwd(). */
  cwd?: string;
  /** Built-in engine: ORT intra-op threads (default 1) and most graph shapes (default 4). */
  threads?: number;
  maxBuckets?: number;
  /** TRL engine: where it runs, and whether to run it here (false: write files and print the commands). */
  trl?: { launch?: TrlLaunch; run?: boolean };
  reporter?: TrainReporter;
  signal?: AbortSignal;
}

export interface LearnResult {
  engine: EngineName;
  outDir: string;
  settings: TrainSettings;
  /** The trained adapter or model; null when the TRL engine only wrote its commands. */
  output: TrainedOutput | null;
  registered: ModelSpec | null;
  /** Optimizer steps of the run (TRL: as planned). */
  steps: number;
  resumedFrom: number | null;
  /** TRL engine: the commands that train (run here, or to run elsewhere). */
  commands: string[];
}

/** What an engine gets besides the settings and the base: where to write, how to report, engine knobs. */
export interface EngineContext {
  outDir: string;
  settingsSha256: string;
  reporter: TrainReporter;
  signal?: AbortSignal | undefined;
  threads: number;
  maxBuckets: number;
  trl: { launch: TrlLaunch; run: boolean };
}

export interface EngineResult {
  output: TrainedOutput | null;
  steps: number;
  resumedFrom: number | null;
  commands: string[];
}

/** The one learner interface: an engine trains `settings` on `base` and writes into `ctx.outDir`. */
export interface TrainingEngine {
  readonly name: EngineName;
  train(settings: TrainSettings, base: BaseModel, ctx: EngineContext): Promise<EngineResult>;
}

/** The built-in engine: the ONNX training graph on CPU, from TypeScript alone. */
export const builtinEngine: TrainingEngine = {
  name: 'builtin',
  async train(settings, base, ctx) {
    // Loaded on first use: the built-in engine runs on the local runtimes, which API-only installs lack.
    const { trainBuiltin } = await importLocalRuntime('the built-in training engine', () => import('./builtin-engine.js'));
    const r = await trainBuiltin(settings, base, ctx);
    return { output: r.output, steps: r.steps, resumedFrom: r.resumedFrom, commands: [] };
  },
};

/** The TRL engine: TRL's CLI (with accelerate/DeepSpeed for several GPUs or nodes), run here or elsewhere. */
export const trlEngine: TrainingEngine = {
  name: 'trl',
  async train(settings, base, ctx) {
    const r = await runTrl(settings, base, { outDir: ctx.outDir, launch: ctx.trl.launch, run: ctx.trl.run, reporter: ctx.reporter, signal: ctx.signal });
    return { output: r.output, steps: r.steps, resumedFrom: null, commands: r.commands };
  },
};

export const ENGINES_BY_NAME: Readonly<Record<EngineName, TrainingEngine>> = { builtin: builtinEngine, trl: trlEngine };

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The run's settings from the options, the defaults and the resolved base. Throws ConfigError for a missing data file. */
export function buildSettings(o: LearnOptions, base: BaseModel, cwd: string): TrainSettings {
  const data = resolve(cwd, o.data);
  if (!existsSync(data)) throw new ConfigError(`--data ${o.data}: no such file (looked at ${data}).`);
  const full = o.full === true;
  if (full && o.lora !== undefined && Object.keys(o.lora).length > 0) throw new ConfigError('--full trains every weight; LoRA options (--lora-r, --lora-alpha, …) do not apply.');
  return TrainSettingsSchema.parse({
    version: 1,
    kind: o.kind,
    engine: o.engine,
    base: o.base,
    baseDir: base.dir,
    baseId: base.id,
    data,
    dataSha256: sha256File(data),
    lora: full ? null : loraOptions(o.lora ?? {}),
    ...defaultHyperParameters(o.kind, full),
    ...o.hyper,
  });
}

/** Whether `outDir` holds a run that got somewhere (a step logged, a checkpoint, an output, TRL files). */
function hasProgress(outDir: string): boolean {
  const log = join(outDir, 'train.jsonl');
  if (existsSync(log) && statSync(log).size > 0) return true;
  return ['checkpoint', 'adapter', 'model', 'trl'].some((d) => existsSync(join(outDir, d)));
}

/**
 * Prepares the output folder: a new run needs a folder without a previous run's progress (unless `resume`); a
 * resumed run must have the same settings. A folder whose run stopped before its first step (bad data, say) is
 * simply reused. Writes train-settings.json; returns its SHA-256.
 */
export function prepareOutDir(outDir: string, settings: TrainSettings, resume: boolean): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'train-settings.json');
  if (existsSync(path) && hasProgress(outDir)) {
    const previous = parseJsonFile(TrainSettingsSchema, path, readFileSync(path, 'utf8'));
    if (!resume) throw new ConfigError(`${outDir} already holds a training run (${path}); pass --resume to continue it, or choose another -o folder.`);
    const differs = (Object.keys(settings) as (keyof TrainSettings)[]).filter((k) => JSON.stringify(settings[k]) !== JSON.stringify(previous[k]));
    if (differs.length > 0) throw new ConfigError(`${path}: --resume with other settings (${differs.join(', ')}); rerun with the original options, or choose another -o folder.`);
  } else {
    writeJsonAtomic(path, settings);
  }
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Trains with the chosen engine and, with `register`, adds the result to ./model_registry.json (base + adapter
 * through the transformers backend's merge path, or the new model folder). Throws ConfigError for an unknown
 * base, a missing data file, a pg run on TRL, an output folder that holds another run, or a `register` name that
 * could not be registered (checked before training).
 */
export async function learn(o: LearnOptions): Promise<LearnResult> {
  const cwd = o.cwd ?? process.cwd();
  const outDir = resolve(cwd, o.outDir);
  if (o.engine === 'trl' && o.kind === 'pg') throw new ConfigError('learn pg: TRL has no offline weighted policy-gradient trainer; use --engine builtin.');
  const base = resolveBaseModel(o.base, cwd);
  if (o.register !== undefined) checkRegistration(o.register, base, cwd);
  const settings = buildSettings(o, base, cwd);
  const settingsSha256 = prepareOutDir(outDir, settings, o.resume === true);
  const ctx: EngineContext = {
    outDir,
    settingsSha256,
    reporter: o.reporter ?? silentTrainReporter,
    signal: o.signal,
    threads: o.threads ?? 1,
    maxBuckets: o.maxBuckets ?? 4,
    trl: { launch: o.trl?.launch ?? SINGLE_PROCESS, run: o.trl?.run ?? true },
  };
  const r = await ENGINES_BY_NAME[o.engine].train(settings, base, ctx);
  const registered = o.register !== undefined && r.output !== null ? registerTrainedModel(o.register, base, r.output, cwd) : null;
  return { engine: o.engine, outDir, settings, output: r.output, registered, steps: r.steps, resumedFrom: r.resumedFrom, commands: r.commands };
}
