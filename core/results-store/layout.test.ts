import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dir.js';
import { thrownMessage } from '../../test/helpers/errors.js';
import { assertUnder, clearEpisodeDir, episodeDir, episodeStatus, modelsFolderName, resultsPath } from './layout.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

describe('results layout', () => {
  it('names episode folders <models>/<game>/<experiment>/instance_NNNNN', () => {
    expect(episodeDir('/r', 'mock', 'hello', 'one_round', 7)).toBe('/r/mock/hello/one_round/instance_00007');
    expect(episodeDir('/r', 'm', 'g', 'e', 123456)).toBe('/r/m/g/e/instance_123456');
  });

  it('names the models folder from the assigned models, not from how -m was typed', () => {
    expect(modelsFolderName(['mock', 'mock'])).toBe('mock');
    expect(modelsFolderName(['mock'])).toBe('mock');
    expect(modelsFolderName(['a', 'b'])).toBe('a--b');
    expect(modelsFolderName(['b', 'a'])).toBe('b--a');
    expect(modelsFolderName(['a', 'b', 'c'])).toMatch(/^group-3p-[0-9a-f]{8}$/);
    expect(modelsFolderName(['a', 'b', 'c'])).toBe(modelsFolderName(['a', 'b', 'c']));
    expect(modelsFolderName(['a', 'b', 'c'])).not.toBe(modelsFolderName(['a', 'c', 'b']));
  });

  it('an episode is completed only with completed.json; error.json marks a failed one', () => {
    const dir = join(tmp.make(), 'instance_00000');
    expect(episodeStatus(dir)).toBe('pending');
    mkdirSync(dir);
    writeFileSync(join(dir, 'interactions.json'), '{}');
    expect(episodeStatus(dir)).toBe('pending');
    writeFileSync(join(dir, 'error.json'), '{}');
    expect(episodeStatus(dir)).toBe('errored');
    writeFileSync(join(dir, 'completed.json'), '{}');
    expect(episodeStatus(dir)).toBe('completed');
  });

  it('clearing an attempt keeps instance.json only', () => {
    const dir = tmp.make();
    for (const f of ['instance.json', 'interactions.json', 'error.json', '.scores.json.1.2.tmp']) writeFileSync(join(dir, f), '{}');
    clearEpisodeDir(dir);
    expect(readdirSync(dir)).toEqual(['instance.json']);
    clearEpisodeDir(join(dir, 'absent'));
  });
});

describe('results paths stay under the results folder', () => {
  it('refuses a component that is not a safe name, whatever the schemas let through', () => {
    expect(thrownMessage(() => episodeDir('/r', '..', 'g', 'e', 0))).toBe(`refusing to write under /r: the path component ".." starts with '.' (no '.', '..' or hidden names)`);
    expect(thrownMessage(() => episodeDir('/r', 'm', 'a/../../..', 'e', 0))).toBe('refusing to write under /r: the path component "a/../../.." contains a path separator (/ or \\)');
    expect(thrownMessage(() => episodeDir('/r', 'm', 'g', 'e', -1))).toBe('refusing to write under /r: game_id -1 is not a non-negative integer');
    expect(thrownMessage(() => resultsPath('/r', 'm', 'x\u0000'))).toBe('refusing to write under /r: the path component "x\\u0000" contains a control character');
  });

  it('assertUnder accepts the root and what is inside it only', () => {
    expect(() => assertUnder('/r', '/r')).not.toThrow();
    expect(() => assertUnder('/r/', '/r/m/g/../x')).not.toThrow();
    expect(thrownMessage(() => assertUnder('/r', '/r/../rx'))).toBe('refusing to write /r/../rx: it is outside the results folder /r');
    expect(thrownMessage(() => assertUnder('/r', '/etc/passwd'))).toBe('refusing to write /etc/passwd: it is outside the results folder /r');
  });

  it('assertUnder follows symbolic links: a link inside the results folder cannot lead a write elsewhere', () => {
    const cwd = tmp.make();
    const root = join(cwd, 'results');
    mkdirSync(join(root, 'm', 'g'), { recursive: true });
    mkdirSync(join(cwd, 'outside'));
    symlinkSync(join(cwd, 'outside'), join(root, 'm', 'g', 'e'));
    expect(thrownMessage(() => assertUnder(root, join(root, 'm', 'g', 'e', 'instance_00000')))).toBe(
      `refusing to write ${join(root, 'm', 'g', 'e', 'instance_00000')}: a symbolic link on the way leads to ${join(cwd, 'outside', 'instance_00000')}, outside the results folder ${root}; remove the link, or pass the folder it leads to as -r`,
    );
    // A link that stays inside is fine, and so is a results folder that is itself a link (or lies below one).
    symlinkSync(join(root, 'm', 'g'), join(root, 'm', 'g2'));
    expect(() => assertUnder(root, join(root, 'm', 'g2', 'x', 'y'))).not.toThrow();
    symlinkSync(root, join(cwd, 'link-to-results'));
    expect(() => assertUnder(join(cwd, 'link-to-results'), join(cwd, 'link-to-results', 'm', 'g', 'new'))).not.toThrow();
  });
});
