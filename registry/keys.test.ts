import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { thrownMessage } from '../test/helpers/errors.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { keyFileCandidates, KeyRing, maskKey } from './keys.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

function keyFile(dir: string, content: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'key.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('key.json lookup', () => {
  it('looks in the current directory, then the user config folder, then ~/.clemcore', () => {
    expect(keyFileCandidates({ cwd: '/w', home: '/h', env: {} })).toEqual(['/w/key.json', '/h/.config/clem-ts/key.json', '/h/.clemcore/key.json']);
    expect(keyFileCandidates({ cwd: '/w', home: '/h', env: { XDG_CONFIG_HOME: '/x' } })[1]).toBe('/x/clem-ts/key.json');
  });

  it('the first key.json found wins', () => {
    const cwd = tmp.make();
    const home = tmp.make();
    const user = keyFile(join(home, '.config', 'clem-ts'), { openai: { api_key: 'sk-user-000000' }, anthropic: { api_key: 'ant' } });
    keyFile(join(home, '.clemcore'), { openai: { api_key: 'sk-clemcore' } });
    expect(KeyRing.load({ cwd, home, env: {} }).get('openai')).toEqual({ api_key: 'sk-user-000000', source: user });

    const local = keyFile(cwd, { openai: { api_key: 'sk-local-111111', organisation: 'org-1' } });
    const ring = KeyRing.load({ cwd, home, env: {} });
    expect(ring.get('openai')).toEqual({ api_key: 'sk-local-111111', organisation: 'org-1', source: local });
    // Files are not merged: the user file's anthropic key is not read once a cwd key.json exists.
    expect(ring.get('anthropic')).toBeUndefined();
    expect(ring.names()).toEqual(['openai']);
  });

  it('falls back to clemcore\'s ~/.clemcore/key.json', () => {
    const home = tmp.make();
    const file = keyFile(join(home, '.clemcore'), { huggingface: { api_key: 'hf_x' } });
    expect(KeyRing.load({ cwd: tmp.make(), home, env: {} }).get('huggingface')).toEqual({ api_key: 'hf_x', source: file });
  });

  it('environment variables override key.json, which still gives the other fields', () => {
    const cwd = tmp.make();
    keyFile(cwd, { openai: { api_key: 'from-file', organisation: 'org-1' } });
    const env = { OPENAI_API_KEY: 'from-env', HF_TOKEN: 'hf-env', MYPROVIDER_API_KEY: 'mp' };
    const ring = KeyRing.load({ cwd, home: tmp.make(), env });
    expect(ring.get('openai')).toEqual({ api_key: 'from-env', organisation: 'org-1', source: 'env:OPENAI_API_KEY' });
    expect(ring.get('huggingface')).toEqual({ api_key: 'hf-env', source: 'env:HF_TOKEN' });
    expect(ring.get('myprovider')).toEqual({ api_key: 'mp', source: 'env:MYPROVIDER_API_KEY' });
    expect(ring.get('anthropic')).toBeUndefined();
  });

  it('names the file and field of a malformed key.json, never its values', () => {
    const cwd = tmp.make();
    const file = keyFile(cwd, { openai: { api_key: 5 }, anthropic: 'sk-ant-secret-000111222' });
    expect(thrownMessage(() => KeyRing.load({ cwd, home: tmp.make(), env: {} }))).toBe(
      `${file}: openai.api_key: expected string, got a number\n${file}: anthropic: expected object, got a string`,
    );
  });

  it('a key.json that is not JSON is reported without quoting its text', () => {
    const cwd = tmp.make();
    const file = keyFile(cwd, '{"openai": {"api_key": sk-proj-unquoted-0123456789}}');
    const message = thrownMessage(() => KeyRing.load({ cwd, home: tmp.make(), env: {} }));
    expect(message).toBe(`${file}: not valid JSON`);
    keyFile(cwd, '{"openai": {"api_key": "sk-proj-0123456789",}}');
    expect(thrownMessage(() => KeyRing.load({ cwd, home: tmp.make(), env: {} }))).toBe(`${file}: not valid JSON (at character 44)`);
  });
});

describe('the redactor of the loaded keys', () => {
  it('masks every key of key.json and of the key variables of the environment, nothing else', () => {
    const cwd = tmp.make();
    keyFile(cwd, { openai: { api_key: 'sk-file-0123456789', base_url: 'https://example.org/v1', organisation: 'org-12345678' }, other: { token: 'tok-0123456789' } });
    const home = tmp.make();
    const env = { OPENAI_API_KEY: 'sk-env-abcdefghij', MYPROVIDER_API_KEY: 'mp-0123456789', HOME: home, HF_TOKEN: 'hf_0123456789' };
    const redactor = KeyRing.load({ cwd, home, env }).redactor();
    expect(redactor.text('sk-file-0123456789 sk-env-abcdefghij mp-0123456789 hf_0123456789 tok-0123456789')).toBe('sk-f...6789 sk-e...ghij mp-0...6789 hf_0...6789 tok-...6789');
    expect(redactor.text(`https://example.org/v1 org-12345678 ${home}`)).toBe(`https://example.org/v1 org-12345678 ${home}`);
  });

  it('a key.json that does not load still has its values masked (the command reports the file itself)', () => {
    const cwd = tmp.make();
    keyFile(cwd, { openai: 'sk-proj-misplaced-0123456789' });
    expect(() => KeyRing.load({ cwd, home: tmp.make(), env: {} })).toThrow();
    const redactor = KeyRing.redactorFor({ cwd, home: tmp.make(), env: { OPENAI_API_KEY: 'sk-env-abcdefghij' } });
    expect(redactor.text('sk-proj-misplaced-0123456789 / sk-env-abcdefghij')).toBe('sk-p...6789 / sk-e...ghij');
    keyFile(cwd, 'not json sk-proj-misplaced-0123456789');
    expect(KeyRing.redactorFor({ cwd, home: tmp.make(), env: {} }).isEmpty).toBe(true);
  });
});

describe('maskKey', () => {
  it('never shows a key in full', () => {
    expect(maskKey(undefined)).toBe('[MISSING]');
    expect(maskKey('')).toBe('[MISSING]');
    expect(maskKey('abcdefgh')).toBe('****gh');
    expect(maskKey('sk-proj-1234567890abcdef')).toBe('sk-p...cdef');
  });
});
