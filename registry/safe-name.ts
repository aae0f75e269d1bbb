import { z } from 'zod';

/** Most UTF-8 bytes in a name that becomes a path component: two of them joined by `--` stay under 255. */
export const SAFE_NAME_MAX_BYTES = 120;

/**
 * Why `name` cannot be a path component, or undefined when it can. The one rule for every name that becomes
 * a folder or file name in the results folder (model_name, game_name, experiment name, the `<models>`
 * folder): non-empty, no `/` or `\`, no control character, no leading dot (so neither `.` nor `..`, nor a
 * hidden file), at most {@link SAFE_NAME_MAX_BYTES} UTF-8 bytes.
 */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.includes('/') || name.includes('\\')) return 'contains a path separator (/ or \\)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
  if (name.startsWith('.')) return "starts with '.' (no '.', '..' or hidden names)";
  if (name.trim() !== name) return 'starts or ends with white space';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > SAFE_NAME_MAX_BYTES) return `is ${bytes} bytes long (at most ${SAFE_NAME_MAX_BYTES})`;
  return undefined;
}

/** A printable, bounded rendering of a rejected name for messages (control characters escaped). */
function shown(name: string): string {
  const text = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
  return text;
}

/**
 * A string that is safe as one path component (see {@link unsafeNameReason}); the error says which rule it
 * broke and what to do. `what` names the field in the message (e.g. "model_name").
 */
export function safeNameSchema(what: string): z.ZodString {
  return z.string().superRefine((name, ctx) => {
    const reason = unsafeNameReason(name);
    if (reason === 'is empty') ctx.addIssue({ code: 'custom', message: `${what} is empty` });
    else if (reason !== undefined)
      ctx.addIssue({ code: 'custom', message: `${what} ${shown(name)} ${reason}; it names a folder in the results, so use letters, digits, '-', '_' or '.' inside the name` });
  });
}
