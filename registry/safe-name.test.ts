import { describe, expect, it } from 'vitest';
import { SAFE_NAME_MAX_BYTES, safeNameSchema, unsafeNameReason } from './safe-name.js';

describe('safe names', () => {
  it('accepts the names clemcore and clembench use', () => {
    for (const name of ['mock', 'gpt-4o-mini', 'Meta-Llama-3.1-8B-Instruct', 'high_en', '0_high_en', 'llama3-8b-sft-t0.0', 'wordle_withcritic', 'ü-model'])
      expect(unsafeNameReason(name), name).toBeUndefined();
  });

  it('refuses separators, dot names, control characters, blank edges and long names, saying why', () => {
    expect(unsafeNameReason('../../x')).toBe('contains a path separator (/ or \\)');
    expect(unsafeNameReason('a\\b')).toBe('contains a path separator (/ or \\)');
    expect(unsafeNameReason('..')).toBe("starts with '.' (no '.', '..' or hidden names)");
    expect(unsafeNameReason('.hidden')).toBe("starts with '.' (no '.', '..' or hidden names)");
    expect(unsafeNameReason('a\u0000b')).toBe('contains a control character');
    expect(unsafeNameReason('a\nb')).toBe('contains a control character');
    expect(unsafeNameReason(' a')).toBe('starts or ends with white space');
    expect(unsafeNameReason('')).toBe('is empty');
    expect(unsafeNameReason('x'.repeat(SAFE_NAME_MAX_BYTES))).toBeUndefined();
    expect(unsafeNameReason('é'.repeat(61))).toBe(`is 122 bytes long (at most ${SAFE_NAME_MAX_BYTES})`);
  });

  it('the schema names the field and shows the name escaped', () => {
    const r = safeNameSchema('model_name').safeParse('a\nb');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(
      `model_name "a\\nb" contains a control character; it names a folder in the results, so use letters, digits, '-', '_' or '.' inside the name`,
    );
  });
});
