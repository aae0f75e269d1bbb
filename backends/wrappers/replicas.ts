import type { Backend, GenerateRequest, GenerateResult, ScoreRequest, ScoreResult } from '../backend.js';
import { isConnectionFailure } from './outage.js';

export interface ReplicaOptions {
  /** How long a replica that failed to connect is left out before one call probes it. Default 2000; doubles per failed probe. */
  cooldownMs?: number;
  /** Default 60 000. */
  maxCooldownMs?: number;
  now?: () => number;
}

interface Replica {
  backend: Backend;
  inFlight: number;
  /** Left out until this time (ms); 0 when healthy. */
  downUntil: number;
  cooldownMs: number;
  probing: boolean;
}

/**
 * One backend over several replicas of the same model (a model entry with a list of base URLs): each call goes
 * to the healthy replica with the fewest calls in flight (ties in turn). A replica whose call fails to connect
 * is taken out and the call goes on at once to another healthy one; after a cooldown one call at a time probes
 * it, and a success takes it back in. When every replica is out the call goes to the one due back first, so
 * its connection error reaches withOutageWait. Other errors are the caller's, as from a single server.
 */
export function combineReplicas(replicas: readonly Backend[], options: ReplicaOptions = {}): Backend {
  const first = replicas[0];
  if (!first) throw new RangeError('combineReplicas needs at least one backend');
  if (replicas.length === 1) return first;
  const base = options.cooldownMs ?? 2_000;
  const max = options.maxCooldownMs ?? 60_000;
  const now = options.now ?? (() => Date.now());
  const pool: Replica[] = replicas.map((backend) => ({ backend, inFlight: 0, downUntil: 0, cooldownMs: base, probing: false }));
  let turn = 0;

  const pick = (tried: ReadonlySet<Replica>): { replica: Replica; isProbe: boolean } | undefined => {
    const t = now();
    const due = pool.find((r) => !tried.has(r) && r.downUntil > 0 && r.downUntil <= t && !r.probing);
    if (due) return { replica: due, isProbe: true };
    let best: Replica | undefined;
    for (let k = 0; k < pool.length; k++) {
      const r = pool[(turn + k) % pool.length] as Replica;
      if (tried.has(r) || r.downUntil > 0) continue;
      if (!best || r.inFlight < best.inFlight) best = r;
    }
    turn = (turn + 1) % pool.length;
    if (best) return { replica: best, isProbe: false };
    if (tried.size > 0) return undefined;
    const soonest = [...pool].sort((a, b) => a.downUntil - b.downUntil)[0] as Replica;
    return { replica: soonest, isProbe: false };
  };

  const call = async <T>(invoke: (b: Backend) => Promise<T>): Promise<T> => {
    const tried = new Set<Replica>();
    for (;;) {
      const chosen = pick(tried);
      if (!chosen) throw new Error('unreachable: a replica was tried');
      const { replica, isProbe } = chosen;
      tried.add(replica);
      replica.inFlight += 1;
      if (isProbe) replica.probing = true;
      try {
        const result = await invoke(replica.backend);
        replica.downUntil = 0;
        replica.cooldownMs = base;
        return result;
      } catch (e) {
        if (!isConnectionFailure(e)) {
          if (isProbe) replica.downUntil = 0;
          throw e;
        }
        // Calls that were in flight when it went down fail together: count the outage once.
        if (replica.downUntil === 0 || isProbe) {
          replica.downUntil = now() + replica.cooldownMs;
          replica.cooldownMs = Math.min(max, replica.cooldownMs * 2);
        }
        if (!pool.some((r) => !tried.has(r) && r.downUntil === 0)) throw e;
      } finally {
        replica.inFlight -= 1;
        if (isProbe) replica.probing = false;
      }
    }
  };

  const combined: Backend = {
    name: first.name,
    capabilities: first.capabilities,
    generate: (request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> => call((b) => b.generate(request, signal)),
    close: async () => {
      await Promise.all(replicas.map((r) => r.close()));
    },
  };
  if (first.score) combined.score = (request: ScoreRequest, signal?: AbortSignal): Promise<ScoreResult> => call((b) => (b.score as NonNullable<Backend['score']>)(request, signal));
  return combined;
}
