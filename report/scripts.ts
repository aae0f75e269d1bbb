/**
 * The pages' inline scripts: plain ES2017 JavaScript, no library, no network. Each is allowed by its hash in the
 * page's Content-Security-Policy (page.ts), so these strings must never contain data: pages pass data through
 * markup (`data-*` attributes and cell text).
 */

/** Sorts any `table.sortable` by a clicked `th.sortable` (`th.num`: numeric, `–` last); stable; fires `sorted`. */
export const TABLE_SORT_SCRIPT = `(function () {
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var body = table.tBodies[0];
    table.tHead.addEventListener('click', function (ev) {
      var th = ev.target.closest('th');
      if (!th || !th.classList.contains('sortable')) return;
      var col = th.cellIndex, numeric = th.classList.contains('num');
      var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      table.tHead.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir);
      var sign = dir === 'ascending' ? 1 : -1;
      var keyed = Array.prototype.map.call(body.rows, function (r, i) {
        var c = r.cells[col];
        return { r: r, i: i, k: c ? (c.getAttribute('data-v') || c.textContent) : '' };
      });
      keyed.sort(function (a, b) {
        if (numeric) {
          var x = parseFloat(a.k), y = parseFloat(b.k), nx = isNaN(x), ny = isNaN(y);
          if (nx || ny) return nx === ny ? a.i - b.i : (nx ? 1 : -1);
          return (x - y) * sign || a.i - b.i;
        }
        return a.k.localeCompare(b.k, undefined, { numeric: true }) * sign || a.i - b.i;
      });
      var frag = document.createDocumentFragment();
      keyed.forEach(function (o) { frag.appendChild(o.r); });
      body.appendChild(frag);
      table.dispatchEvent(new Event('sorted'));
    });
  });
})();`;

/**
 * The index's filters: each `select[data-col]` keeps rows whose cell in that column equals its value ('' = all);
 * the state is mirrored in the URL hash (`#outcome=errored&game=20q`) so a filtered view can be linked. Only the
 * first `data-page` matching rows are shown (a big table is slow to lay out); `#more` shows the next page. Re-applied
 * after a sort (the `sorted` event of TABLE_SORT_SCRIPT).
 */
export const INDEX_SCRIPT = `(function () {
  var table = document.getElementById('episodes');
  var body = table.tBodies[0];
  var page = +table.getAttribute('data-page') || Infinity, limit = page;
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-col]'));
  var count = document.getElementById('shown'), more = document.getElementById('more');
  var keys = new Map();
  Array.prototype.forEach.call(body.rows, function (r) {
    keys.set(r, selects.map(function (s) { var c = r.cells[+s.getAttribute('data-col')]; return c ? c.textContent : ''; }));
  });
  function apply() {
    var wanted = selects.map(function (s) { return s.value; });
    var matching = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      var k = keys.get(r);
      var ok = wanted.every(function (w, j) { return w === '' || k[j] === w; });
      if (ok) matching++;
      var hide = !ok || matching > limit;
      if (r.hidden !== hide) r.hidden = hide;
    });
    count.textContent = String(matching);
    more.hidden = matching <= limit;
    more.textContent = 'show ' + Math.min(page, matching - limit) + ' more (' + limit + ' of ' + matching + ' shown)';
    var hash = selects.filter(function (s) { return s.value !== ''; })
      .map(function (s) { return encodeURIComponent(s.name) + '=' + encodeURIComponent(s.value); }).join('&');
    if (location.hash.slice(1) !== hash) history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
  }
  location.hash.slice(1).split('&').forEach(function (kv) {
    var p = kv.split('='), s = document.querySelector('select[name="' + decodeURIComponent(p[0] || '').replace(/"/g, '') + '"]');
    if (s && p.length === 2) s.value = decodeURIComponent(p[1]);
  });
  function refilter() { limit = page; apply(); }
  selects.forEach(function (s) { s.addEventListener('change', refilter); });
  table.addEventListener('sorted', apply);
  more.addEventListener('click', function () { limit += page; apply(); });
  document.getElementById('reset').addEventListener('click', function () { selects.forEach(function (s) { s.value = ''; }); refilter(); });
  apply();
})();`;

/** The transcript toolbar: collapse the game master's prompts, collapse or expand every bubble, open reasoning. */
export const TRANSCRIPT_SCRIPT = `(function () {
  var main = document.getElementById('transcript');
  function set(selector, open) { main.querySelectorAll(selector).forEach(function (d) { d.open = open; }); }
  document.getElementById('controls').addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-act]');
    if (!b) return;
    var act = b.getAttribute('data-act');
    if (act === 'prompts') set('.to-player > details', false);
    else if (act === 'collapse') set('details.bubble', false);
    else if (act === 'expand') set('details.bubble', true);
    else if (act === 'reasoning') set('details.reasoning', true);
  });
})();`;
