import pLimit from 'p-limit';
import type { Backend, EpisodeInfo, GenerationArgs } from '../../backends/backend.js';
import { hashSeed } from '../../base/rng.js';
import type { PlayerState, Reward, RewardContext } from '../../core/rewards.js';
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

/** The policy's candidate replies at a state: one request with n = k where the backend honours n, else k requests. */
async function sample(o: DpoPairOptions, s: DpoState): Promise<string[]> {
  const e = s.state.episode;
  const episode: EpisodeInfo = {
    gameName: e.gameName,
    experimentName: e.experimentName,
    gameId: e.gameId,
    role: s.state.role,
    playerName: s.state.player,
    instance: e.instance,
  };
  const seed = hashSeed(o.seed, 'dpo', s.id);
  const args = (extra: GenerationArgs): GenerationArgs => ({
    temperature: o.temperature ?? 1,
    ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}),
    ...extra,
  });
  const request = (extra: GenerationArgs) => o.policy.generate({ messages: s.state.messages, args: args(extra), episode }, o.signal);
  if (o.policy.capabilities.n && !o.policy.isProgrammatic) {
    const result = await request({ n: o.k, seed });
    return result.choices.map((c) => c.text);
  }
  // Programs answer n by repeating one call; separate seeds give them (and backends without n) k draws.
  const results = await Promise.all(Array.from({ length: o.k }, (_, i) => request({ seed: hashSeed(seed, i) })));
  return results.map((r) => r.choices[0]?.text ?? '');
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

async function pairAt(o: DpoPairOptions, s: DpoState): Promise<JournalEntry> {
  const now = o.now ?? (() => performance.now());
  const started = now();
  const candidates = await sample(o, s);
  const { scores } = await o.reward.score(s.state, candidates, o.contextFor(s.state));
  const done = (pair: DpoRow | null, skipped: string | null): JournalEntry => ({ state_id: s.id, pair, skipped, scores, seconds: Math.max(0, (now() - started) / 1000) });
  const picked = bestAndWorst(scores);
  if (picked === null) return done(null, 'no candidate could be scored');
  const chosen = candidates[picked.best] as string;
  const rejected = candidates[picked.worst] as string;
  const gap = (scores[picked.best] as number) - (scores[picked.worst] as number);
  if (gap === 0) return done(null, 'every scored candidate has the same reward');
  if (chosen === rejected) return done(null, 'the best and the worst candidate are the same reply');
  if (gap < o.minGap) return done(null, `reward gap ${gap} is below the minimum ${o.minGap}`);
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
  return done(pair, null);
}

/**
 * Builds preference pairs at every state not yet in the journal: samples k candidates from the policy (seeded per
 * state), scores them with the reward, keeps the best as chosen and the worst as rejected when they differ and the
 * gap is at least `minGap`, adds the reference log-probabilities, and appends each state's outcome to the journal
 * as it finishes (`concurrency` states in flight). Returns every state's journal entry (old and new) by state id.
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
