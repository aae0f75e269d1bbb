#!/usr/bin/env node
import { Command } from 'commander';
import { clemVersion } from '../core/version.js';
import { KeyRing } from '../registry/keys.js';
import { describeFailure } from './errors.js';
import { redactOutput } from './redact-output.js';

type Register = (program: Command) => void;

/**
 * The verbs, in help order, each loaded only when needed: a verb's module imports its library (the runner pulls in
 * every backend), and `clem-ts eval` should not pay for loading `run`'s (bench P4: ~0.1 s of a 0.35 s target).
 */
const VERBS: Readonly<Record<string, () => Promise<Register>>> = {
  list: async () => (await import('./list.js')).registerList,
  register: async () => (await import('./register.js')).registerRegister,
  run: async () => (await import('./run.js')).registerRun,
  score: async () => (await import('./score.js')).registerScore,
  eval: async () => (await import('./eval.js')).registerEval,
  transcribe: async () => (await import('./transcribe.js')).registerTranscribe,
  generate: async () => (await import('./generate.js')).registerGenerate,
  learn: async () => (await import('./learn.js')).registerLearn,
  new: async () => (await import('./new.js')).registerNew,
};

/**
 * The clem-ts command line: commander wiring only; each verb calls one library function. With `argv` naming a verb,
 * only that verb is registered (its help and errors are the same); otherwise (help, an unknown verb) all are.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('clem-ts')
    .description('Play, score and learn from dialogue games between language models')
    .version(clemVersion())
    .showHelpAfterError();
  const verb = argv[2];
  const wanted = verb !== undefined && Object.hasOwn(VERBS, verb) ? [verb] : Object.keys(VERBS);
  for (const name of wanted) (await (VERBS[name] as () => Promise<Register>)())(program);
  return program;
}

// Nothing this process prints may show a key it loaded (environment, key.json): see base/redact.ts.
redactOutput(KeyRing.redactorFor({ cwd: process.cwd(), env: process.env }));

buildProgram()
  .then((program) => program.parseAsync(process.argv))
  .catch((e: unknown) => {
    const { message, exitCode } = describeFailure(e);
    process.stderr.write(`clem-ts: ${message}\n`);
    process.exitCode = exitCode;
  });
