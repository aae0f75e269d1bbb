import pLimit from 'p-limit';
import type { Backend } from '../../backends/backend.js';
import { hashSeed } from '../../base/rng.js';
import type { PlayerState, Reward, RewardContext } from '../../core/rewards.js';
import type { JsonValue } from '../../registry/json.js';
import { sampleReplies } from '../rewards/index.js';
import type { DpoRow, RowMetadata } from './formats.js';
import { type JournalEntry, type JournalSettings, appendJournal, openJournal } from './journal.js';

/** One state to build a pair at, with what its rows say about where it comes from. */
export interface DpoState {
  /** Stable across runs: the episode folder, the player and its reply index. */
  id: string;
  state: PlayerState;
  /** Provenance; `split` is a placeholder until the dataset is written. */
  metadata: RowMetadata;
}

export interface DpoPairOptions {
  states: readonly DpoState[];
  policy: Backend;
  reward: Reward;
  /** The reward's context at a state (its rng seeded by the state, so scoring is reproducible). */
  contextFor: (state: PlayerState) => RewardContext;
  /** Candidates sampled per state (at least 2). */
  k: number;
  /** Smallest best − worst reward gap that makes a pair (CollabLLM: 0.02). */
  minGap: number;
  /** Sampling temperature of the candidates (default 1). */
  temperature?: number;
  maxTokens?: number;
  /** Seeds every state's sampling: hashSeed(seed, state id). */
  seed: number;
  /** Reference model: summed log-probabilities of chosen and rejected are stored with the pair. */
  ref?: Backend;
  /** The journal file a rerun resumes from. */
  journal: string;
  /** What makes the states' outcomes what they are (reward and its options, models, k, gap, sampling, seed); a
   *  journal begun with other settings is refused. */
  settings: JournalSettings;
  /** States in flight at once (each model's own limits apply below this). */
  concurrency: number;
  /** Called once before any state runs: `total` states, `done` of them already in the journal. */
  onStart?: (total: number, done: number) => void;
  /** Called as each state of this run finishes. */
  onState?: (entry: JournalEntry) => void;
  now?: () => number;
  signal?: AbortSignal;
}

/** Index of the best and of the worst scored candidate (first one on ties), or null when fewer than one is scored. */
export function bestAndWorst(scores: readonly (number | null)[]): { best: number; worst: number } | null {
  let best = -1;
  let worst = -1;
  scores.forEach((s, i) => {
    if (s === null) return;
    if (best < 0 || s > (scores[best] as number)) best = i;
    if (worst < 0 || s < (scores[worst] as number)) worst = i;
  });
  return best < 0 ? null : { best, worst };
}

/** `: <reason>` from the first candidate whose details say why it has no score (a reward's `reason` key), else ''. */
function reasonOf(details: readonly JsonValue[]): string {
  for (const d of details) if (d !== null && typeof d === 'object' && !Array.isArray(d) && typeof d.reason === 'string') return `: ${d.reason}`;
  return '';
}

async function pairAt(o: DpoPairOptions, s: DpoState): Promise<JournalEntry> {
  const now = o.now ?? (() => performance.now());
  const started = now();
  const args = { temperature: o.temperature ?? 1, ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}) };
  const candidates = await sampleReplies(o.policy, s.state, o.k, args, hashSeed(o.seed, 'dpo', s.id), o.signal);
  const done = (pair: DpoRow | null, skipped: string | null, scores: (number | null)[]): JournalEntry => ({ state_id: s.id, pair, skipped, scores, seconds: Math.max(0, (now() - started) / 1000) });
  // A reply sampled twice is scored once (a comparative reward would otherwise judge it against itself).
  const distinct = [...new Set(candidates)];
  if (distinct.length < 2) return done(null, `the policy gave one reply ${candidates.length} times (sample with -t above 0, or from a policy that varies)`, candidates.map(() => null));
  const result = await o.reward.score(s.state, distinct, o.contextFor(s.state));
  const scores = candidates.map((c) => result.scores[distinct.indexOf(c)] ?? null);
  const picked = bestAndWorst(scores);
  if (picked === null) return done(null, `no candidate could be scored${reasonOf(result.details)}`, scores);
  const chosen = candidates[picked.best] as string;
  const rejected = candidates[picked.worst] as string;
  const gap = (scores[picked.best] as number) - (scores[picked.worst] as number);
  if (gap === 0) return done(null, 'every scored candidate has the same reward', scores);
  if (gap < o.minGap) return done(null, `reward gap below --min-gap ${o.minGap}`, scores);
  const pair: DpoRow = {
    prompt: s.state.messages.map((m) => ({ role: m.role, content: m.content })),
    chosen: [{ role: 'assistant', content: chosen }],
    rejected: [{ role: 'assistant', content: rejected }],
    score_chosen: scores[picked.best] as number,
    score_rejected: scores[picked.worst] as number,
    metadata: {
      ...s.metadata,
      turn: s.state.playerTurn,
      state_id: s.id,
      reward: o.reward.name,
      policy: o.policy.name,
      candidates: candidates.length,
      scores,
      recorded_reply: s.state.recordedReply ?? '',
      ref_model: o.ref?.name ?? null,
    },
  };
  if (o.ref?.score) {
    // Both in flight together: a local reference model scores them in one batched forward pass.
    const [c, r] = await Promise.all([
      o.ref.score({ messages: s.state.messages, continuation: chosen }, o.signal),
      o.ref.score({ messages: s.state.messages, continuation: rejected }, o.signal),
    ]);
    pair.ref_chosen_logps = c.logprob;
    pair.ref_rejected_logps = r.logprob;
  }
  return done(pair, null, scores);
}

/**
 * Builds preference pairs at every state not yet in the journal: samples k candidates from the policy (seeded per
 * state), scores the distinct ones with the reward (a reply drawn twice once; a state with one distinct reply is
 * skipped unscored), keeps the best as chosen and the worst as rejected when the gap is at least `minGap`, adds
 * the reference log-probabilities, and appends each state's outcome to the journal as it finishes (`concurrency`
 * states in flight). Returns every state's journal entry (old and new) by state id.
 * A failure of a model call (after the backend's retries) rejects; the states already journaled stay done.
 */
export async function buildPairs(o: DpoPairOptions): Promise<Map<string, JournalEntry>> {
  const done = openJournal(o.journal, o.settings);
  const limit = pLimit(o.concurrency);
  o.onStart?.(o.states.length, o.states.filter((s) => done.has(s.id)).length);
  await Promise.all(
    o.states
      .filter((s) => !done.has(s.id))
      .map((s) =>
        limit(async () => {
          o.signal?.throwIfAborted();
          const entry = await pairAt(o, s);
          appendJournal(o.journal, entry);
          done.set(s.id, entry);
          o.onState?.(entry);
        }),
      ),
  );
  return done;
}
