import { z } from 'zod';
import type { LearnKind } from '../train-settings.js';

/** Where TRL runs: GPUs per node, nodes, and the DeepSpeed ZeRO stage for several processes. */
export const TrlLaunchSchema = z.strictObject({
  gpus: z.number().int().positive().describe('GPUs (processes) per node.'),
  nodes: z.number().int().positive(),
  deepspeed: z.enum(['zero2', 'zero3']).nullable().describe('DeepSpeed ZeRO stage through accelerate; null: plain DDP (or one process).'),
  mainProcessIp: z.string().nullable().describe('Address of node 0 (several nodes).'),
  mainProcessPort: z.number().int().positive(),
});
export type TrlLaunch = z.infer<typeof TrlLaunchSchema>;

export const SINGLE_PROCESS: TrlLaunch = { gpus: 1, nodes: 1, deepspeed: null, mainProcessIp: null, mainProcessPort: 29500 };

export function worldSize(launch: TrlLaunch): number {
  return launch.gpus * launch.nodes;
}

/**
 * The accelerate config file for a multi-process launch (keys as in TRL's own trl/accelerate_configs/*.yaml),
 * or null when one process runs without DeepSpeed.
 */
export function accelerateConfig(launch: TrlLaunch): Record<string, unknown> | null {
  if (worldSize(launch) === 1 && launch.deepspeed === null) return null;
  const common = {
    compute_environment: 'LOCAL_MACHINE',
    debug: false,
    downcast_bf16: 'no',
    machine_rank: 0,
    main_training_function: 'main',
    mixed_precision: 'bf16',
    num_machines: launch.nodes,
    num_processes: worldSize(launch),
    rdzv_backend: 'static',
    same_network: true,
    tpu_env: [],
    tpu_use_cluster: false,
    tpu_use_sudo: false,
    use_cpu: false,
  };
  if (launch.deepspeed === null) return { ...common, distributed_type: 'MULTI_GPU' };
  const stage = launch.deepspeed === 'zero3' ? 3 : 2;
  return {
    ...common,
    distributed_type: 'DEEPSPEED',
    deepspeed_config: {
      deepspeed_multinode_launcher: 'standard',
      offload_optimizer_device: 'none',
      offload_param_device: 'none',
      zero3_init_flag: stage === 3,
      zero3_save_16bit_model: stage === 3,
      zero_stage: stage,
    },
  };
}

/** One command, for one machine (or every machine when `machineRank` is null). */
export interface TrlCommand {
  argv: string[];
  /** 0-based node the command is for; null when one command serves all. */
  machineRank: number | null;
}

/**
 * The commands that train: `trl sft|dpo --config FILE` for one process; `accelerate launch --config_file …
 * -m trl.scripts.sft|dpo --config FILE` for several GPUs, one command per node when there are several nodes.
 */
export function trlCommands(kind: Exclude<LearnKind, 'pg'>, configPath: string, accelerateConfigPath: string | null, launch: TrlLaunch): TrlCommand[] {
  if (accelerateConfigPath === null) return [{ argv: ['trl', kind, '--config', configPath], machineRank: null }];
  const ranks = launch.nodes === 1 ? [null] : Array.from({ length: launch.nodes }, (_, r) => r);
  return ranks.map((rank) => {
    const argv = ['accelerate', 'launch', '--config_file', accelerateConfigPath, '--num_processes', String(worldSize(launch))];
    if (rank !== null) {
      argv.push('--num_machines', String(launch.nodes), '--machine_rank', String(rank), '--main_process_ip', launch.mainProcessIp ?? 'NODE0_ADDRESS');
      argv.push('--main_process_port', String(launch.mainProcessPort));
    }
    argv.push('-m', `trl.scripts.${kind}`, '--config', configPath);
    return { argv, machineRank: rank };
  });
}

/** POSIX shell quoting of one word. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
