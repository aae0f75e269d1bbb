import { ParseError, RuleViolation } from '../../base/errors.js';
import { defineGame, type GameModule } from '../../core/game.js';
import type { Program } from '../../backends/programmatic/program.js';
import { generateInstances, HelloExperimentSchema, HelloInstanceSchema, type HelloExperiment, type HelloInstance } from './instances.js';

interface HelloState {
  guest: string;
  rounds: number;
  round: number;
  lastGreeting: string;
  lastReply: string;
  greetings: number;
}

type HelloMove = { kind: 'greet' | 'reply'; text: string };

const GREETER = 0;
const GUEST = 1;

/**
 * The built-in example game, and the template to copy: the Greeter must answer `GREET: …` saying "hello"
 * and the guest's name; the Guest must answer `REPLY: …` with a thank-you. A missing prefix aborts (a
 * protocol violation); a greeting without "hello" or the name loses (a rule violation).
 */
export const game = defineGame<HelloInstance, HelloState, HelloMove, HelloExperiment>({
  instanceSchema: HelloInstanceSchema,
  experimentSchema: HelloExperimentSchema,
  maxRequests: 20,

  setup: (instance, ctx) => {
    ctx.setKey('guest', instance.guest);
    return { guest: instance.guest, rounds: ctx.experiment.rounds, round: 0, lastGreeting: '', lastReply: '', greetings: 0 };
  },

  prompt: (state, player, ctx) => {
    if (player.index === GUEST) return ctx.render('guest', { guest: state.guest, greeting: state.lastGreeting });
    return state.round === 0
      ? ctx.render('greeter', { guest: state.guest })
      : ctx.render('greeter-next', { guest: state.guest, reply: state.lastReply });
  },

  parse: (_state, player, reply) => {
    const prefix = player.index === GREETER ? 'GREET:' : 'REPLY:';
    const text = reply.trim();
    if (!text.startsWith(prefix)) throw new ParseError(`the reply must start with ${prefix}`, reply);
    return { kind: player.index === GREETER ? 'greet' : 'reply', text: text.slice(prefix.length).trim() };
  },

  advance: (state, _player, move, ctx) => {
    if (move.kind === 'greet') {
      const lower = move.text.toLowerCase();
      if (!lower.includes('hello')) throw new RuleViolation('the greeting does not say "hello"');
      if (!lower.includes(state.guest.toLowerCase())) throw new RuleViolation(`the greeting does not name ${state.guest}`);
      state.lastGreeting = move.text;
      state.greetings += 1;
      ctx.log('valid greeting', move.text);
      return { kind: 'continue', next: GUEST };
    }
    if (!/thank/i.test(move.text)) throw new RuleViolation('the guest did not thank the host');
    state.lastReply = move.text;
    state.round += 1;
    if (state.round >= state.rounds) return { kind: 'end', outcome: 'success', reason: `${state.round} round(s) of greetings` };
    return { kind: 'continue', next: GREETER };
  },

  score: ({ interactions }) => {
    const greetings = interactions.turns.flat().filter((e) => e.action.type === 'valid greeting').length;
    return {
      rounds: interactions.turns.map((events) => ({ Greeted: events.some((e) => e.action.type === 'valid greeting') ? 1 : 0 })),
      episode: { 'Main Score': interactions.Success === 1 ? 100 : 0, Greetings: greetings },
    };
  },
});

/** `-m mock` plays hello correctly: a greeting with the guest's name, then a thank-you. */
const mock: Program = {
  name: 'mock',
  description: 'Plays hello by the rules.',
  respond: (request) => {
    const guest = String(request.episode?.instance.guest ?? 'guest');
    return request.episode?.role === 'Guest' ? 'REPLY: Thank you, happy to be here!' : `GREET: Hello ${guest}, welcome!`;
  },
};

const module: GameModule = { game, mock, generateInstances };
export default module;
