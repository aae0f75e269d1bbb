/**
 * The one stylesheet of every report page. Player colours come from `--c` set per bubble (see playerColour), so
 * any number of players works. Outcome classes: `o-success`, `o-lose`, `o-aborted`, `o-errored`, `o-unknown`.
 */
export const PAGE_CSS = `
:root { --fg: #1d2430; --muted: #5b6473; --line: #d9dee6; --bg: #fff; --soft: #f5f7fa;
  --ok: #1b7f3b; --lose: #b26a00; --abort: #b3261e; --err: #6b3fa0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg);
  margin: 0 auto; padding: 12px 20px 40px; max-width: 1200px; }
h1 { font-size: 20px; margin: 8px 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; } h3 { font-size: 14px; margin: 16px 0 6px; }
nav { font-size: 13px; color: var(--muted); } a { color: #1f5fbf; }
.muted { color: var(--muted); } .small { font-size: 12px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; position: sticky; top: 0; }
th.sortable { cursor: pointer; user-select: none; } th.sortable::after { content: " \\2195"; color: #aab; }
th[aria-sort="ascending"]::after { content: " \\2191"; color: var(--fg); }
th[aria-sort="descending"]::after { content: " \\2193"; color: var(--fg); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { white-space: nowrap; }
.o-success { color: var(--ok); } .o-lose { color: var(--lose); } .o-aborted { color: var(--abort); }
.o-errored { color: var(--err); } .o-unknown { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; border: 1px solid currentColor; }
.badge.reward { font-weight: 400; font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.toolbar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 10px 0; padding: 8px;
  background: var(--soft); border-radius: 6px; }
.toolbar label { font-size: 13px; } select, button, input { font: inherit; font-size: 13px; }
.kv { display: grid; grid-template-columns: max-content auto; gap: 1px 14px; margin: 6px 0; }
.kv dt { color: var(--muted); } .kv dd { margin: 0; font-variant-numeric: tabular-nums; }
.header-grid { display: flex; flex-wrap: wrap; gap: 8px 36px; }
.round { margin: 22px 0 8px; display: flex; align-items: center; gap: 10px; color: var(--muted); font-size: 12px; }
.round::before, .round::after { content: ""; flex: 1; border-top: 1px solid var(--line); }
.event { margin: 6px 0; display: flex; }
.event.to-player { justify-content: flex-start; } .event.from-player { justify-content: flex-end; }
.event.gm { justify-content: center; }
.bubble { max-width: 78%; min-width: 30%; border: 1px solid var(--line); border-radius: 10px; background: #fff; }
.to-player .bubble { border-left: 5px solid var(--c, #888); }
.from-player .bubble { background: color-mix(in srgb, var(--c, #888) 12%, white); border-color: color-mix(in srgb, var(--c, #888) 45%, white); }
.bubble > summary { cursor: pointer; padding: 3px 10px; font-size: 12px; color: var(--muted); list-style-position: inside; }
.bubble > summary b { color: var(--c, var(--fg)); }
.msg { margin: 0; padding: 4px 12px 8px; white-space: pre-wrap; word-break: break-word; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.gm .bubble { max-width: 90%; background: var(--soft); border-style: dashed; font-size: 12px; }
.gm.flag-abort .bubble { border: 1px solid var(--abort); background: #fdeceb; }
.gm.flag-lose .bubble { border: 1px solid var(--lose); background: #fff4e0; }
.gm.flag-note .bubble { border: 1px dashed var(--lose); background: #fffaf0; }
.flag { font-weight: 700; }
.flag-abort .flag { color: var(--abort); } .flag-lose .flag, .flag-note .flag { color: var(--lose); }
details.reasoning { margin: 0 12px 8px; border-top: 1px dotted var(--line); }
details.reasoning > summary { cursor: pointer; font-size: 12px; color: var(--muted); }
details.reasoning .msg { color: #44506a; padding-left: 0; }
.data { margin: 4px 12px 8px; font-size: 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; margin: 4px 0; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; background: var(--c); }
.plots { display: flex; flex-wrap: wrap; gap: 12px 24px; }
figure { margin: 0; } figcaption { font-size: 12px; color: var(--muted); }
svg text { font: 11px system-ui, sans-serif; fill: var(--fg); }
svg .axis line, svg .axis path { stroke: #8a93a3; } svg .grid line { stroke: #edf0f4; }
.note { font-size: 12px; color: var(--muted); }
`;
