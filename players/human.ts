import { createInterface } from 'node:readline/promises';
import type { Program } from '../backends/programmatic/program.js';

/**
 * The `human` player: prints the new message at the terminal and reads one line as the reply. Reads
 * standard input, so it also works with piped input (one line per turn).
 */
export function createHumanProgram(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Program {
  let lines: AsyncIterator<string> | undefined;
  const nextLine = async (): Promise<string> => {
    lines ??= createInterface({ input, terminal: false })[Symbol.asyncIterator]();
    const next = await lines.next();
    if (next.done) throw new Error('human player: standard input ended before a reply was given');
    return next.value;
  };
  return {
    name: 'human',
    description: 'A person at the terminal: sees each message and types the reply.',
    respond: async (request) => {
      const last = request.messages[request.messages.length - 1];
      const who = request.episode ? `${request.episode.playerName} (${request.episode.role})` : 'you';
      output.write(`\n--- message for ${who} ---\n${last?.content ?? ''}\n--- your reply (one line) ---\n> `);
      return nextLine();
    },
  };
}
