import { writeSync } from 'node:fs';

/** Writes all of `bytes` at `position` (or the current offset); write(2) stops at ~2 GiB per call. */
export function writeAllSync(fd: number, bytes: Uint8Array, position?: number): void {
  const step = 1 << 30;
  for (let done = 0; done < bytes.length; ) {
    const n = writeSync(fd, bytes, done, Math.min(step, bytes.length - done), position === undefined ? null : position + done);
    done += n;
  }
}
