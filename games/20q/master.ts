import { defineGame, type EpisodeContext, type GameModule } from '../../core/game.js';
import type { JsonValue } from '../../registry/json.js';
import { filterCandidates, yesCandidates } from './info-gain.js';
import { generateInstances, TwentyQExperimentSchema, TwentyQInstanceSchema, type TwentyQExperiment, type TwentyQInstance } from './instances.js';
import { MAPPER, type Mapping } from './question-mapper.js';
import { readQuestion } from './question-format.js';
import { rewards } from './rewards.js';
import { mock, programs } from './programs.js';
import { score } from './scorer.js';
import { readAnswer, type Answer } from './strategies.js';
import { isCorrectGuess } from './win-rule.js';
import { WORDS, findWord, type WordEntry } from './words.js';

export const QUESTIONER = 0;
export const ANSWERER = 1;

interface TwentyQState {
  target: WordEntry;
  options: TwentyQExperiment;
  /** Questions asked so far (normalised text for the repeat check). */
  asked: string[];
  /** The question waiting for an answer. */
  pending: { text: string; mapping: Mapping } | null;
  /** Words consistent with the answers given so far (uniform prior over the KB words). */
  candidates: string[];
  lastAnswer: string;
  /** The Answerer has been asked again for the pending question. */
  reprompted: boolean;
}

/** `from`: the model that answered for the Answerer (its fallback model), null when the Answerer itself did. */
type TwentyQMove = { kind: 'question'; text: string } | { kind: 'answer'; answer: Answer | null; reply: string; from: string | null };

const DISPLAY: Record<Answer, string> = { yes: 'Yes.', no: 'No.', maybe: 'Maybe.' };
const repeatKey = (q: string) => q.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** A plain copy of a (frozen, shared) mapping for the event log. */
const mappingJson = (m: Mapping): JsonValue => JSON.parse(JSON.stringify(m)) as JsonValue;

function onQuestion(state: TwentyQState, text: string, ctx: EpisodeContext<TwentyQExperiment>) {
  const mapping = MAPPER.map(text);
  const yes = yesCandidates(mapping, state.candidates);
  const repeated = state.asked.includes(repeatKey(text));
  state.asked.push(repeatKey(text));
  state.pending = { text, mapping };
  state.reprompted = false;
  ctx.log('question', { number: state.asked.length, text, mapping: mappingJson(mapping), repeated, candidates: state.candidates.length, yes: yes === null ? null : yes.length });
}

/**
 * 20 Questions (LMRL-Gym rules): the Questioner asks one yes/no question per turn, at most `max_questions`;
 * it wins when the Answerer says yes to a question whose final noun phrase names the target (win-rule.ts).
 * Events `question` and `answer` carry what the scorer needs (KB mapping, candidate counts).
 */
export const game = defineGame<TwentyQInstance, TwentyQState, TwentyQMove, TwentyQExperiment>({
  instanceSchema: TwentyQInstanceSchema,
  experimentSchema: TwentyQExperimentSchema,
  // two requests per question, one re-prompt per answer at most, and slack
  maxRequests: 400,

  setup: (instance, ctx) => {
    const known = findWord(instance.target) as WordEntry;
    const target: WordEntry = { ...known, variants: instance.variants };
    ctx.setKey('target', instance.target);
    ctx.setKey('category', instance.category);
    return { target, options: ctx.experiment, asked: [], pending: null, candidates: WORDS.map((w) => w.word), lastAnswer: '', reprompted: false };
  },

  prompt: (state, player, ctx) => {
    const { max_questions, allow_maybe } = state.options;
    if (player.index === QUESTIONER) {
      if (state.asked.length === 0) return ctx.render('questioner-initial', { max_questions, allow_maybe });
      const number = state.asked.length + 1;
      return ctx.render('questioner-turn', { answer: state.lastAnswer, number, max_questions, is_last: number === max_questions });
    }
    const question = state.pending?.text ?? '';
    if (state.reprompted) return ctx.render('answerer-reprompt', { question, allow_maybe });
    if (state.asked.length === 1)
      return ctx.render('answerer-initial', { word: state.target.word, other_variants: state.target.variants.slice(1), question, allow_maybe });
    return ctx.render('answerer-turn', { question });
  },

  parse: (state, player, reply, ctx, from) => {
    if (player.index === QUESTIONER) {
      const read = readQuestion(reply, { strict: state.options.strict, maxWords: state.options.max_question_words });
      if (read.violation !== null) ctx.noteViolation(read.violation);
      return { kind: 'question', text: read.question };
    }
    const answer = readAnswer(reply);
    return { kind: 'answer', answer: answer === 'maybe' && !state.options.allow_maybe ? null : answer, reply, from: from?.model ?? null };
  },

  advance: (state, _player, move, ctx) => {
    if (move.kind === 'question') {
      onQuestion(state, move.text, ctx);
      return { kind: 'continue', next: ANSWERER };
    }
    const pending = state.pending as { text: string; mapping: Mapping };
    let answer = move.answer;
    if (answer === null && !state.reprompted) {
      state.reprompted = true;
      ctx.noteViolation('the answer is not Yes./No.; asking once more');
      ctx.log('unreadable answer', move.reply);
      return { kind: 'continue', next: ANSWERER, reprompt: true };
    }
    if (answer === null) {
      answer = readAnswer(state.options.answerer_fallback) as Answer;
      ctx.noteViolation(`the answer is still not Yes./No.; using ${state.options.answerer_fallback}`);
      ctx.log('answer fallback', { reply: move.reply, used: state.options.answerer_fallback });
    }
    state.candidates = filterCandidates(pending.mapping, answer, state.candidates);
    state.lastAnswer = DISPLAY[answer];
    // answered_by: the fallback model that answered for the Answerer (kb-oracle+<model>); absent when the Answerer did
    ctx.log('answer', { number: state.asked.length, answer, candidates: state.candidates.length, ...(move.from !== null ? { answered_by: move.from } : {}) });
    if (answer === 'yes' && isCorrectGuess(pending.text, state.target)) {
      return { kind: 'end', outcome: 'success', reason: `guessed ${state.target.word} with question ${state.asked.length}` };
    }
    if (state.asked.length >= state.options.max_questions) return { kind: 'end', outcome: 'lose', reason: `no correct guess in ${state.options.max_questions} questions` };
    return { kind: 'continue', next: QUESTIONER };
  },

  score,
});

const module: GameModule = { game, programs, mock, generateInstances, rewards };
export default module;
