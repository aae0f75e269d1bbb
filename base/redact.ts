/**
 * The one redactor: everything clem-ts writes or prints passes through it, so a key that a server echoes in
 * a reply, or that lands in an error message, never reaches a file or the terminal. It replaces every
 * occurrence of each secret with its mask. It is fed with the keys clem-ts loaded (registry/keys.ts:
 * KeyRing.redactor()); base/ knows nothing about where they come from.
 */

/** Secrets shorter than this are placeholders (`EMPTY`, `none`), not keys: replacing them would garble text. */
export const MIN_SECRET_LENGTH = 8;

export interface Secret {
  value: string;
  /** What replaces it, e.g. `sk-a...wxyz`. Must not contain the value. */
  mask: string;
}

export class Redactor {
  private readonly secrets: readonly Secret[];

  /** Secrets shorter than {@link MIN_SECRET_LENGTH} and masks that would reveal the value are dropped. */
  constructor(secrets: Iterable<Secret>) {
    const byValue = new Map<string, Secret>();
    for (const s of secrets) {
      if (s.value.length < MIN_SECRET_LENGTH) continue;
      byValue.set(s.value, s.mask.includes(s.value) ? { value: s.value, mask: '[REDACTED]' } : s);
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...byValue.values()].sort((a, b) => b.value.length - a.value.length);
  }

  static readonly none = new Redactor([]);

  get isEmpty(): boolean {
    return this.secrets.length === 0;
  }

  /** `text` with every secret replaced by its mask. */
  text(text: string): string {
    let out = text;
    for (const { value, mask } of this.secrets) if (out.includes(value)) out = out.split(value).join(mask);
    return out;
  }

  /**
   * A copy of a JSON-like value with every string (object keys included) redacted. Values without a secret
   * are returned as they are (same reference), so redacting a clean value costs one scan.
   */
  value<T>(value: T): T {
    if (this.isEmpty) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((v) => {
        const r = this.walk(v);
        if (r !== v) changed = true;
        return r;
      });
      return changed ? out : value;
    }
    if (value !== null && typeof value === 'object') {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const key = this.text(k);
        const r = this.walk(v);
        if (key !== k || r !== v) changed = true;
        out[key] = r;
      }
      return changed ? out : value;
    }
    return value;
  }
}

// ------------------------------------------------------------------------------------- the process's secrets

/**
 * The secrets this process loaded (registry/keys.ts registers each key as it loads it), and their redactor. Every
 * file base/atomic.ts writes passes its text through it, so a key that a server echoed in a reply reaches no file,
 * whichever writer (results store, learners, eval, transcribe) wrote it. Process-wide on purpose: a loaded key must
 * be masked wherever it goes, and registering it once where keys are loaded is what makes that hold.
 */
const loadedSecrets = new Map<string, Secret>();
let loadedRedactor: Redactor = Redactor.none;

/** Adds secrets to the ones every file write redacts (see {@link redactedForWrite}). */
export function registerSecrets(secrets: Iterable<Secret>): void {
  let added = false;
  for (const s of secrets) {
    if (s.value.length < MIN_SECRET_LENGTH || loadedSecrets.has(s.value)) continue;
    loadedSecrets.set(s.value, s);
    added = true;
  }
  if (added) loadedRedactor = new Redactor(loadedSecrets.values());
}

/** `text` with every secret this process loaded replaced by its mask: what base/atomic.ts writes. */
export function redactedForWrite(text: string): string {
  return loadedRedactor.isEmpty ? text : loadedRedactor.text(text);
}
