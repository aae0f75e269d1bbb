import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../../../base/atomic.js';
import { ConfigError } from '../../../base/errors.js';
import { readJsonLines, toJsonLines } from '../../datasets/index.js';
import type { BaseModel } from '../base-model.js';
import type { TrainReporter } from '../progress.js';
import type { TrainedOutput } from '../register.js';
import type { TrainSettings } from '../train-settings.js';
import { TrainDpoRowSchema, TrainSftRowSchema } from '../training-rows.js';
import { learnsNothing, learnsNothingMessage, warmupSteps } from '../schedule.js';
import { buildTrlConfig, trlTotalSteps } from './trl-config.js';
import { chooseSftFormat, trlDpoRows, trlSftRows } from './trl-data.js';
import { type TrlCommand, type TrlLaunch, accelerateConfig, shellLine, trlCommands, worldSize } from './trl-launch.js';

export interface TrlRunOptions {
  outDir: string;
  launch: TrlLaunch;
  /** Run TRL here when it is installed (false: only write the files and the commands). */
  run: boolean;
  reporter: TrainReporter;
  signal?: AbortSignal | undefined;
  /** Environment of the TRL process (PATH decides whether `trl`/`accelerate` are here). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface TrlRunResult {
  output: TrainedOutput | null;
  steps: number;
  commands: string[];
}

/** The absolute path of an executable on `PATH`, or null. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder; try the next one
    }
  }
  return null;
}

function runCommand(cmd: TrlCommand, cwd: string, env: NodeJS.ProcessEnv, signal: AbortSignal | undefined): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd.argv[0] as string, cmd.argv.slice(1), { cwd, env, stdio: ['ignore', 'inherit', 'inherit'], ...(signal ? { signal } : {}) });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

/** What the commands need on the training machine, as one pip line (TRL ≥ 0.20: the config's argument names). */
export function pipInstallLine(launch: TrlLaunch): string {
  return `pip install 'trl>=0.20' peft${launch.deepspeed === null ? '' : ' deepspeed'}`;
}

/**
 * The TRL engine: writes the dataset where TRL reads it (`trl/data/train.jsonl` in TRL's conversational
 * formats), a TRL config with the run's hyper-parameters (`trl/sft.yaml` or `trl/dpo.yaml`), an accelerate
 * config with DeepSpeed for several GPUs or nodes (`trl/accelerate.yaml`) and `trl/run.sh`; paths in them are
 * relative to the output folder, so the folder can be copied to a GPU machine. When `trl` (and `accelerate`
 * for several processes) is on PATH and the job fits this machine, it runs it (cwd = the output folder) and
 * returns the adapter (`adapter/`) or model (`model/`) TRL saved; otherwise it reports the commands and returns
 * no output. Throws ConfigError when TRL fails or saves nothing.
 */
export async function runTrl(s: TrainSettings, base: BaseModel, o: TrlRunOptions): Promise<TrlRunResult> {
  if (s.kind === 'pg') throw new ConfigError('learn pg: TRL has no offline weighted policy-gradient trainer; use --engine builtin.');
  const kind = s.kind;
  const env = o.env ?? process.env;
  const sftFormat = chooseSftFormat(base.dir);
  const rows = kind === 'sft' ? trlSftRows(readJsonLines(s.data, TrainSftRowSchema), sftFormat) : trlDpoRows(readJsonLines(s.data, TrainDpoRowSchema));
  if (rows.length === 0) throw new ConfigError(`${s.data}: no rows to train on.`);
  const total = trlTotalSteps(s, rows.length, worldSize(o.launch));
  if (learnsNothing(s.learningRate, warmupSteps(total, s.warmupRatio), total)) {
    throw new ConfigError(learnsNothingMessage(s.data, rows.length, total, s.batchSize, s.gradAccum));
  }
  const trlDir = join(o.outDir, 'trl');
  mkdirSync(join(trlDir, 'data'), { recursive: true });
  writeFileAtomic(join(trlDir, 'data', 'train.jsonl'), toJsonLines(rows));
  const outputRel = s.lora ? 'adapter' : 'model';
  const config = buildTrlConfig({ settings: s, datasetDir: 'trl/data', outputDir: outputRel, rows: rows.length, worldSize: worldSize(o.launch), sftFormat });
  const configRel = `trl/${kind}.yaml`;
  writeFileAtomic(join(o.outDir, configRel), stringify(config));
  const accel = accelerateConfig(o.launch);
  const accelRel = accel === null ? null : 'trl/accelerate.yaml';
  if (accel !== null && accelRel !== null) writeFileAtomic(join(o.outDir, accelRel), stringify(accel));
  const cmds = trlCommands(kind, configRel, accelRel, o.launch);
  const lines = cmds.map((c) => (c.machineRank === null ? shellLine(c.argv) : `# node ${c.machineRank}\n${shellLine(c.argv)}`));
  const install = pipInstallLine(o.launch);
  writeFileAtomic(
    join(trlDir, 'run.sh'),
    `#!/usr/bin/env bash\n# ${kind} with TRL; run from anywhere: paths are relative to the output folder.\n# needs: ${install}\nset -euo pipefail\ncd "$(dirname "$0")/.."\n${lines.join('\n')}\n`,
  );
  const whyRows = base.dir === null ? 'the base is a hub id: its chat template is not read here' : 'the chat template has no {% generation %} blocks';
  if (s.kind === 'sft') o.reporter.note(`TRL SFT rows: ${sftFormat === 'messages' ? 'whole conversations, assistant_only_loss' : `one prompt/completion row per assistant reply (${whyRows})`}.`);

  const first = cmds[0] as TrlCommand;
  const here = o.run && o.launch.nodes === 1 && findExecutable(first.argv[0] as string, env) !== null;
  if (!here) {
    const why = !o.run ? 'not run (--trl-print)' : o.launch.nodes > 1 ? `${o.launch.nodes} nodes: run one command on each` : `\`${first.argv[0]}\` is not on PATH here`;
    o.reporter.note(
      `TRL ${why}. Where Python has TRL (${install}), from ${o.outDir} (copied to the training machine; ${base.dir === null ? `TRL downloads ${s.baseId} from the hub there` : `the base model must be at ${s.baseId} there`}):\n${lines.join('\n')}`,
    );
    return { output: null, steps: total, commands: lines };
  }
  o.reporter.note(`running: ${lines.join('\n')}`);
  const code = await runCommand(first, o.outDir, env, o.signal);
  if (code !== 0) throw new ConfigError(`${first.argv.join(' ')} exited with code ${code}; its output is above, its files are in ${trlDir}.`);
  const dir = join(o.outDir, outputRel);
  const marker = s.lora ? 'adapter_config.json' : 'config.json';
  if (!existsSync(join(dir, marker))) throw new ConfigError(`TRL finished but ${join(dir, marker)} is missing; nothing to register.`);
  return { output: s.lora ? { kind: 'adapter', dir } : { kind: 'model', dir }, steps: total, commands: lines };
}
