import { GM_COLOUR, seriesColour } from './colours.js';
import { html, type SafeHtml } from './html.js';
import type { EventRead } from '../registry/interactions.js';

/**
 * Rendering of interactions.json events as transcript bubbles. A context the game master sends a player sits on the
 * left with the player's colour as its edge; a player's reply sits on the right, tinted in that colour; the game
 * master's own events (GM → GM) sit in the middle, dashed, and protocol or rule failures are flagged. Every bubble
 * is a `<details open>`, so each can be collapsed; reasoning is a collapsed `<details>` inside its reply.
 */

export interface Participant {
  name: string;
  role: string;
  model: string;
  colour: string;
}

/** How a game-master event is flagged; framework event types only (games' own types are shown unflagged). */
export type Flag = 'abort' | 'lose' | 'note';

// `judgesReply`: the event is a verdict on the reply before it (which gets a ⚠ too); a turn limit or an error is not.
const FLAGS: Readonly<Record<string, { flag: Flag; label: string; judgesReply: boolean }>> = {
  'invalid format': { flag: 'abort', label: 'invalid format (parse error, episode aborted)', judgesReply: true },
  'parse error': { flag: 'abort', label: 'parse error', judgesReply: true },
  error: { flag: 'abort', label: 'error', judgesReply: false },
  'rule violation': { flag: 'lose', label: 'rule violation (episode lost)', judgesReply: true },
  'turn limit': { flag: 'lose', label: 'turn limit reached', judgesReply: false },
  'violation noted': { flag: 'note', label: 'violation noted', judgesReply: true },
};

/** The flag of an event type, if it is one the framework marks. */
export function flagOf(type: string): { flag: Flag; label: string; judgesReply: boolean } | undefined {
  return Object.hasOwn(FLAGS, type) ? FLAGS[type] : undefined;
}

/** Participants in a stable order: GM first, then players as listed, then names seen only in events. */
export function participantsOf(players: Readonly<Record<string, { role: string; model: string }>>, events: readonly EventRead[]): Map<string, Participant> {
  const names = Object.keys(players);
  for (const e of events) for (const n of [e.from, e.to]) if (!names.includes(n)) names.push(n);
  const out = new Map<string, Participant>();
  let index = 0;
  for (const name of ['GM', ...names.filter((n) => n !== 'GM')]) {
    const info = players[name] ?? { role: name === 'GM' ? 'Game Master' : '', model: '' };
    const colour = name === 'GM' ? GM_COLOUR : seriesColour(index++);
    out.set(name, { name, role: info.role, model: info.model, colour });
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
  return JSON.stringify(v) ?? 'undefined';
}

/**
 * Event content: text as preformatted text; an object (game events: questions, answers, information gain) as a
 * key/value list with nested values as compact JSON; anything else as indented JSON.
 */
export function renderContent(content: unknown): SafeHtml {
  if (content === undefined) return html``;
  if (typeof content === 'string') return html`<pre class="msg">${content}</pre>`;
  if (isRecord(content) && Object.keys(content).length > 0) {
    return html`<dl class="kv data">${Object.entries(content).map(([k, v]) => html`<dt>${k}</dt><dd>${valueText(v)}</dd>`)}</dl>`;
  }
  return html`<pre class="msg">${JSON.stringify(content, null, 2)}</pre>`;
}

// Names only (role for players); models are in the players table at the top.
function who(p: Participant | undefined, name: string): SafeHtml {
  const role = p === undefined || name === 'GM' || p.role === '' || p.role === name ? '' : p.role;
  return html`<b>${name}</b>${role ? html` (${role})` : ''}`;
}

function timeOf(ts: string | undefined): SafeHtml {
  if (ts === undefined) return html``;
  const m = /T(\d\d:\d\d:\d\d)/.exec(ts);
  return html` · <time datetime="${ts}" title="${ts}">${m ? m[1] : ts}</time>`;
}

const KNOWN_ACTION_KEYS = new Set(['type', 'content', 'label', 'reasoning']);

function extras(action: EventRead['action']): SafeHtml {
  const rest = Object.fromEntries(Object.entries(action).filter(([k]) => !KNOWN_ACTION_KEYS.has(k)));
  if (Object.keys(rest).length === 0) return html``;
  return html`<details class="reasoning"><summary>more fields (${Object.keys(rest).join(', ')})</summary><pre class="msg">${JSON.stringify(rest, null, 2)}</pre></details>`;
}

function reasoning(value: unknown): SafeHtml {
  if (value === undefined || value === null || value === '') return html``;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return html`<details class="reasoning"><summary>reasoning (${text.length} characters)</summary><pre class="msg">${text}</pre></details>`;
}

/**
 * One event as a bubble. `replyFlag` marks a player's reply that the game master then refused (the flag of the
 * event that followed it); `rewards` (proxy rewards of a reply, `learn rewards`) is shown after it.
 */
export function renderEvent(event: EventRead, participants: ReadonlyMap<string, Participant>, replyFlag?: { flag: Flag; label: string }, rewards?: SafeHtml): SafeHtml {
  const { from, to, action } = event;
  const sender = participants.get(from);
  const receiver = participants.get(to);
  const label = action.label ? html` · ${action.label}` : '';
  const body = html`${renderContent(action.content)}${reasoning(action.reasoning)}${extras(action)}`;
  if (from === to) {
    const flag = flagOf(action.type);
    const cls = flag ? ` flag-${flag.flag}` : '';
    const title = flag ? html`<span class="flag">⚠ ${flag.label}</span>` : html`<b>${action.type}</b>`;
    const self = from === 'GM' ? html`` : html`${who(sender, from)}: `;
    return html`<div class="event gm${cls}" data-type="${action.type}"><details class="bubble" open><summary>${self}${title}${timeOf(event.timestamp)}</summary>${body}</details></div>\n`;
  }
  const toPlayer = from === 'GM';
  const player = toPlayer ? receiver : sender;
  const kind = toPlayer ? 'to-player' : 'from-player';
  const mark = replyFlag ? html` <span class="flag o-${replyFlag.flag === 'abort' ? 'aborted' : 'lose'}" title="${replyFlag.label}">⚠</span>` : '';
  return html`<div class="event ${kind}" style="--c:${player?.colour ?? GM_COLOUR}" data-type="${action.type}"><details class="bubble" open><summary>${who(sender, from)} → ${who(receiver, to)} · ${action.type}${label}${timeOf(event.timestamp)}${mark}${rewards ?? ''}</summary>${body}</details></div>\n`;
}

/**
 * Indexes (within one round) of replies followed by a game-master verdict on them (invalid format, rule violation,
 * violation noted) before the next reply, with the flag to show on them.
 */
export function flaggedReplies(events: readonly EventRead[]): Map<number, { flag: Flag; label: string }> {
  const out = new Map<number, { flag: Flag; label: string }>();
  let lastReply: number | undefined;
  events.forEach((e, i) => {
    if (e.from !== e.to && e.from !== 'GM') lastReply = i;
    const flag = e.from === e.to ? flagOf(e.action.type) : undefined;
    if (flag?.judgesReply && lastReply !== undefined && !out.has(lastReply)) out.set(lastReply, flag);
  });
  return out;
}
