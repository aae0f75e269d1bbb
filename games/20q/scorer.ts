import { z } from 'zod';
import type { EpisodeRecord, EpisodeScores, ScoreMap } from '../../core/game.js';
import type { GameEvent } from '../../registry/interactions.js';
import { expectedInformationGain, realisedInformationGain } from './info-gain.js';
import type { TwentyQExperiment, TwentyQInstance } from './instances.js';

/** The `question` event the game master logs (content), as the scorer reads it back. */
export const QuestionEventSchema = z.looseObject({
  number: z.number().int().positive(),
  text: z.string(),
  mapping: z.looseObject({ kind: z.enum(['attribute', 'category', 'all', 'any', 'guess', 'never', 'unmapped']), offTask: z.boolean().optional() }),
  repeated: z.boolean(),
  candidates: z.number().int().nonnegative().describe('Words consistent before the question.'),
  yes: z.number().int().nonnegative().nullable().describe('Of those, how many the KB answers yes for; null when unmapped.'),
});
/** The `answer` event: the answer used and the words consistent after it. */
export const AnswerEventSchema = z.looseObject({
  number: z.number().int().positive(),
  answer: z.enum(['yes', 'no', 'maybe']),
  candidates: z.number().int().nonnegative(),
  answered_by: z.string().optional().describe('The fallback model that answered for the Answerer (kb-oracle+<model>); absent when the Answerer answered.'),
});

const gmEvents = (events: readonly GameEvent[], type: string) => events.filter((e) => e.from === 'GM' && e.to === 'GM' && e.action.type === type).map((e) => e.action.content);
const mean = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length;
};

/**
 * Scores one recorded 20q episode from its `question`/`answer` events (never replays). Per round (one
 * question): `Information Gain` (expected, bits, over the words still consistent, uniform prior),
 * `Realised Information Gain`, `Repeated Question`, `Unmapped Question` (not counting off-task turns),
 * `Off-task Question`, `Fallback Answer` (the Answerer's fallback model answered); gains are null when the
 * KB cannot answer the question for every candidate, and when the fallback model answered. Episode: `Main Score` = 100·(1 − (q − 1)/max) on a win, else 0;
 * `Questions`, `LMRL Return` (−(q − 1) or −max), `EDA Score` (1 − 0.02·max(q − 5, 0) or 0), `Repeated
 * Questions`, `Unmapped Questions`, `Off-task Questions`, `Fallback Answers`, `Mean Information Gain`, `Mean Realised Information Gain`, `Candidates
 * Left`. On an abort every episode score is null (clemcore: NaN).
 */
export function score(record: EpisodeRecord<TwentyQInstance, TwentyQExperiment>): EpisodeScores {
  const { interactions, experiment } = record;
  const max = experiment.max_questions;
  const rounds: ScoreMap[] = [];
  const expected: (number | null)[] = [];
  const realised: (number | null)[] = [];
  let questions = 0;
  let repeated = 0;
  let unmapped = 0;
  let offTask = 0;
  let fallback = 0;
  let left: number | null = null;
  for (const events of interactions.turns) {
    const q = gmEvents(events, 'question').map((c) => QuestionEventSchema.parse(c))[0];
    const a = gmEvents(events, 'answer').map((c) => AnswerEventSchema.parse(c))[0];
    if (!q) {
      rounds.push({ 'Information Gain': null, 'Realised Information Gain': null, 'Repeated Question': null, 'Unmapped Question': null, 'Off-task Question': null, 'Fallback Answer': null });
      continue;
    }
    questions += 1;
    const isOffTask = q.mapping.offTask === true;
    const byFallback = a?.answered_by !== undefined;
    if (q.repeated) repeated += 1;
    if (q.yes === null && !isOffTask) unmapped += 1;
    if (isOffTask) offTask += 1;
    if (byFallback) fallback += 1;
    // the gains are the knowledge base's: undefined where it cannot map the question or another model answered
    const kbKnows = q.yes !== null && !byFallback;
    const eig = kbKnows ? expectedInformationGain(q.yes as number, q.candidates) : null;
    const rig = !kbKnows || !a ? null : a.answer === 'maybe' ? 0 : realisedInformationGain(q.candidates, a.candidates);
    if (a) left = a.candidates;
    expected.push(eig);
    realised.push(rig);
    rounds.push({
      'Information Gain': eig,
      'Realised Information Gain': rig,
      'Repeated Question': q.repeated ? 1 : 0,
      'Unmapped Question': q.yes === null && !isOffTask ? 1 : 0,
      'Off-task Question': isOffTask ? 1 : 0,
      'Fallback Answer': byFallback ? 1 : 0,
    });
  }
  const won = interactions.Success === 1;
  const episode: ScoreMap =
    interactions.Aborted === 1
      ? Object.fromEntries(EPISODE_SCORE_NAMES.map((n) => [n, null]))
      : {
          // 100·(1 − (q − 1)/M) written so that whole-number scores come out exact (5, not 5.000000000000004)
          'Main Score': won ? (100 * (max - (questions - 1))) / max : 0,
          Questions: questions,
          'LMRL Return': won ? -(questions - 1) : -max,
          'EDA Score': won ? (50 - Math.max(questions - 5, 0)) / 50 : 0,
          'Repeated Questions': repeated,
          'Unmapped Questions': unmapped,
          'Off-task Questions': offTask,
          'Fallback Answers': fallback,
          'Mean Information Gain': mean(expected),
          'Mean Realised Information Gain': mean(realised),
          'Candidates Left': left,
        };
  return { rounds, episode };
}

/** Every episode score this game writes (besides the framework's outcomes and request counts). */
export const EPISODE_SCORE_NAMES = [
  'Main Score', 'Questions', 'LMRL Return', 'EDA Score', 'Repeated Questions', 'Unmapped Questions', 'Off-task Questions', 'Fallback Answers',
  'Mean Information Gain', 'Mean Realised Information Gain', 'Candidates Left',
] as const;
