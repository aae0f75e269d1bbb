import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { thrownMessage } from '../test/helpers/errors.js';
import { tempDirs } from '../test/helpers/temp-dir.js';
import { TemplateSet } from './templates.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

describe('TemplateSet', () => {
  const set = new TemplateSet(
    new Map([
      ['plain', 'Say "{{word}}" & <b>{{word}}</b>'],
      ['helpers', '{{join items " | "}}; round {{inc round}}; {{#if (eq role "A")}}first{{else}}second{{/if}}'],
      ['nested', 'Target: {{target.word}}'],
      ['partial', 'Rules: {{> rules}}'],
    ]),
    new Map([['rules', 'answer with {{format}}']]),
    'games/x/prompts',
  );

  it('does not HTML-escape (prompts are not HTML)', () => {
    expect(set.render('plain', { word: '<"Ada\'s" & co>' })).toBe('Say "<"Ada\'s" & co>" & <b><"Ada\'s" & co></b>');
  });

  it('has join, inc and eq helpers, and the shared partials', () => {
    expect(set.render('helpers', { items: ['a', 'b'], round: 0, role: 'A' })).toBe('a | b; round 1; first');
    expect(set.render('helpers', { items: 'x', round: 4, role: 'B' })).toBe('x; round 5; second');
    expect(set.render('partial', { format: 'YES or NO' })).toBe('Rules: answer with YES or NO');
  });

  it('a missing variable throws, naming the template', () => {
    expect(thrownMessage(() => set.render('plain', {}))).toMatch(/^games\/x\/prompts\/plain\.hbs: "word" not defined in /);
    expect(thrownMessage(() => set.render('nested', { target: {} }))).toMatch(/^games\/x\/prompts\/nested\.hbs: "word" not defined in /);
  });

  it('an unknown template lists the ones there are', () => {
    expect(thrownMessage(() => set.render('plian', {}))).toBe("games/x/prompts: no template 'plian.hbs' (have: helpers, nested, partial, plain)");
    expect(thrownMessage(() => new TemplateSet(new Map()).render('x', {}))).toBe("templates: no template 'x.hbs' (have: none)");
  });

  it('loads *.hbs from a folder (a missing folder has none) with partials from another', () => {
    const dir = tmp.make();
    mkdirSync(join(dir, 'prompts'));
    mkdirSync(join(dir, 'shared'));
    writeFileSync(join(dir, 'prompts', 'ask.hbs'), '{{> footer}}Ask {{who}}.');
    writeFileSync(join(dir, 'prompts', 'notes.txt'), 'ignored');
    writeFileSync(join(dir, 'shared', 'footer.hbs'), '[{{who}}] ');
    const loaded = TemplateSet.fromFolder(join(dir, 'prompts'), join(dir, 'shared'));
    expect(loaded.names()).toEqual(['ask']);
    expect(loaded.render('ask', { who: 'Ada' })).toBe('[Ada] Ask Ada.');
    expect(TemplateSet.fromFolder(join(dir, 'absent')).names()).toEqual([]);
  });
});
