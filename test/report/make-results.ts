import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Builds results folders for the report tests in the layout and file shapes core/runner.ts writes
 * (`<models>/<game>/<experiment>/instance_NNNNN/` with instance.json, interactions.json, scores.json,
 * completed.json or error.json), without running a game.
 */

export type FakeOutcome = 'success' | 'lose' | 'aborted' | 'errored' | 'pending';

export interface FakeEvent {
  from: string;
  to: string;
  type: string;
  content: unknown;
  label?: string;
  reasoning?: string;
}

export interface FakeEpisode {
  model: string;
  game: string;
  experiment: string;
  gameId: number;
  outcome: FakeOutcome;
  mainScore?: number | null;
  /** Extra episode scores (game-specific). */
  scores?: Record<string, number | null>;
  /** Players beyond GM: name → role (default two players). */
  players?: Record<string, string>;
  /** Rounds of events (default: one context, one reply, one GM event). */
  rounds?: FakeEvent[][];
}

const T = '2026-01-02T03:04:05.000Z';

function defaultRounds(e: FakeEpisode): FakeEvent[][] {
  return [
    [
      { from: 'GM', to: 'Player 1', type: 'send message', content: `Play ${e.game}, instance ${e.gameId}.`, label: 'context' },
      { from: 'Player 1', to: 'GM', type: 'get message', content: `reply of ${e.model}`, label: 'response' },
      { from: 'GM', to: 'GM', type: e.outcome === 'aborted' ? 'invalid format' : 'game end', content: 'done' },
    ],
  ];
}

function write(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The episode's folder, relative to the results root. */
export function episodeRel(e: Pick<FakeEpisode, 'model' | 'game' | 'experiment' | 'gameId'>): string {
  return `${e.model}/${e.game}/${e.experiment}/instance_${String(e.gameId).padStart(5, '0')}`;
}

/** Writes one episode folder under `root`; returns its absolute path. */
export function writeEpisode(root: string, e: FakeEpisode): string {
  const dir = path.join(root, episodeRel(e));
  write(path.join(dir, 'instance.json'), { game_id: e.gameId });
  if (e.outcome === 'pending') return dir;
  if (e.outcome === 'errored') {
    write(path.join(dir, 'error.json'), { timestamp: T, error: 'BackendError', message: `${e.model}: HTTP 500`, code: 'backend_error', stack: null });
    return dir;
  }
  const roles = e.players ?? { 'Player 1': 'Questioner', 'Player 2': 'Answerer' };
  const players = { GM: { game_role: 'Game Master', model_name: 'programmatic' }, ...Object.fromEntries(Object.entries(roles).map(([n, r]) => [n, { game_role: r, model_name: e.model }])) };
  const rounds = e.rounds ?? defaultRounds(e);
  const meta = { game_name: e.game, experiment_name: e.experiment, game_id: e.gameId, results_folder: e.model, clem_version: '0.1.0', round_count: rounds.length, completed: true, format_version: 1 };
  const flags = { Aborted: e.outcome === 'aborted' ? 1 : 0, Lose: e.outcome === 'lose' ? 1 : 0, Success: e.outcome === 'success' ? 1 : 0 };
  const turns = rounds.map((events) =>
    events.map((ev) => ({
      from: ev.from,
      to: ev.to,
      timestamp: T,
      action: { type: ev.type, content: ev.content, ...(ev.label ? { label: ev.label } : {}), ...(ev.reasoning ? { reasoning: ev.reasoning } : {}) },
    })),
  );
  const counts = rounds.map((events) => events.filter((ev) => ev.type === 'get message').length);
  write(path.join(dir, 'interactions.json'), {
    meta,
    player_models: {},
    players,
    turns,
    'Request Count': counts,
    'Parsed Request Count': counts.map((c) => (e.outcome === 'aborted' ? Math.max(0, c - 1) : c)),
    'Violated Request Count': counts.map(() => (e.outcome === 'aborted' ? 1 : 0)),
    ...flags,
  });
  const main = e.outcome === 'aborted' ? null : (e.mainScore ?? (e.outcome === 'success' ? 100 : 0));
  write(path.join(dir, 'scores.json'), {
    meta,
    players,
    player_models: {},
    'round scores': Object.fromEntries(rounds.map((_, r) => [String(r), { 'Request Count': counts[r] ?? 0 }])),
    'episode scores': { ...(e.scores ?? {}), 'Main Score': main, ...flags },
  });
  write(path.join(dir, 'completed.json'), { timestamp: T, outcome: e.outcome });
  return dir;
}

/** Writes every episode; returns their folders in the same order. */
export function writeResults(root: string, episodes: readonly FakeEpisode[]): string[] {
  return episodes.map((e) => writeEpisode(root, e));
}
