import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Xoshiro128 } from '../eval/bootstrap.js';

/**
 * Results trees shaped like clemcore's real ones, for bench P4. One "run" is 817 episodes of 14 clembench games
 * in clemcore ≤3.2's layout (`<model>/<game>/<i>_<experiment>/episode_<k>/`), as in clemcore's golden eval fixture
 * (tests/fixtures/clemeval/runs-v2-llama8b.zip: 817 scores.json, 252 of them with `"Main Score": NaN`). Each
 * episode folder holds what clemcore 2.x left there: instance.json, interactions.json (~40 KB: prompts, replies
 * and game events, as codenames' are), requests.json, and scores.json (~15 KB, Python's `json.dump(indent=2)`:
 * meta, players, "turn scores" with nested per-turn records, "episode scores", the full model spec in
 * player_models, bare `NaN` for undefined scores). The sizes follow paulutsch/playpen's published clemcore 2.5.1
 * run. `copies` models repeat the same tree under other model names, as the issue's 9,804-episode measurement did.
 */

export const GAMES = [
  'adventuregame',
  'cloudgame',
  'codenames',
  'guesswhat',
  'imagegame',
  'matchit_ascii',
  'privateshared',
  'referencegame',
  'taboo',
  'textmapworld',
  'textmapworld_graphreasoning',
  'textmapworld_specificroom',
  'wordle',
  'wordle_withcritic',
] as const;

export const EPISODES_PER_RUN = 817;
const ABORTED_PER_RUN = 252;

/** Python's repr of a float in JSON: `1.0`, `0.556`; integers as `3`. */
function pyFloat(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** JSON text as Python's `json.dump(obj, f, indent=2)` writes it; `raw` values are pre-rendered tokens. */
function pyJson(value: unknown, indent = ''): string {
  if (value instanceof Raw) return value.text;
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${pyJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pyJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

class Raw {
  constructor(readonly text: string) {}
}
const f = (x: number): Raw => new Raw(Number.isNaN(x) ? 'NaN' : pyFloat(x));

const WORDS = 'needle lead crane watch kiwi cross ray board ivory worm match kid lab microscope nurse stream life himalayas day bermuda fly pie dress centaur grass'.split(' ');

const MODEL_SPEC = {
  model_name: 'llama3-8b',
  backend: 'huggingface_local',
  context_size: '128k',
  huggingface_id: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
  languages: ['en', 'de', 'fr', 'it', 'pt', 'hi', 'es', 'th'],
  license: { name: 'Meta', url: 'https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE' },
  lookup_source: 'packaged',
  model_config: { requires_api_key: true, premade_chat_template: true, eos_to_cull: '<\\|eot_id\\|>' },
  open_weight: true,
  parameters: '8B',
  release_date: '2024-07-23',
};

interface Episode {
  game: string;
  experiment: string;
  gameId: number;
  aborted: boolean;
  turns: number;
  main: number;
}

function turnScore(rng: Xoshiro128, t: number): Record<string, unknown> {
  const u = (): number => rng.nextUint32() / 4294967296;
  const pick = (n: number): string[] => Array.from({ length: n }, () => WORDS[rng.nextInt(WORDS.length)] as string);
  return {
    turn: {
      Cluegiver: { 'validation error': 0 },
      Guesser: { 'validation error': 0 },
      targeted: { team: 1 + rng.nextInt(8), opponent: 0, innocent: 0, assassin: 0, total: 1 + rng.nextInt(8) },
      guesses: pick(2 + rng.nextInt(6)),
      revealed: { target: rng.nextInt(3), team: rng.nextInt(4), opponent: rng.nextInt(2), innocent: rng.nextInt(2), assassin: 0, total: rng.nextInt(5) },
    },
    'Cluegiver validation error': 0,
    'Guesser validation error': 0,
    'Cluegiver Number of Targets': 1 + rng.nextInt(8),
    'Cluegiver Team Precision': f(1),
    'Cluegiver Team Recall': f(round3(u())),
    'Cluegiver Team F1': f(round3(u())),
    'Guesser Number of Guesses': 1 + rng.nextInt(8),
    'Guesser Target Precision': f(round3(u())),
    'Guesser Target Recall': f(round3(u())),
    'Guesser Team Precision': f(round3(u())),
    'Guesser Team Recall': f(round3(u())),
    'Violated Request Count': 0,
    'Parsed Request Count': t === 0 ? 2 : 1,
    'Request Count': t === 0 ? 2 : 1,
  };
}

function scoresText(rng: Xoshiro128, e: Episode, model: string): string {
  const u = (): number => rng.nextUint32() / 4294967296;
  const nan = (x: number): Raw => f(e.aborted ? Number.NaN : x);
  const requests = e.turns + 1;
  const doc = {
    meta: { game_name: e.game, experiment_name: e.experiment, game_id: e.gameId, results_folder: model, clem_version: '2.4.0' },
    players: {
      GM: { game_role: 'Game Master', model_name: 'programmatic' },
      'Player 1': { game_role: 'Player A', model_name: 'llama3-8b' },
      'Player 2': { game_role: 'Player B', model_name: 'llama3-8b' },
    },
    'turn scores': Object.fromEntries(Array.from({ length: e.turns }, (_, t) => [String(t), turnScore(rng, t)])),
    'episode scores': {
      'experiment name': e.experiment,
      'Average Cluegiver Team Recall': nan(round3(u())),
      'Average Guesser Target Precision': nan(round3(u())),
      'Average Guesser Team F1': nan(round3(u())),
      'Episode Recall': nan(round3(u())),
      'Number of turns': e.turns,
      Efficiency: nan(round3(u())),
      'Violated Request Count': e.aborted ? 1 : 0,
      'Parsed Request Count': e.aborted ? requests - 1 : requests,
      'Request Count': requests,
      'Request Success Ratio': f(round3((e.aborted ? requests - 1 : requests) / requests)),
      Aborted: e.aborted ? 1 : 0,
      Lose: e.aborted ? 0 : e.main === 0 ? 1 : 0,
      Success: e.aborted ? 0 : e.main === 0 ? 0 : 1,
      'Main Score': e.aborted ? f(Number.NaN) : f(e.main),
    },
    player_models: { '0': MODEL_SPEC, '1': MODEL_SPEC },
  };
  return pyJson(doc);
}

const PROMPT =
  "Provide one single-word clue that relates to some of your team's words from the list below. You can choose to how many and to which words your clue relates to.\nThe goal is to have your partner guess all of your team's words based on the clues you give them, before the other team has uncovered all of theirs. The more words your clue relates to, the quicker you can win the game, but the harder the associations may be to guess for your partner.\n\nAlways give your clue in the following format:\n\nCLUE: <WORD>\nTARGETS: <TARGETS>\n\n";

function interactionsText(rng: Xoshiro128, e: Episode, model: string): string {
  let second = 0;
  const ts = (): string => `2024-05-01T10:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second++ % 60).padStart(2, '0')}.${String(rng.nextInt(1e6)).padStart(6, '0')}`;
  const pick = (n: number): string[] => Array.from({ length: n }, () => WORDS[rng.nextInt(WORDS.length)] as string);
  const rounds = Array.from({ length: e.turns }, () => [
    { from: 'GM', to: 'GM', timestamp: ts(), action: { type: 'board status', content: { hidden: { team: pick(9), innocent: pick(8), opponent: pick(8) } } } },
    { from: 'GM', to: 'Player 1', timestamp: ts(), action: { type: 'send message', content: `${PROMPT}Your team words are: ${pick(9).join(', ')}.`, label: 'context' } },
    { from: 'Player 1', to: 'GM', timestamp: ts(), action: { type: 'get message', content: `CLUE: ${pick(1)[0]}\nTARGETS: ${pick(4).join(', ')}`, label: 'response' } },
    { from: 'GM', to: 'GM', timestamp: ts(), action: { type: 'targets', content: pick(4) } },
    { from: 'GM', to: 'Player 2', timestamp: ts(), action: { type: 'send message', content: `Provide a comma-separated list of up to 4 words from the following list: ${pick(25).join(', ')}`, label: 'context' } },
    { from: 'Player 2', to: 'GM', timestamp: ts(), action: { type: 'get message', content: `GUESS: ${pick(4).join(', ')}`, label: 'response' } },
    { from: 'GM', to: 'GM', timestamp: ts(), action: { type: 'guesses', content: pick(4) } },
  ]);
  const doc = {
    meta: { game_name: e.game, experiment_name: e.experiment, game_id: e.gameId, results_folder: model, clem_version: '2.4.0' },
    player_models: { '0': MODEL_SPEC, '1': MODEL_SPEC },
    players: {
      GM: { game_role: 'Game Master', model_name: 'programmatic' },
      'Player 1': { game_role: 'Player A', model_name: 'llama3-8b' },
      'Player 2': { game_role: 'Player B', model_name: 'llama3-8b' },
    },
    turns: rounds,
    'Request Count': rounds.map(() => 2),
    'Parsed Request Count': rounds.map(() => 2),
    'Violated Request Count': rounds.map(() => 0),
    Aborted: e.aborted ? 1 : 0,
    Lose: e.aborted ? 0 : e.main === 0 ? 1 : 0,
    Success: e.aborted ? 0 : e.main === 0 ? 0 : 1,
  };
  return pyJson(doc);
}

/** The 817 episodes of one run: games get 58 or 59 episodes in 3 experiments; 252 are aborted. */
function planRun(rng: Xoshiro128): Episode[] {
  const episodes: Episode[] = [];
  GAMES.forEach((game, g) => {
    const count = Math.floor(EPISODES_PER_RUN / GAMES.length) + (g < EPISODES_PER_RUN % GAMES.length ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const experiment = ['easy', 'medium', 'hard'][i % 3] as string;
      episodes.push({ game, experiment, gameId: i, aborted: false, turns: 8 + rng.nextInt(9), main: rng.nextInt(4) === 0 ? 0 : round3(rng.nextUint32() / 42949672.96) });
    }
  });
  // Aborted episodes spread over the games, more in the hard experiments (as a real run's are).
  const order = episodes.map((_, i) => i).sort((a, b) => ((a * 7919) % 817) - ((b * 7919) % 817));
  for (const i of order.slice(0, ABORTED_PER_RUN)) (episodes[i] as Episode).aborted = true;
  return episodes;
}

/**
 * Writes `copies` × 817 episodes under `dir` (model folders `llama3-8b-t0.0`, `llama3-8b-copy01-t0.0`, …): the same
 * run for each model, byte for byte apart from the model folder. Deterministic. Returns the number of episodes.
 */
export async function writeRealisticTree(dir: string, copies: number, seed = 1): Promise<number> {
  const rng = new Xoshiro128(seed);
  const plan = planRun(rng);
  const files = plan.map((e) => {
    const model = 'llama3-8b-t0.0';
    return {
      e,
      scores: scoresText(rng, e, model),
      interactions: interactionsText(rng, e, model),
      instance: pyJson({ game_id: e.gameId, target_words: WORDS.slice(0, 9), lang: 'en' }),
      requests: pyJson(Array.from({ length: e.turns }, (_, t) => ({ timestamp: '2024-05-01T10:00:00', manipulated_prompt_obj: { inputs: PROMPT, max_new_tokens: 300 }, raw_response_obj: { response: `turn ${t}` } }))),
    };
  });
  const experimentIndex = (e: Episode): number => ['easy', 'medium', 'hard'].indexOf(e.experiment);
  const jobs: (() => Promise<void>)[] = [];
  for (let c = 0; c < copies; c++) {
    const model = c === 0 ? 'llama3-8b-t0.0' : `llama3-8b-copy${String(c).padStart(2, '0')}-t0.0`;
    const counters = new Map<string, number>();
    for (const file of files) {
      const expDir = path.join(dir, model, file.e.game, `${experimentIndex(file.e)}_${file.e.experiment}`);
      const k = counters.get(expDir) ?? 0;
      counters.set(expDir, k + 1);
      const epDir = path.join(expDir, `episode_${k}`);
      jobs.push(async () => {
        await mkdir(epDir, { recursive: true });
        if (k === 0) await writeFile(path.join(expDir, 'experiment.json'), pyJson({ name: file.e.experiment, game_name: file.e.game, experiment_name: file.e.experiment }));
        await writeFile(path.join(epDir, 'instance.json'), file.instance);
        await writeFile(path.join(epDir, 'interactions.json'), file.interactions);
        await writeFile(path.join(epDir, 'requests.json'), file.requests);
        await writeFile(path.join(epDir, 'scores.json'), file.scores);
      });
    }
  }
  for (let i = 0; i < jobs.length; i += 64) await Promise.all(jobs.slice(i, i + 64).map((j) => j()));
  return copies * plan.length;
}
