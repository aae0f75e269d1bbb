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

  it('names the file and field of a malformed key.json', () => {
    const cwd = tmp.make();
    const file = keyFile(cwd, { openai: { api_key: 5 }, anthropic: 'sk' });
    expect(thrownMessage(() => KeyRing.load({ cwd, home: tmp.make(), env: {} }))).toBe(
      `${file}: openai.api_key: expected string, got number 5\n${file}: anthropic: expected object, got "sk"`,
    );
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
