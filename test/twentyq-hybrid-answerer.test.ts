import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInstances } from '../core/game-loader.js';
import { episodeSeed, replayEpisode } from '../core/replay.js';
import { run } from '../core/runner.js';
import { InteractionsSchema } from '../registry/interactions.js';
import { startOpenAIServer, type OpenAIServer, type ReplyContext } from './fixtures/openai-server.js';
import { loadPackagedGame } from './helpers/live-episode.js';
import { readResults } from './helpers/result-files.js';
import { tempDirs } from './helpers/temp-dir.js';

const KEY = 'sk-loopback-never-in-results-42';
const tmp = tempDirs();
let server: OpenAIServer;

/** An LLM Answerer: unreadable first, then "No." once re-prompted; answers only what kb-oracle hands it. */
function llmAnswerer({ messages }: ReplyContext): string {
  const last = String(messages.at(-1)?.content ?? '');
  return last.startsWith('Your answer could not be read') ? '**No.**' : 'Hmm, I would say probably not';
}

beforeEach(async () => {
  server = await startOpenAIServer({ reply: llmAnswerer });
});
afterEach(async () => {
  await server.close();
  tmp.cleanup();
});

const QUESTIONS = ['Is it alive?', 'Is it more expensive than a microwave?', 'Would you like to play again?', 'Is it a basketball?'];

function writeRegistry(cwd: string, extra: Record<string, unknown>[] = []): void {
  writeFileSync(
    join(cwd, 'model_registry.json'),
    JSON.stringify([
      { model_name: 'scripted-q', backend: 'programmatic', model_config: { replies: QUESTIONS } },
      { model_name: 'llm', backend: 'openai_compatible', model_id: 'served-model', base_url: server.baseURL },
      ...extra,
    ]),
  );
}

async function play(cwd: string, answerer: string) {
  return run({
    games: ['20q'],
    models: ['scripted-q'],
    roleModels: { Answerer: answerer },
    experiment: 'all_words',
    limit: 1, // game 0: Basketball
    resultsDir: join(cwd, 'results'),
    cwd,
    env: { OPENAI_COMPATIBLE_API_KEY: KEY, HOME: cwd },
    backend: { retry: false },
  });
}

describe('20q hybrid Answerer: kb-oracle with an LLM fallback on a loopback server, through the runner', () => {
  it('answers what the KB maps, hands the rest to the LLM, and records which one answered', async () => {
    const cwd = tmp.make();
    writeRegistry(cwd);
    const summary = await play(cwd, 'kb-oracle+llm');
    expect(summary.episodes.map((e) => e.status)).toEqual(['success']);

    // only the unmapped question went to the LLM: once, and once more after the unreadable reply
    expect(server.requests).toHaveLength(2);
    const first = (server.requests[0]?.body?.messages ?? []) as { role: string; content: string }[];
    expect(first[0]?.content).toContain('The hidden word is "Basketball"');
    expect(first.at(-1)?.content).toBe('Question: Is it more expensive than a microwave?\n');
    expect(String((server.requests[1]?.body?.messages as { content: string }[]).at(-1)?.content)).toMatch(/^Your answer could not be read/);

    const results = readResults(join(cwd, 'results'));
    const dir = 'scripted-q--kb-oracle+llm/20q/all_words/instance_00000';
    const interactions = InteractionsSchema.parse(results.get(`${dir}/interactions.json`));
    const events = interactions.turns.flat();
    const answers = events.filter((e) => e.action.type === 'answer').map((e) => e.action.content as Record<string, unknown>);
    expect(answers.map((a) => [a.answer, a.answered_by ?? 'kb'])).toEqual([['no', 'kb'], ['no', 'llm'], ['no', 'kb'], ['yes', 'kb']]);
    const replies = events.filter((e) => e.from === 'Player 2' && e.action.type === 'get message').map((e) => [e.action.content, e.action.model ?? null]);
    expect(replies).toEqual([['No.', null], ['Hmm, I would say probably not', 'llm'], ['**No.**', 'llm'], ['No.', null], ['Yes.', null]]);
    expect(interactions.players['Player 2']?.model_name).toBe('kb-oracle+llm');

    const scores = results.get(`${dir}/scores.json`) as { 'episode scores': Record<string, number | null>; 'round scores': Record<string, Record<string, number | null>> };
    const rounds = Object.values(scores['round scores']);
    expect(rounds.map((r) => r['Fallback Answer'])).toEqual([0, 1, 0, 0]);
    expect(rounds.map((r) => r['Off-task Question'])).toEqual([0, 0, 1, 0]);
    expect(rounds.map((r) => r['Unmapped Question'])).toEqual([0, 1, 0, 0]);
    // the information gain is the knowledge base's: undefined where another model answered or nothing was asked
    expect(rounds.map((r) => r['Information Gain'] === null)).toEqual([false, true, true, false]);
    expect(scores['episode scores']).toMatchObject({ 'Fallback Answers': 1, 'Off-task Questions': 1, 'Unmapped Questions': 1, Questions: 4, Success: 1 });

    // the requests log keeps the LLM's usage and the call it made; the key is written nowhere
    const log = results.get(`${dir}/player_2.requests.json`) as { calls: { usage: { output_tokens: number }; call: { manipulated_prompt_obj: Record<string, unknown> } }[] };
    expect(log.calls.map((c) => c.call.manipulated_prompt_obj.handed_to ?? null)).toEqual([null, 'llm', 'llm', null, null]);
    expect(log.calls[1]?.usage.output_tokens).toBeGreaterThan(0);
    expect(JSON.stringify([...results.values()])).not.toContain(KEY);

    // a replay of the recorded episode gives the same events, who answered included
    const { loaded } = await loadPackagedGame('20q');
    const instance = results.get(`${dir}/instance.json`) as Record<string, unknown>;
    const experiment = loadInstances(loaded).find((r) => r.experimentName === 'all_words')?.experiment ?? {};
    const episode = { gameName: '20q', experimentName: 'all_words', gameId: 0, interactions, instance, experiment, seed: episodeSeed(0, '20q', 'all_words', 0) };
    const { session } = replayEpisode(episode, { game: loaded.module.game, templates: loaded.templates });
    const again = session.interactions({ experimentName: 'all_words', gameId: 0, resultsFolder: 'x', clemVersion: 'test', playerModels: {}, modelNames: [] });
    const untimed = (i: { turns: { timestamp: string }[][] }) => i.turns.map((round) => round.map(({ timestamp: _t, ...e }) => e));
    expect(untimed(again)).toEqual(untimed(interactions));
  });

  it('takes the fallback from a model_config key of a registered entry too', async () => {
    const cwd = tmp.make();
    writeRegistry(cwd, [{ model_name: 'kb-llm', backend: 'programmatic', model_config: { program: 'kb-oracle', fallback_model: 'llm' } }]);
    const summary = await play(cwd, 'kb-llm');
    expect(summary.episodes.map((e) => e.status)).toEqual(['success']);
    expect(server.requests).toHaveLength(2);
  });

  it('without a fallback kb-oracle answers "No." itself and the server is never called', async () => {
    const cwd = tmp.make();
    writeRegistry(cwd);
    await play(cwd, 'kb-oracle');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a fallback on a model that is not a program, before anything is written', async () => {
    const cwd = tmp.make();
    writeRegistry(cwd);
    await expect(play(cwd, 'llm+kb-oracle')).rejects.toThrow("model 'llm+kb-oracle' (backend openai_compatible) has a fallback model, but only a program");
  });
});
