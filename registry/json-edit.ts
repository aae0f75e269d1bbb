import { applyEdits, modify, type FormattingOptions, type JSONPath } from 'jsonc-parser';

/** The indentation and line ends a JSON text already uses (two spaces and \n when it shows none). */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  return indent.startsWith('\t') ? { insertSpaces: false, tabSize: 1, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}

/**
 * Sets the value at `path` in a JSON text, leaving every other byte as it was (key order, indentation, line
 * breaks, other entries): only the edited value is written, in the file's own indentation. `insert` adds an array
 * item at the index instead of replacing it. The text must be valid JSON; the caller checks the result's schema.
 */
export function editJson(text: string, path: JSONPath, value: unknown, opts: { insert?: boolean } = {}): string {
  const edits = modify(text, path, value, { formattingOptions: detectFormatting(text), isArrayInsertion: opts.insert === true });
  return applyEdits(text, edits);
}
