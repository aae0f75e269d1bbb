import { z } from 'zod';
import { writeJsonAtomic } from '../../base/atomic.js';
import { ConfigError } from '../../base/errors.js';
import type { ChatMessage } from '../../backends/backend.js';
import { type DatasetFormat, OpenAIChatRowSchema, type RowMetadata, type SftRow, SftRowSchema } from './formats.js';
import { type RoleEpisode, readRoleEpisodes } from './episodes.js';
import { writeJsonLines } from './jsonl.js';
import { type DatasetPaths, datasetPaths } from './output.js';
import { instanceKey, splitGroups } from './split.js';

export const SFT_FILTERS = ['success', 'top-k', 'min-score', 'all'] as const;
export type SftFilter = (typeof SFT_FILTERS)[number];

export interface SftDataOptions {
  resultsDir: string;
  game: string;
  role: string;
  /** success (default): won episodes; top-k: the k best episodes per instance by Main Score; min-score: Main Score ≥ minScore; all. */
  filter?: SftFilter;
  /** For top-k. Default 1. */
  topK?: number;
  /** For min-score. */
  minScore?: number;
  /** Only episodes where the role was played by one of these models. */
  models?: readonly string[];
  /** Only these experiments. */
  experiments?: readonly string[];
  /** `-o FILE`: see datasetPaths. */
  output?: string;
  /** trl (default): {messages, metadata}; openai: OpenAI's chat fine-tuning format (messages only). */
  format?: DatasetFormat;
  /** Share of instances held out for validation. Default 0.1. */
  validationFraction?: number;
  /** Instance field that defines "the same instance" for the split; default: the instance without game_id. */
  splitBy?: string;
  seed?: number;
}

export const SftSummarySchema = z.strictObject({
  kind: z.literal('sft'),
  game: z.string(),
  role: z.string(),
  filter: z.enum(SFT_FILTERS),
  format: z.enum(['trl', 'openai']),
  episodes_read: z.number().int().describe('Completed episodes of the game with a player in the role.'),
  episodes_kept: z.number().int().describe('Episodes the filter kept.'),
  duplicates: z.number().int().describe('Kept episodes whose conversation repeated an earlier one (dropped).'),
  train: z.number().int(),
  validation: z.number().int(),
  train_instances: z.number().int(),
  validation_instances: z.number().int(),
  mean_assistant_turns: z.number().nullable(),
  files: z.strictObject({ train: z.string(), validation: z.string() }),
});
export type SftSummary = z.infer<typeof SftSummarySchema>;

function keep(episodes: RoleEpisode[], o: SftDataOptions, keyOf: (e: RoleEpisode) => string): RoleEpisode[] {
  const filter = o.filter ?? 'success';
  if (filter === 'all') return episodes;
  if (filter === 'success') return episodes.filter((e) => e.conversation.outcome === 'success');
  if (filter === 'min-score') {
    if (o.minScore === undefined) throw new ConfigError('--filter min-score needs --min-score N (a Main Score, 0–100)');
    const min = o.minScore;
    return episodes.filter((e) => e.mainScore !== null && e.mainScore >= min);
  }
  const k = o.topK ?? 1;
  const byInstance = new Map<string, RoleEpisode[]>();
  for (const e of episodes.filter((x) => x.mainScore !== null)) byInstance.set(keyOf(e), [...(byInstance.get(keyOf(e)) ?? []), e]);
  const kept = new Set<RoleEpisode>();
  for (const group of byInstance.values()) {
    // Best first; ties keep folder order (the episodes are sorted by folder).
    group.sort((a, b) => (b.mainScore ?? 0) - (a.mainScore ?? 0)).slice(0, k).forEach((e) => kept.add(e));
  }
  return episodes.filter((e) => kept.has(e));
}

/** The player's messages up to its last reply (a trailing game-master message teaches nothing). */
function trainableMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  let end = messages.length;
  while (end > 0 && messages[end - 1]?.role !== 'assistant') end--;
  return messages.slice(0, end).map((m) => ({ role: m.role, content: m.content }));
}

/**
 * Builds an SFT dataset from the recorded episodes of one role: each kept episode gives one row, the conversation
 * exactly as the player saw it (TRL conversational language modeling, or OpenAI's chat format). Rows with the same
 * messages are kept once; instances are split between train and validation as wholes (splitGroups), so no instance
 * is on both sides. Writes train, validation and a summary atomically (datasetPaths) and returns the summary.
 * Throws ConfigError when no episode of the game has a player in the role.
 */
export async function buildSftData(o: SftDataOptions): Promise<SftSummary & { paths: DatasetPaths }> {
  const all = await readRoleEpisodes(o.resultsDir, o.game, o.role, o.experiments);
  const read = o.models === undefined ? all : all.filter((e) => o.models?.includes(e.conversation.modelName));
  if (read.length === 0) throw new ConfigError(`no completed ${o.game} episode with a ${o.role} player${o.models ? ` played by ${o.models.join(', ')}` : ''} in ${o.resultsDir}`);
  // Without instance.json (some clemcore trees), an episode's instance is its experiment and game_id.
  const keyOf = (e: RoleEpisode) =>
    Object.keys(e.instance).length === 0 ? JSON.stringify({ experiment: e.experiment, game_id: e.gameId }) : instanceKey(e.instance, o.splitBy);
  const kept = keep(read, o, keyOf);
  const seen = new Set<string>();
  let duplicates = 0;
  const unique: { episode: RoleEpisode; messages: ChatMessage[] }[] = [];
  for (const episode of kept) {
    const messages = trainableMessages(episode.conversation.messages);
    if (messages.length < 2) continue;
    const id = JSON.stringify(messages);
    if (seen.has(id)) {
      duplicates++;
      continue;
    }
    seen.add(id);
    unique.push({ episode, messages });
  }
  const split = splitGroups(
    unique.map((u) => keyOf(u.episode)),
    o.validationFraction ?? 0.1,
    o.seed ?? 0,
  );
  const rows: SftRow[] = unique.map(({ episode, messages }) => ({ messages, metadata: rowMetadata(sourceOf(episode), keyOf(episode), split.get(keyOf(episode)) ?? 'train') }));
  const paths = datasetPaths(o.output, o.resultsDir, o.game, o.role, 'sft');
  const format = o.format ?? 'trl';
  const side = (s: 'train' | 'validation') => rows.filter((r) => r.metadata.split === s);
  for (const s of ['train', 'validation'] as const) {
    if (format === 'trl') writeJsonLines(paths[s], SftRowSchema, side(s));
    else writeJsonLines(paths[s], OpenAIChatRowSchema, side(s).map((r) => ({ messages: r.messages })));
  }
  const turns = rows.map((r) => r.messages.filter((m) => m.role === 'assistant').length);
  const summary: SftSummary = {
    kind: 'sft',
    game: o.game,
    role: o.role,
    filter: o.filter ?? 'success',
    format,
    episodes_read: read.length,
    episodes_kept: kept.length,
    duplicates,
    train: side('train').length,
    validation: side('validation').length,
    train_instances: new Set(side('train').map((r) => r.metadata.instance_key)).size,
    validation_instances: new Set(side('validation').map((r) => r.metadata.instance_key)).size,
    mean_assistant_turns: turns.length === 0 ? null : turns.reduce((a, b) => a + b, 0) / turns.length,
    files: { train: paths.train, validation: paths.validation },
  };
  writeJsonAtomic(paths.summary, SftSummarySchema.parse(summary));
  return { ...summary, paths };
}

/** Where a row comes from, before the split: the episode and the player. */
export interface RowSource {
  episode: string;
  game: string;
  experiment: string;
  gameId: number;
  role: string;
  player: string;
  model: string;
  outcome: RowMetadata['outcome'];
  mainScore: number | null;
}

/** The provenance of a row. */
export function rowMetadata(src: RowSource, key: string, split: 'train' | 'validation'): RowMetadata {
  return {
    game: src.game,
    experiment: src.experiment,
    game_id: src.gameId,
    episode: src.episode,
    role: src.role,
    player: src.player,
    model: src.model,
    outcome: src.outcome,
    main_score: src.mainScore,
    instance_key: key,
    split,
  };
}

function sourceOf(e: RoleEpisode): RowSource {
  const c = e.conversation;
  return { episode: e.episode, game: e.game, experiment: e.experiment, gameId: e.gameId, role: c.role, player: c.player, model: c.modelName, outcome: c.outcome, mainScore: e.mainScore };
}
