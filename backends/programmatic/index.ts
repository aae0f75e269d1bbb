import { ConfigError, UnknownNameError } from '../../base/errors.js';
import { closestNames } from '../../registry/closest.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend, GenerateRequest, GenerateResult } from '../backend.js';
import type { Program } from './program.js';

export type { Program } from './program.js';

/**
 * A backend that runs a program instead of a model. It goes through the same wrappers and recorder as a
 * model; usage is zero tokens. Options a program cannot honour (temperature, n, …) are reported as warnings.
 */
export function createProgrammaticBackend(spec: ModelSpec, programs: ReadonlyMap<string, Program>, now: () => number = () => performance.now()): Backend {
  const replies = spec.model_config?.replies;
  const run: Program = replies ? scriptedProgram(replies) : findProgram(spec, programs);
  return {
    name: spec.model_name,
    isProgrammatic: true,
    capabilities: { score: false, logprobs: false, n: true, seed: true, batching: false },
    async generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
      signal?.throwIfAborted();
      const start = now();
      const n = request.args.n ?? 1;
      const texts: string[] = [];
      for (let i = 0; i < n; i++) texts.push(await run.respond(request, signal));
      const last = request.messages[request.messages.length - 1];
      return {
        choices: texts.map((text) => ({ text, finish: 'stop' as const })),
        usage: { inputTokens: 0, outputTokens: 0 },
        latencyMs: now() - start,
        call: { request: { program: run.name, context: last?.content ?? null }, response: { text: texts[0] ?? '' } },
        warnings: [],
        costUsd: null,
      };
    },
    async close() {},
  };
}

function findProgram(spec: ModelSpec, programs: ReadonlyMap<string, Program>): Program {
  const programName = spec.model_config?.program ?? spec.model_name;
  const program = programs.get(programName);
  if (!program) {
    throw new UnknownNameError('program', programName, closestNames(programName, [...programs.keys()]), `Model '${spec.model_name}' names it in model_config.program.`);
  }
  return program;
}

/** Replies in order, derived from how many replies the player has already given (stateless per episode). */
export function scriptedProgram(replies: readonly string[]): Program {
  if (replies.length === 0) throw new ConfigError('model_config.replies: expected at least one scripted reply');
  return {
    name: 'scripted',
    description: 'Replies with model_config.replies in order, cycling.',
    respond: (request) => {
      const given = request.messages.filter((m) => m.role === 'assistant').length;
      return replies[given % replies.length] as string;
    },
  };
}
