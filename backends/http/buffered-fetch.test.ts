import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeTransport, errorBodyOf, type HttpTransport } from './index.js';

// A real server: /json answers JSON, /html a proxy's 502 page, /empty 204, /echo the request's method, headers and body.
let server: Server;
let base: string;
let transport: HttpTransport;
beforeEach(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/json') res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r1' }).end('{"ok":true}');
      else if (req.url === '/html') res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>');
      else if (req.url === '/empty') res.writeHead(204).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, headers: req.headers, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  transport = createNodeTransport({ maxSockets: 2, headers: { 'x-default': 'd' } });
});
afterEach(async () => {
  transport.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('bufferedFetch (a transport\'s fetch)', () => {
  it('sends the method, headers (a Headers object or a record) and string body through the transport', async () => {
    const res = await transport.fetch(`${base}/echo`, { method: 'post', headers: new Headers({ 'X-Call': 'c' }), body: '{"a":1}' });
    const seen = (await res.json()) as { method: string; headers: Record<string, string>; body: string };
    expect(seen).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'x-call': 'c', 'x-default': 'd', 'content-length': '7' } });
    const again = await transport.fetch(new URL(`${base}/echo`), { headers: { 'X-Other': 'o' } });
    expect(await again.json()).toMatchObject({ method: 'GET', headers: { 'x-other': 'o' } });
  });

  it('resolves with a Response whose body reads once, as fetch\'s does', async () => {
    const res = await transport.fetch(`${base}/json`);
    expect([res.ok, res.status, res.url, res.headers.get('x-request-id'), res.bodyUsed]).toEqual([true, 200, `${base}/json`, 'r1', false]);
    expect(res.headers).toBeInstanceOf(Headers);
    expect(res.body?.locked).toBe(false); // looking at the stream, as SDKs do, leaves the body unread
    expect(await res.clone().text()).toBe('{"ok":true}');
    expect(await res.json()).toEqual({ ok: true });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
    expect(() => res.clone()).toThrow(TypeError);
  });

  it('gives a streamed body to a reader of `body`, and none for 204', async () => {
    const res = await transport.fetch(`${base}/json`);
    expect(await new Response(res.body).text()).toBe('{"ok":true}');
    await expect(res.text()).rejects.toThrow(TypeError);
    const empty = await transport.fetch(`${base}/empty`);
    expect([empty.status, empty.body, await empty.text()]).toEqual([204, null, '']);
  });

  it('keeps the whole body of an error response, found by its headers (SDK errors carry them)', async () => {
    const res = await transport.fetch(`${base}/html`);
    expect([res.ok, res.status]).toEqual([false, 502]);
    expect(errorBodyOf(res.headers)).toBe('<html><body>Bad gateway</body></html>');
    const ok = await transport.fetch(`${base}/json`);
    expect(errorBodyOf(ok.headers)).toBeUndefined();
    expect(errorBodyOf(new Headers())).toBeUndefined();
  });

  it('refuses bodies it cannot send as a string, and methods other than GET and POST', async () => {
    await expect(transport.fetch(`${base}/echo`, { method: 'POST', body: new Uint8Array([1]) })).rejects.toThrow('string bodies only');
    await expect(transport.fetch(`${base}/echo`, { method: 'DELETE' })).rejects.toThrow('GET and POST only, got DELETE');
  });
});
