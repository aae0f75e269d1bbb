import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../base/redact.js';
import { redactOutput } from './redact-output.js';

describe('redactOutput', () => {
  it('masks keys in strings and buffers written to the streams, leaving other output alone', () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
    redactOutput(new Redactor([{ value: 'sk-secret-123456', mask: 'sk-s...3456' }]), [stream]);
    stream.write('unknown model sk-secret-123456\n');
    stream.write(Buffer.from('buffer sk-secret-123456\n'));
    stream.write('plain\n', 'utf8');
    expect(chunks.join('')).toBe('unknown model sk-s...3456\nbuffer sk-s...3456\nplain\n');
  });
});
