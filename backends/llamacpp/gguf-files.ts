/**
 * Choosing the GGUF file of a model among a repository's or a folder's files, with clemcore's `filename`
 * semantics (llama-cpp-python matches it with Python's fnmatch: `*` and `?` match any characters, `/` included).
 */

const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/;

/** Python fnmatch (case-sensitive, as on POSIX): `*`, `?`, `[seq]`, `[!seq]`. */
export function fnmatch(name: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(name);
}

export interface GgufChoice {
  /** The file to load (the first part of a split model). */
  main: string;
  /** Every file the model needs (all parts of a split model), `main` first. */
  files: string[];
}

/**
 * Picks the model among `names` (repository paths or folder entries) that `pattern` names; without a pattern
 * the only `.gguf` file. Parts of one split model (`-00001-of-00003.gguf`) count as one model, all parts needed.
 * Returns an error message (what matched, what to set) when there is not exactly one model.
 */
export function chooseGguf(names: readonly string[], pattern: string | undefined, where: string): GgufChoice | string {
  const ggufs = names.filter((n) => n.endsWith('.gguf'));
  const matched = pattern === undefined ? ggufs : ggufs.filter((n) => fnmatch(n, pattern));
  const models = new Map<string, string[]>();
  for (const n of matched) {
    const split = SPLIT_PART.exec(n);
    const key = split ? n.slice(0, split.index) : n;
    models.set(key, [...(models.get(key) ?? []), n]);
  }
  const shown = (list: readonly string[]) => (list.length > 8 ? `${list.slice(0, 8).join(', ')}, … (${list.length})` : list.join(', '));
  if (models.size === 0) {
    const what = pattern === undefined ? 'no .gguf file' : `no file matches model_config.filename '${pattern}'`;
    return `${where} has ${what}${ggufs.length > 0 ? `; its GGUF files: ${shown(ggufs)}` : ''}.`;
  }
  if (models.size > 1) {
    const hint = pattern === undefined ? 'set model_config.filename to one of them (a name or a glob)' : 'make model_config.filename match one of them';
    return `${where} has several GGUF models (${shown([...models.keys()].map((k) => models.get(k)?.[0] ?? k))}); ${hint}.`;
  }
  const parts = [...models.values()][0]?.sort() ?? [];
  const split = SPLIT_PART.exec(parts[0] ?? '');
  if (split) {
    const total = Number(split[2]);
    const base = (parts[0] as string).slice(0, split.index);
    const all = Array.from({ length: total }, (_, i) => `${base}-${String(i + 1).padStart(5, '0')}-of-${split[2]}.gguf`);
    const missing = all.filter((p) => !names.includes(p));
    if (missing.length > 0) return `${where}: split GGUF model ${base} lacks ${shown(missing)}.`;
    return { main: all[0] as string, files: all };
  }
  return { main: parts[0] as string, files: [parts[0] as string] };
}
