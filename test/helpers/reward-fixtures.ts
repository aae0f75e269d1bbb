import type { Backend, GenerateRequest } from '../../backends/backend.js';
import type { Program } from '../../backends/programmatic/program.js';
import type { LoadedGame } from '../../core/game-loader.js';
import type { RecordedEpisode } from '../../core/replay.js';
import type { RewardContext, RewardModels } from '../../core/rewards.js';
import { rewardContexts } from '../../learners/rewards/context.js';
import { InteractionsSchema } from '../../registry/interactions.js';
import { playLive, programBackend, type AnyGame } from './live-episode.js';
import { scriptedBackend, type Script } from './scripted-backend.js';

/** A 20q (or any) episode played live and read back as from disk, ready for replay and rewards. */
export async function recordedEpisode(loaded: LoadedGame, backends: readonly (Backend | Script)[], at: { experiment: string; gameId: number }): Promise<RecordedEpisode> {
  const live = await playLive(loaded, backends, at);
  const interactions = InteractionsSchema.parse(JSON.parse(JSON.stringify(live.interactions)));
  return { gameName: loaded.spec.game_name, experimentName: at.experiment, gameId: at.gameId, interactions, instance: live.instance, experiment: live.experiment, seed: live.seed };
}

/** Reward contexts over a loaded game whose futures are played by the named programs (one per seat). */
export function contextsFor(loaded: LoadedGame, programs: ReadonlyMap<string, Program>, seats: readonly string[], models: RewardModels, cacheDir: string) {
  return rewardContexts({
    game: { game: loaded.module.game as AnyGame, templates: loaded.templates, rewards: loaded.module.rewards },
    models,
    players: async () => seats.map((s) => programBackend(s, programs)),
    cacheDir,
    seed: 0,
  }) as (state: import('../../core/rewards.js').PlayerState) => RewardContext;
}

/** A scripted backend that answers from a function of the last user message and counts its calls. */
export function byPrompt(name: string, answer: (prompt: string, request: GenerateRequest) => string): Backend & { requests: GenerateRequest[] } {
  return scriptedBackend(name, (request) => answer(request.messages.at(-1)?.content ?? '', request));
}
