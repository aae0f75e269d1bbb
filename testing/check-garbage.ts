import type { LoadedGame } from '../core/game-loader.js';
import type { Interactions } from '../registry/interactions.js';
import type { GameCheck } from './game-check.js';
import { playLive, type LiveEpisode } from './play.js';

/**
 * What the garbage check has every player answer, one episode each: an empty completion, text with no move in it,
 * and a reply longer than any prompt asks for. Models send all three.
 */
export const GARBAGE_REPLIES: readonly string[] = ['', 'lorem ipsum §§ ¿? {"oops": [', `${'blah '.repeat(400)}…`];

const shown = (reply: string): string => JSON.stringify(reply.length > 20 ? `${reply.slice(0, 20)}…` : reply);

/**
 * The garbage check of the shared game suite: the game's first instance is played once per reply of
 * {@link GARBAGE_REPLIES}, every player sending that reply every turn (in memory, nothing written). Each episode must
 * end as aborted (ParseError) or lost (RuleViolation, or the turn limit) — not as a win, and not by a hook throwing
 * anything else (which a run records as an errored episode) — and its request counts must add up: one request per
 * reply, parsed plus violated equal to requests in every round, and an aborted episode counts its violation.
 */
export async function checkGarbage(loaded: LoadedGame): Promise<GameCheck> {
  const outcomes = { aborted: 0, lose: 0 };
  for (const reply of GARBAGE_REPLIES) {
    let episode: LiveEpisode;
    try {
      episode = await playLive(loaded, loaded.spec.roles.map(() => () => reply));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return fail(`the reply ${shown(reply)} made the game fail instead of ending the episode: ${why}. A hook must throw ParseError (aborted) or RuleViolation (lost) for a reply it cannot use, and score() must score every ended episode`);
    }
    if (episode.outcome === 'success') return fail(`players that only say ${shown(reply)} won the episode: parse() and advance() must reject a reply with no move in it`);
    const wrong = countProblem(episode.interactions);
    if (wrong) return fail(`the reply ${shown(reply)}: ${wrong}`);
    outcomes[episode.outcome] += 1;
  }
  return {
    name: 'garbage',
    passed: true,
    detail: `${GARBAGE_REPLIES.length} garbage replies end the episode (${outcomes.aborted} aborted, ${outcomes.lose} lost) with request counts that add up`,
  };
}

function fail(detail: string): GameCheck {
  return { name: 'garbage', passed: false, detail };
}

/** What is wrong with an episode's request counts, or undefined when they add up. */
function countProblem(interactions: Interactions): string | undefined {
  const replies = interactions.turns.flat().filter((e) => e.action.type === 'get message').length;
  const requests = interactions['Request Count'].reduce((a, b) => a + b, 0);
  if (requests !== replies) return `Request Count adds up to ${requests}, but ${replies} replies were recorded`;
  for (const [r, n] of interactions['Request Count'].entries()) {
    const parsed = interactions['Parsed Request Count'][r] ?? 0;
    const violated = interactions['Violated Request Count'][r] ?? 0;
    if (parsed + violated !== n) return `round ${r}: ${parsed} parsed + ${violated} violated requests, but ${n} requests (call ctx.noteViolation() at most once per reply)`;
  }
  const violated = interactions['Violated Request Count'].reduce((a, b) => a + b, 0);
  if (interactions.Aborted === 1 && violated === 0) return 'the episode was aborted but no request was counted as violated';
  return undefined;
}
