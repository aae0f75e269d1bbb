import { ConfigError, UnknownNameError } from '../../base/errors.js';
import { closestNames } from '../../registry/closest.js';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { Backend, Choice, GenerateRequest, GenerateResult } from '../backend.js';
import type { Program, ProgramContext } from './program.js';

export type { Program, ProgramContext } from './program.js';

/** The model a program hands turns to; `owned`: created for this backend alone, so it closes it. */
export interface FallbackBackend {
  backend: Backend;
  owned: boolean;
}

/**
 * A backend that runs a program instead of a model. It goes through the same wrappers and recorder as a
 * model; usage is zero tokens. Options a program cannot honour (temperature, n, …) are reported as warnings.
 * With a `fallback`, the program may hand a turn to that model (ProgramContext.handOff): the choice then
 * names the model (`Choice.model`), and its usage, cost, warnings and call are the reply's.
 */
export function createProgrammaticBackend(
  spec: ModelSpec,
  programs: ReadonlyMap<string, Program>,
  now: () => number = () => performance.now(),
  fallback: FallbackBackend | null = null,
): Backend {
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
      const choices: Choice[] = [];
      const handedOff: GenerateResult[] = [];
      for (let i = 0; i < n; i++) {
        const before = handedOff.length;
        const text = await run.respond(request, signal, handOffContext(spec, fallback, handedOff));
        const used = handedOff.length > before ? handedOff.at(-1)?.choices[0] : undefined;
        choices.push(used && fallback ? { text, finish: used.finish, model: fallback.backend.name, ...(used.reasoning !== undefined ? { reasoning: used.reasoning } : {}) } : { text, finish: 'stop' });
      }
      const last = request.messages[request.messages.length - 1];
      const costs = handedOff.map((r) => r.costUsd ?? null);
      return {
        choices,
        usage: {
          inputTokens: handedOff.reduce((s, r) => s + r.usage.inputTokens, 0),
          outputTokens: handedOff.reduce((s, r) => s + r.usage.outputTokens, 0),
        },
        latencyMs: now() - start,
        call:
          handedOff.length === 0 || !fallback
            ? { request: { program: run.name, context: last?.content ?? null }, response: { text: choices[0]?.text ?? '' } }
            : {
                request: { program: run.name, context: last?.content ?? null, handed_to: fallback.backend.name, fallback_request: handedOff.at(-1)?.call.request ?? null },
                response: { text: choices[0]?.text ?? '', fallback_response: handedOff.at(-1)?.call.response ?? null },
              },
        warnings: handedOff.flatMap((r) => r.warnings),
        costUsd: costs.length === 0 || costs.some((c) => c === null) ? null : costs.reduce((a, b) => (a as number) + (b as number), 0),
      };
    },
    async close() {
      if (fallback?.owned) await fallback.backend.close();
    },
  };
}

function handOffContext(spec: ModelSpec, fallback: FallbackBackend | null, handedOff: GenerateResult[]): ProgramContext {
  return {
    fallbackModel: fallback?.backend.name ?? null,
    async handOff(request, signal) {
      if (!fallback) throw new ConfigError(`model '${spec.model_name}' has no fallback model to hand a turn to (set model_config.fallback_model, or name it as ${spec.model_name}+<model>)`);
      const result = await fallback.backend.generate({ ...request, args: { ...request.args, n: 1 } }, signal);
      handedOff.push(result);
      return result.choices[0]?.text ?? '';
    },
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
