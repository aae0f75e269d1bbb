import type { Backend, EpisodeInfo, GenerationArgs } from '../../backends/backend.js';
import { hashSeed } from '../../base/rng.js';
import type { PlayerState } from '../../core/rewards.js';

/**
 * k replies of `policy` at `state` (texts, in order): one request with n = k and `seed` where the backend honours n,
 * else k requests seeded `hashSeed(seed, i)` (programs answer n by repeating one call, so they get k draws too).
 * The request carries the episode, so programmatic policies see the game as they do in a run. Model failures
 * propagate (after the backend's retries).
 */
export async function sampleReplies(policy: Backend, state: PlayerState, k: number, args: GenerationArgs, seed: number, signal?: AbortSignal): Promise<string[]> {
  const e = state.episode;
  const episode: EpisodeInfo = { gameName: e.gameName, experimentName: e.experimentName, gameId: e.gameId, role: state.role, playerName: state.player, instance: e.instance };
  const request = (extra: GenerationArgs) => policy.generate({ messages: state.messages, args: { ...args, ...extra }, episode }, signal);
  if (policy.capabilities.n && !policy.isProgrammatic) return (await request({ n: k, seed })).choices.map((c) => c.text);
  const results = await Promise.all(Array.from({ length: k }, (_, i) => request({ seed: hashSeed(seed, i) })));
  return results.map((r) => r.choices[0]?.text ?? '');
}
