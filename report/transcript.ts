import type { ScoresRead, ScoreValue } from '../registry/scores.js';
import { indexOutcome, type IndexOutcome } from './episode.js';
import { formatNumber, html, type SafeHtml } from './html.js';
import { renderPage } from './page.js';
import { TRANSCRIPT_SCRIPT } from './scripts.js';
import { playerInfo, type InteractionsRead } from '../registry/interactions.js';
import type { RewardsFile } from '../registry/rewards-file.js';
import { flaggedReplies, participantsOf, renderEvent, type Participant } from './transcript-events.js';

/** What a transcript page shows beyond interactions.json. */
export interface TranscriptInput {
  interactions: InteractionsRead;
  /** scores.json, when the episode was scored. */
  scores?: ScoresRead;
  /** rewards.<reward>.json files of the episode (`clem-ts learn rewards`): each reply shows its rewards. */
  rewards?: readonly Pick<RewardsFile, 'reward' | 'turns'>[];
  /** Folder names the episode sits in (model folder first), for the heading when meta lacks them. */
  folder: { model: string; game: string; experiment: string; episode: string };
  /** Links, relative to the transcript. */
  links: {
    index: string;
    previous?: string;
    next?: string;
    /** Raw files of the episode (interactions.json, scores.json, player_1.requests.json, …). */
    files: readonly { href: string; name: string }[];
  };
}

function outcomeOf(input: TranscriptInput): IndexOutcome {
  if (input.scores) return indexOutcome(input.scores['episode scores']);
  const { Aborted, Success, Lose } = input.interactions;
  const flags: Record<string, ScoreValue> = {};
  for (const [k, v] of Object.entries({ Aborted, Success, Lose })) if (typeof v === 'number' || typeof v === 'boolean') flags[k] = v;
  return indexOutcome(flags);
}

function scoreCell(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v, 3);
  if (v === null) return '–';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function kvList(entries: readonly [string, unknown][]): SafeHtml {
  return html`<dl class="kv">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${scoreCell(v)}</dd>`)}</dl>`;
}

function playersTable(participants: ReadonlyMap<string, Participant>): SafeHtml {
  const rows = [...participants.values()].map(
    (p) => html`<tr><td><span class="swatch" style="--c:${p.colour}"></span>${p.name}</td><td>${p.role}</td><td>${p.model}</td></tr>`,
  );
  return html`<table><thead><tr><th>player</th><th>role</th><th>model</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function roundScores(scores: ScoresRead | undefined, round: number): SafeHtml {
  const r = scores?.['round scores']?.[String(round)] ?? scores?.['turn scores']?.[String(round)];
  if (r === undefined) return html``;
  const shown = Object.entries(r).filter(([k]) => !['Request Count', 'Parsed Request Count', 'Violated Request Count', 'Request Success Ratio'].includes(k));
  if (shown.length === 0) return html``;
  return html` · ${shown.map(([k, v], i) => html`${i > 0 ? ', ' : ''}${k}: ${scoreCell(v)}`)}`;
}

/** The rewards of each turn (the n-th reply of the episode is turn n), as a badge per reward. */
function rewardBadges(files: TranscriptInput['rewards']): Map<number, SafeHtml> {
  const byTurn = new Map<number, [string, number | null][]>();
  for (const f of files ?? []) for (const t of f.turns) byTurn.set(t.turn, [...(byTurn.get(t.turn) ?? []), [f.reward, t.score]]);
  return new Map([...byTurn].map(([turn, rs]) => [turn, html`${rs.map(([name, v]) => html` <span class="badge reward" title="proxy reward ${name} (learn rewards)">${name} ${scoreCell(v)}</span>`)}`]));
}

/** Renders transcript.html for one episode. All text from the files is escaped. */
export function renderTranscript(input: TranscriptInput): string {
  const { interactions, scores, folder, links } = input;
  const meta = interactions.meta ?? {};
  const game = meta.game_name ?? folder.game;
  const experiment = meta.experiment_name ?? folder.experiment;
  const gameId = meta.game_id ?? folder.episode;
  const players = Object.fromEntries(Object.entries(interactions.players ?? {}).map(([name, entry]) => [name, playerInfo(entry)]));
  const participants = participantsOf(players, interactions.turns.flat());
  const outcome = outcomeOf(input);
  const episodeScores = Object.entries(scores?.['episode scores'] ?? {});
  const rewards = rewardBadges(input.rewards);
  let reply = 0;
  const rounds = interactions.turns.map((events, r) => {
    const flagged = flaggedReplies(events);
    const turnOf = (e: (typeof events)[number]) => (e.to === 'GM' && e.from !== 'GM' && e.action.type === 'get message' ? reply++ : undefined);
    return html`<div class="round" id="round-${r}">Round ${r + 1} of ${interactions.turns.length}${roundScores(scores, r)}</div>
${events.map((e, i) => {
  const turn = turnOf(e);
  return renderEvent(e, participants, flagged.get(i), turn === undefined ? undefined : rewards.get(turn));
})}`;
  });
  const nav = [
    { href: links.index, label: 'all episodes' },
    ...(links.previous ? [{ href: links.previous, label: '← previous' }] : []),
    ...(links.next ? [{ href: links.next, label: 'next →' }] : []),
  ];
  const body = html`<h1>${game} · ${experiment} · game ${String(gameId)} <span class="badge o-${outcome}">${outcome}</span></h1>
<p class="muted small">${folder.model}${meta.clem_version ? ` · clem ${String(meta.clem_version)}` : ''} · files: ${links.files.map((f, i) => html`${i > 0 ? ', ' : ''}<a href="${f.href}">${f.name}</a>`)}</p>
<div class="header-grid">
<section><h2>Players</h2>${playersTable(participants)}</section>
<section><h2>Episode scores</h2>${episodeScores.length > 0 ? kvList(episodeScores) : html`<p class="muted">not scored (no scores.json)</p>`}</section>
</div>
<div class="toolbar" id="controls">
<button type="button" data-act="prompts">collapse prompts</button>
<button type="button" data-act="collapse">collapse all</button>
<button type="button" data-act="expand">expand all</button>
<button type="button" data-act="reasoning">show reasoning</button>
<span class="legend">${[...participants.values()].map((p) => html`<span><span class="swatch" style="--c:${p.colour}"></span>${p.name}</span>`)}</span>
</div>
<main id="transcript">
${interactions.turns.length === 0 ? html`<p class="muted">No events were recorded.</p>` : rounds}
</main>`;
  return renderPage({ title: `${game} ${experiment} ${String(gameId)} – transcript`, nav, body, scripts: [TRANSCRIPT_SCRIPT] });
}
