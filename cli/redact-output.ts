import type { Redactor } from '../base/redact.js';

/**
 * Routes everything written to `streams` (stdout and stderr: commander's messages, progress bars, errors,
 * console.*) through the redactor, so that no key clem-ts loaded reaches the terminal, whichever code printed
 * it. Installed once, by the CLI entry point.
 */
export function redactOutput(redactor: Redactor, streams: readonly NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  if (redactor.isEmpty) return;
  for (const stream of streams) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      if (typeof chunk === 'string') return write(redactor.text(chunk), ...rest);
      if (chunk instanceof Uint8Array) {
        const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
        const redacted = redactor.text(text);
        return write(redacted === text ? chunk : Buffer.from(redacted), ...rest);
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
