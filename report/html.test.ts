import { describe, expect, it } from 'vitest';
import { escapeHtml, formatNumber, hrefOf, html, jsonScript, raw } from './html.js';

describe('html', () => {
  it('escapes interpolated text, keeps literal markup and SafeHtml', () => {
    const reply = '<script>alert("x")</script> & \'q\'';
    expect(html`<p title="${reply}">${reply}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>',
    );
    expect(html`<div>${html`<b>${'<i>'}</b>`}${raw('<hr>')}</div>`.value).toBe('<div><b>&lt;i&gt;</b><hr></div>');
  });

  it('renders lists, numbers and empty values', () => {
    expect(html`${['a<', 1, null, undefined, false, [2, '>']]}`.value).toBe('a&lt;12&gt;');
    expect(html`${Number.NaN}`.value).toBe('');
  });

  it('escapes every special character once', () => {
    expect(escapeHtml('&amp;<>"\'')).toBe('&amp;amp;&lt;&gt;&quot;&#39;');
  });

  it('embeds JSON that cannot close its script element', () => {
    const out = jsonScript('d', { s: '</script><script>alert(1)</script>' }).value;
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    const inner = /<script[^>]*>(.*)<\/script>/.exec(out)?.[1] ?? '';
    expect(JSON.parse(inner)).toEqual({ s: '</script><script>alert(1)</script>' });
  });

  it('percent-encodes path parts of links but keeps ..', () => {
    expect(hrefOf('../a b/#1?x/transcript.html')).toBe('../a%20b/%231%3Fx/transcript.html');
  });

  it('formats numbers for cells', () => {
    expect([formatNumber(1), formatNumber(1.005, 1), formatNumber(2 / 3), formatNumber(null), formatNumber(Number.NaN)]).toEqual(['1', '1.0', '0.67', '–', '–']);
  });
});
