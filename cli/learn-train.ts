import { type Command, InvalidArgumentError } from 'commander';
import {
  ENGINES, type EngineName, type HyperParameters, LEARN_KINDS, LORA_TARGETS, type LearnKind, type LearnOptions, type LoraOptions, type LoraTarget,
  SINGLE_PROCESS, type TrlLaunch, learn, terminalTrainReporter,
} from '../learners/engine/index.js';
import { oneOf, parseNumber } from './options.js';

function targets(value: string): LoraTarget[] {
  const list = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const bad = list.filter((t) => !(LORA_TARGETS as readonly string[]).includes(t));
  if (bad.length > 0 || list.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of ${LORA_TARGETS.join(', ')}`);
  return list as LoraTarget[];
}

interface TrainCliOptions {
  data: string; base: string; engine: EngineName; output: string; full?: boolean; register?: string; resume?: boolean;
  loraR?: number; loraAlpha?: number; loraDropout?: number; loraDropoutPerModule?: boolean; loraTargets?: LoraTarget[]; loraRslora?: boolean;
  lr?: number; epochs?: number; maxSteps?: number; batchSize?: number; gradAccum?: number; warmupRatio?: number; weightDecay?: number;
  maxGradNorm?: number; beta?: number; maxLength?: number; seed?: number; saveSteps?: number;
  threads: number; buckets: number; gpus: number; nodes: number; deepspeed?: 'zero2' | 'zero3'; mainProcessIp?: string; mainProcessPort: number; trlPrint?: boolean;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toLearnOptions(kind: LearnKind, o: TrainCliOptions): LearnOptions {
  const lora: Partial<LoraOptions> = defined({ r: o.loraR, alpha: o.loraAlpha, dropout: o.loraDropout, dropoutPerModule: o.loraDropoutPerModule, targetModules: o.loraTargets, rslora: o.loraRslora });
  const hyper: Partial<HyperParameters> = defined({
    learningRate: o.lr, epochs: o.epochs, maxSteps: o.maxSteps, batchSize: o.batchSize, gradAccum: o.gradAccum, warmupRatio: o.warmupRatio,
    weightDecay: o.weightDecay, maxGradNorm: o.maxGradNorm, beta: o.beta, maxLength: o.maxLength, seed: o.seed, saveSteps: o.saveSteps,
  });
  const launch: TrlLaunch = { ...SINGLE_PROCESS, gpus: o.gpus, nodes: o.nodes, deepspeed: o.deepspeed ?? null, mainProcessIp: o.mainProcessIp ?? null, mainProcessPort: o.mainProcessPort };
  return {
    kind, data: o.data, base: o.base, outDir: o.output, engine: o.engine, full: o.full === true, lora, hyper, resume: o.resume === true,
    threads: o.threads, maxBuckets: o.buckets, trl: { launch, run: o.trlPrint !== true }, reporter: terminalTrainReporter(process.stderr, 10),
    ...(o.register !== undefined ? { register: o.register } : {}),
  };
}

const DESCRIPTIONS: Record<LearnKind, string> = {
  sft: 'Fine-tune on conversations (TRL messages format): cross-entropy on the assistant replies',
  dpo: 'Direct preference optimisation on prompt/chosen/rejected pairs (sigmoid loss)',
  pg: 'Weighted policy gradient: raise or lower replies by per-sequence, per-turn or per-token weights (built-in engine)',
};

/** `learn sft|dpo|pg`: option parsing only; each calls `learn()` (learners/engine). */
export function registerLearnTrain(group: Command): void {
  for (const kind of LEARN_KINDS) {
    group
      .command(kind)
      .description(DESCRIPTIONS[kind])
      .requiredOption('--data <file>', 'dataset (JSON lines)')
      .requiredOption('--base <model>', 'base model: a model_registry.json name or a model folder')
      .requiredOption('-o, --output <dir>', 'output folder: train-settings.json, train.jsonl, checkpoint/, adapter/ (or model/ with --full)')
      .option('--engine <engine>', `${ENGINES.join(' | ')}`, oneOf(ENGINES), 'builtin' as EngineName)
      .option('--full', 'fine-tune every weight (small models) instead of a LoRA adapter')
      .option('--register <name>', 'add the trained model to ./model_registry.json under this name')
      .option('--resume', 'continue the run in the output folder from its last checkpoint')
      .option('--lora-r <r>', 'LoRA rank (default 32)', parseNumber('int', 1))
      .option('--lora-alpha <alpha>', 'LoRA alpha (default 16)', parseNumber('float', 0))
      .option('--lora-dropout <p>', 'LoRA dropout (default 0.1; DPO trains without dropout, as TRL does)', parseNumber('float', 0))
      .option('--lora-dropout-per-module', 'builtin: one dropout mask per projection as PEFT draws them (default: q/k/v and gate/up share one, faster)')
      .option('--lora-targets <list>', `projections (default all: ${LORA_TARGETS.join(',')})`, targets)
      .option('--lora-rslora', 'rank-stabilised LoRA: scale the update by alpha/√r instead of alpha/r (PEFT use_rslora)')
      .option('--lr <rate>', 'peak learning rate (default: sft/pg 1e-5, dpo 5e-6; full: 1e-6 / 5e-7)', parseNumber('float', 0))
      .option('--epochs <n>', 'epochs (default 1)', parseNumber('int', 1))
      .option('--max-steps <n>', 'optimizer steps (overrides --epochs)', parseNumber('int', 1))
      .option('--batch-size <n>', 'rows (DPO: pairs) per forward/backward pass (default 4)', parseNumber('int', 1))
      .option('--grad-accum <n>', 'passes per optimizer step (default 4)', parseNumber('int', 1))
      .option('--warmup-ratio <r>', 'share of steps warming up (default 0.1)', parseNumber('float', 0))
      .option('--weight-decay <w>', 'AdamW decoupled weight decay (default 0)', parseNumber('float', 0))
      .option('--max-grad-norm <n>', 'clip the global gradient norm (default 1; 0: off)', parseNumber('float', 0))
      .option('--beta <b>', 'DPO β (default 0.1)', parseNumber('float', 0))
      .option('--max-length <n>', 'tokens per sequence (default 2048)', parseNumber('int', 1))
      .option('--seed <s>', 'seed of initialisation, data order and dropout (default 42)', parseNumber('int', 0))
      .option('--save-steps <n>', 'checkpoint every N steps (default 50)', parseNumber('int', 1))
      .option('--threads <n>', 'builtin: onnxruntime threads', parseNumber('int', 1), 1)
      .option('--buckets <n>', 'builtin: most padded sequence lengths (graph shapes)', parseNumber('int', 1), 4)
      .option('--gpus <n>', 'trl: GPUs per node', parseNumber('int', 1), 1)
      .option('--nodes <n>', 'trl: nodes', parseNumber('int', 1), 1)
      .option('--deepspeed <stage>', 'trl: zero2 | zero3 through accelerate', oneOf(['zero2', 'zero3'] as const))
      .option('--main-process-ip <ip>', 'trl: address of node 0 (several nodes)')
      .option('--main-process-port <port>', 'trl: port of node 0', parseNumber('int', 1), 29500)
      .option('--trl-print', 'trl: write the files and print the commands, do not run them here')
      .action(async (opts: TrainCliOptions) => {
        const r = await learn(toLearnOptions(kind, opts));
        const out = r.output ? `${r.output.kind === 'adapter' ? 'adapter' : 'model'}: ${r.output.dir}` : `commands: ${r.outDir}/trl/run.sh`;
        const resumed = r.resumedFrom === null ? '' : ` (resumed at step ${r.resumedFrom})`;
        const reg = r.registered ? `\nregistered ${r.registered.model_name} in ./model_registry.json; play it: clem-ts run -g <game> -m ${r.registered.model_name}` : '';
        const later =
          r.output === null && opts.register !== undefined
            ? `\nafter TRL has run, register it: clem-ts register model -n ${opts.register} -v backend=transformers,huggingface_id=${r.settings.baseId},model_config.peft_model=${r.outDir}/adapter`
            : '';
        process.stdout.write(`learn ${kind} (${r.engine}): ${r.steps} step(s)${resumed}; ${out}${reg}${later}\n`);
      });
  }
}
