import type { Episode } from './results-store/index.js';
import { InteractionsSchema, playerInfo, type Interactions, type InteractionsRead } from '../registry/interactions.js';
import type { JsonValue } from '../registry/json.js';
import { parseData } from '../registry/parse.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const counts = (v: unknown, rounds: number): number[] =>
  Array.isArray(v) && v.length === rounds && v.every((n) => Number.isInteger(n) && (n as number) >= 0) ? (v as number[]) : Array.from({ length: rounds }, () => 0);

/**
 * A clemcore episode's interactions.json (any version, read tolerantly) in the shape clem-ts writes, so learners can
 * read its states like a clem-ts episode's: meta filled from the folder where the file lacks it, `players` entries
 * as `{game_role, model_name}` (clemcore < 2.4 records the model name alone: the role is then ''), event contents
 * kept as they are, request counts 0 where the file has none, and the outcome flags from scores.json (else
 * completed.json). Such an episode cannot be replayed (clemcore records no seed, and its game master is not
 * clem-ts's); core/replay.ts refuses it. Throws FileFormatError naming the file when the result is not valid.
 */
export async function clemcoreInteractions(e: Episode, read: InteractionsRead): Promise<Interactions> {
  const meta = read.meta ?? {};
  const metaId = Number(meta.game_id);
  const instanceId = Number(e.has('instance.json') ? (await e.instance()).game_id : undefined);
  const gameId = e.gameId ?? (Number.isInteger(metaId) ? metaId : Number.isInteger(instanceId) ? instanceId : -1);
  const outcome = await e.outcome();
  const rounds = read.turns.length;
  const players = Object.fromEntries(
    Object.entries(read.players ?? {}).map(([name, entry]) => {
      const { role, model } = playerInfo(entry);
      return [name, { game_role: name === 'GM' ? 'Game Master' : role, model_name: model }];
    }),
  );
  const candidate = {
    meta: {
      ...meta,
      game_name: meta.game_name ?? e.game,
      experiment_name: meta.experiment_name ?? e.experiment,
      game_id: gameId,
      results_folder: meta.results_folder ?? meta.dialogue_pair ?? e.modelsFolder,
      clem_version: typeof meta.clem_version === 'string' ? meta.clem_version : 'clemcore',
      round_count: rounds,
      completed: true,
    },
    player_models: isRecord(read.player_models) ? read.player_models : {},
    players,
    turns: read.turns.map((events) =>
      events.map((ev) => ({ from: ev.from, to: ev.to, timestamp: ev.timestamp ?? '', action: { ...ev.action, content: (ev.action.content ?? '') as JsonValue } })),
    ),
    'Request Count': counts(read['Request Count'], rounds),
    'Parsed Request Count': counts(read['Parsed Request Count'], rounds),
    'Violated Request Count': counts(read['Violated Request Count'], rounds),
    Aborted: outcome === 'aborted' ? 1 : 0,
    Lose: outcome === 'lose' ? 1 : 0,
    Success: outcome === 'success' ? 1 : 0,
  };
  return parseData(InteractionsSchema, e.file('interactions.json'), candidate);
}
