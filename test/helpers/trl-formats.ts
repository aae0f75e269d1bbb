/**
 * Checks of dataset rows as TRL and `datasets` read them, written from TRL's "Dataset formats and types" docs and
 * `trl.data_utils.is_conversational`, independently of learners/datasets/formats.ts: the row's type (language
 * modeling, preference with explicit prompt), conversational messages, and one Arrow schema for the whole file.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const ROLES = new Set(['system', 'user', 'assistant']);

/** TRL's is_conversational: a supported column holds a list whose first item has `role` and `content`. */
export function isConversational(row: Record<string, Json>): boolean {
  const key = ['prompt', 'chosen', 'rejected', 'completion', 'messages'].find((k) => k in row);
  if (key === undefined) return false;
  const value = row[key];
  const first = Array.isArray(value) ? value[0] : undefined;
  return typeof first === 'object' && first !== null && !Array.isArray(first) && 'role' in first && 'content' in first;
}

function messagesProblem(value: Json | undefined, where: string): string | null {
  if (!Array.isArray(value) || value.length === 0) return `${where}: expected a non-empty list of messages`;
  for (const [i, m] of value.entries()) {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return `${where}[${i}]: expected a message object`;
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) return `${where}[${i}].role: expected system, user or assistant`;
    if (typeof m.content !== 'string') return `${where}[${i}].content: expected a string`;
  }
  return null;
}

/** Problems of a conversational language-modeling row (SFTTrainer): `messages` with at least one assistant turn. */
export function sftRowProblems(row: Record<string, Json>): string[] {
  const problems: string[] = [];
  if (!isConversational(row)) problems.push('not conversational');
  const p = messagesProblem(row.messages, 'messages');
  if (p) problems.push(p);
  else if (!(row.messages as { role: string }[]).some((m) => m.role === 'assistant')) problems.push('messages: no assistant turn to learn');
  return problems;
}

/**
 * Problems of a conversational preference row with an explicit prompt (DPOTrainer): a prompt ending with a user
 * turn (TRL then adds the generation prompt), chosen and rejected each assistant messages only.
 */
export function preferenceRowProblems(row: Record<string, Json>): string[] {
  const problems: string[] = [];
  if (!isConversational(row)) problems.push('not conversational');
  for (const key of ['prompt', 'chosen', 'rejected']) {
    const p = messagesProblem(row[key], key);
    if (p) problems.push(p);
  }
  if (problems.length > 0) return problems;
  const prompt = row.prompt as { role: string }[];
  if (prompt.at(-1)?.role !== 'user') problems.push('prompt: the last message is not from the user');
  for (const key of ['chosen', 'rejected'])
    if (!(row[key] as { role: string }[]).every((m) => m.role === 'assistant')) problems.push(`${key}: not assistant messages only`);
  return problems;
}

/** The Arrow-ish type of a value: numbers and null unify (a null in a float column), lists by their items' type. */
function typeOf(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const items = [...new Set(value.map(typeOf).filter((t) => t !== 'null'))];
    return `list<${items.length === 0 ? 'null' : items.length === 1 ? items[0] : `mixed:${items.sort().join('|')}`}>`;
  }
  if (typeof value === 'object') return `struct<${Object.keys(value).sort().map((k) => `${k}:${typeOf(value[k] as Json)}`).join(',')}>`;
  return typeof value;
}

/** Problems that would keep `load_dataset("json")` from inferring one schema: key sets or types that change between rows. */
export function schemaProblems(rows: readonly Record<string, Json>[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const norm = (t: string) => t.replaceAll('null', 'number');
  const want = norm(typeOf(first));
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const got = norm(typeOf(row));
    if (got !== want) problems.push(`row ${i}: ${got} differs from row 0: ${want}`);
  });
  return problems;
}

export type { Json };
