import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { ConfigError } from '../base/errors.js';

/**
 * A game's Handlebars templates (`<game>/prompts/*.hbs`) plus the shared partials in the package's
 * `prompts/` folder. Compiled with `noEscape` (prompts are not HTML) and `strict` (a missing variable throws).
 */
export class TemplateSet {
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly hbs = Handlebars.create();

  constructor(
    private readonly sources: ReadonlyMap<string, string>,
    partials: ReadonlyMap<string, string> = new Map(),
    private readonly origin = 'templates',
  ) {
    for (const [name, text] of partials) this.hbs.registerPartial(name, text);
    this.hbs.registerHelper('join', (items: unknown, sep: unknown) =>
      Array.isArray(items) ? items.join(typeof sep === 'string' ? sep : ', ') : String(items),
    );
    this.hbs.registerHelper('inc', (n: unknown) => Number(n) + 1);
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  }

  /** Loads every `*.hbs` in `folder` (missing folder: no templates) and the partials in `partialsFolder`. */
  static fromFolder(folder: string, partialsFolder?: string): TemplateSet {
    return new TemplateSet(readHbs(folder), partialsFolder ? readHbs(partialsFolder) : new Map(), folder);
  }

  /** Templates given in code (name → Handlebars source) plus the partials in `partialsFolder`; `origin` names them in errors. */
  static fromSources(sources: Readonly<Record<string, string>>, partialsFolder: string | undefined, origin: string): TemplateSet {
    return new TemplateSet(new Map(Object.entries(sources)), partialsFolder ? readHbs(partialsFolder) : new Map(), origin);
  }

  names(): string[] {
    return [...this.sources.keys()].sort();
  }

  render(name: string, vars: Record<string, unknown>): string {
    let template = this.compiled.get(name);
    if (!template) {
      const source = this.sources.get(name);
      if (source === undefined) throw new ConfigError(`${this.origin}: no template '${name}.hbs' (have: ${this.names().join(', ') || 'none'})`);
      template = this.hbs.compile(source, { noEscape: true, strict: true });
      this.compiled.set(name, template);
    }
    try {
      return template(vars);
    } catch (e) {
      throw new ConfigError(`${this.origin}/${name}.hbs: ${(e as Error).message}`, { cause: e });
    }
  }
}

function readHbs(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(folder)) return out;
  for (const file of readdirSync(folder).sort()) {
    if (file.endsWith('.hbs')) out.set(basename(file, '.hbs'), readFileSync(join(folder, file), 'utf8'));
  }
  return out;
}
