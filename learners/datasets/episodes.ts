import { existsSync, readFileSync } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type PlayerConversation, episodeConversations } from '../../core/conversations.js';
import { InteractionsSchema } from '../../registry/interactions.js';
import { parseData } from '../../registry/parse.js';
import { parseScoresText } from '../../registry/scores.js';
import type { JsonValue } from '../../registry/json.js';
import { FileFormatError } from '../../base/errors.js';

/** One completed episode of a results folder, read and parsed, with the conversation of one role's player. */
export interface RoleEpisode {
  /** The episode folder relative to the results folder, with `/` separators (stable across machines). */
  episode: string;
  game: string;
  experiment: string;
  gameId: number;
  /** instance.json as recorded. */
  instance: Readonly<Record<string, JsonValue>>;
  conversation: PlayerConversation;
  /** The episode's Main Score, null when it has none (aborted, or not scored). */
  mainScore: number | null;
}

async function* completedFolders(dir: string): AsyncGenerator<string> {
  const subdirs: string[] = [];
  let completed = false;
  for await (const entry of await opendir(dir)) {
    if (entry.isDirectory()) subdirs.push(entry.name);
    else if (entry.name === 'completed.json') completed = true;
  }
  if (completed) yield dir;
  for (const name of subdirs.sort()) yield* completedFolders(join(dir, name));
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FileFormatError(file, [`not valid JSON: ${(e as Error).message}`], { cause: e });
  }
}

/**
 * Every completed episode of `game` under `resultsDir` (an episode is done when completed.json exists; errored and
 * unfinished ones are skipped), with the conversation of the player in `role`, sorted by folder. Files are parsed by
 * their schemas; a malformed one throws FileFormatError naming it. Interim walker until the results store's reader
 * (core/results-store/reader.ts, issue 8) lands; the fields here are what learners need from it.
 */
export async function readRoleEpisodes(resultsDir: string, game: string, role: string): Promise<RoleEpisode[]> {
  const out: RoleEpisode[] = [];
  for await (const dir of completedFolders(resultsDir)) {
    const file = join(dir, 'interactions.json');
    if (!existsSync(file)) continue;
    const interactions = parseData(InteractionsSchema, file, readJson(file));
    if (interactions.meta.game_name !== game) continue;
    const scoresFile = join(dir, 'scores.json');
    const scores = existsSync(scoresFile) ? parseScoresText(scoresFile, readFileSync(scoresFile, 'utf8')) : undefined;
    const conversation = episodeConversations(interactions, scores).find((c) => c.role === role);
    if (!conversation) continue;
    const instanceFile = join(dir, 'instance.json');
    const instance = existsSync(instanceFile) ? readJson(instanceFile) : {};
    const main = scores?.['episode scores']?.['Main Score'];
    out.push({
      episode: relative(resultsDir, dir).split(sep).join('/'),
      game,
      experiment: interactions.meta.experiment_name,
      gameId: interactions.meta.game_id,
      instance: typeof instance === 'object' && instance !== null && !Array.isArray(instance) ? (instance as Record<string, JsonValue>) : {},
      conversation,
      mainScore: typeof main === 'number' ? main : null,
    });
  }
  return out;
}
