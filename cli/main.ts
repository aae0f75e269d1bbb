#!/usr/bin/env node
import { Command } from 'commander';
import { clemVersion } from '../core/version.js';
import { describeFailure } from './errors.js';
import { registerGenerate } from './generate.js';
import { registerLearn } from './learn.js';
import { registerList } from './list.js';
import { registerRegister } from './register.js';
import { registerRun } from './run.js';
import { registerScore } from './score.js';
import { registerEval } from './eval.js';
import { registerTranscribe } from './transcribe.js';

/** The clem-ts command line: commander wiring only; each verb calls one library function. */
export function buildProgram(): Command {
  const program = new Command('clem-ts')
    .description('Play, score and learn from dialogue games between language models')
    .version(clemVersion())
    .showHelpAfterError();
  registerList(program);
  registerRegister(program);
  registerRun(program);
  registerScore(program);
  registerEval(program);
  registerTranscribe(program);
  registerGenerate(program);
  registerLearn(program);
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    const { message, exitCode } = describeFailure(e);
    process.stderr.write(`clem-ts: ${message}\n`);
    process.exitCode = exitCode;
  });
