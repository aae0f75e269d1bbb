import type { DialogueGame, ScoreMap } from './game.js';
import type { Interactions } from '../registry/interactions.js';

/**
 * scores.json as clem-ts writes it: clemcore's new-API shape ("round scores"), strict JSON (null, never NaN).
 * Writers pass it through registry/scores.ts's `stringifyScores`, which checks it against `ScoresSchema`.
 */
export type ScoresFile = {
  meta: Interactions['meta'];
  players: Interactions['players'];
  player_models: Interactions['player_models'];
  'round scores': Record<string, ScoreMap>;
  'episode scores': ScoreMap;
};

function ratio(parsed: number, total: number): number | null {
  return total === 0 ? null : parsed / total;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function finite(scores: ScoreMap, where: string): ScoreMap {
  for (const [k, v] of Object.entries(scores)) {
    if (v !== null && !Number.isFinite(v)) throw new TypeError(`${where}: score '${k}' is ${v}; use null for undefined numbers`);
  }
  return scores;
}

/**
 * Scores one recorded episode with its game's scorer and adds what the framework owns: per-round and
 * per-episode request counts and ratios, Aborted/Lose/Success, and `Main Score` = null on abort.
 */
export function scoreEpisode(
  game: Pick<DialogueGame<unknown, unknown, unknown, unknown>, 'score' | 'instanceSchema' | 'experimentSchema'>,
  interactions: Interactions,
  instance: Record<string, unknown>,
  experiment: Record<string, unknown>,
): ScoresFile {
  const parsedInstance = game.instanceSchema.parse(instance);
  const parsedExperiment = game.experimentSchema ? game.experimentSchema.parse(experiment) : experiment;
  const scores = game.score({ interactions, instance: parsedInstance, experiment: parsedExperiment });
  if (!('Main Score' in scores.episode)) throw new Error(`${interactions.meta.game_name}: the scorer did not set 'Main Score'`);

  const rounds: Record<string, ScoreMap> = {};
  interactions.turns.forEach((_events, r) => {
    const requests = interactions['Request Count'][r] ?? 0;
    const parsed = interactions['Parsed Request Count'][r] ?? 0;
    rounds[String(r)] = finite(
      {
        ...(scores.rounds[r] ?? {}),
        'Request Count': requests,
        'Parsed Request Count': parsed,
        'Violated Request Count': interactions['Violated Request Count'][r] ?? 0,
        'Request Success Ratio': ratio(parsed, requests),
      },
      `round ${r}`,
    );
  });
  const requests = sum(interactions['Request Count']);
  const parsed = sum(interactions['Parsed Request Count']);
  const aborted = interactions.Aborted === 1;
  const episode: ScoreMap = finite(
    {
      ...scores.episode,
      'Request Count': requests,
      'Parsed Request Count': parsed,
      'Violated Request Count': sum(interactions['Violated Request Count']),
      'Request Success Ratio': ratio(parsed, requests),
      Aborted: interactions.Aborted,
      Lose: aborted ? 0 : interactions.Lose,
      Success: aborted ? 0 : interactions.Success,
      'Main Score': aborted ? null : (scores.episode['Main Score'] ?? null),
    },
    'episode scores',
  );
  return {
    meta: interactions.meta,
    players: interactions.players,
    player_models: interactions.player_models,
    'round scores': rounds,
    'episode scores': episode,
  };
}
