/**
 * Feature-structure unification as clemcore uses it (nltk featstruct): keys present in both must unify
 * (objects recursively, arrays element-wise with equal length, scalars equal); keys in only one are kept.
 * Returns the union, or undefined when they conflict.
 */
export function unify(a: unknown, b: unknown): unknown {
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) {
      if (!(key in out)) {
        out[key] = value;
        continue;
      }
      const merged = unify(out[key], value);
      if (merged === undefined) return undefined;
      out[key] = merged;
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return undefined;
    const out: unknown[] = [];
    for (let i = 0; i < a.length; i++) {
      const merged = unify(a[i], b[i]);
      if (merged === undefined) return undefined;
      out.push(merged);
    }
    return out;
  }
  return Object.is(a, b) ? a : undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A selector given as JSON on the command line (clemcore accepts single quotes: they become double quotes).
 * Returns the object, or an error message saying why it is not one.
 */
export function parseJsonSelector(text: string, kind: string): { value: Record<string, unknown> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim().replaceAll("'", '"'));
  } catch (e) {
    return { error: `It is neither a ${kind} name nor valid JSON (${(e as Error).message}).` };
  }
  return isPlainObject(parsed) ? { value: parsed } : { error: 'Expected a JSON object.' };
}
