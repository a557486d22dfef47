// How the built pages and the API answers travel: precompressed static files (brotli and gzip, by
// Accept-Encoding, with Vary), on-the-fly compression of JSON and XML above 1 KB, the caching
// headers (immutable hashed assets, revalidated shells with a 304, no-store API answers), real
// robots.txt and favicons, and real 404s instead of the page with 200. Against the real build
// (dist/web), served by the real app over HTTP.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { PUBLIC_ROUTES, STAFF_PATHS } from '../../src/shared/web-routes.js';
import { buildApp as buildWeb, root } from '../e2e/support.js';
import { createTestDb, type TestDb } from '../support/db.js';

const webRoot = path.join(root, 'dist/web');

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request that takes the body as sent (fetch would decompress it and hide the encoding). */
function raw(base: string, urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + urlPath, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(r: Raw): Buffer {
  const enc = r.headers['content-encoding'];
  if (enc === 'br') return zlib.brotliDecompressSync(r.body);
  if (enc === 'gzip') return zlib.gunzipSync(r.body);
  expect(enc ?? 'identity').toBe('identity');
  return r.body;
}

const varies = (r: Raw) => String(r.headers.vary ?? '').toLowerCase().split(/\s*,\s*/).includes('accept-encoding');

/** The assets a built page names in its HTML (its script, preloads and style sheet). */
function pageAssets(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
}

describe('delivery of pages and answers', () => {
  let tdb: TestDb;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    buildWeb();
    tdb = await createTestDb('sqlite', { demo: false });
    app = await buildApp(tdb.deps, { logger: false, webRoot });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }, 900_000);

  afterAll(async () => {
    await app?.close();
    await tdb?.cleanup();
  });

  it('the build writes .br and .gz beside every text file worth compressing, with the same content', () => {
    const texts = (fs.readdirSync(webRoot, { recursive: true }) as string[]).filter((f) => /\.(html|js|css|svg|txt)$/.test(f));
    expect(texts.length).toBeGreaterThan(10);
    for (const f of texts) {
      const file = path.join(webRoot, f);
      const body = fs.readFileSync(file);
      if (body.length < 1024) continue; // tiny files may gain nothing
      expect(fs.existsSync(`${file}.br`), `${f}.br`).toBe(true);
      expect(fs.existsSync(`${file}.gz`), `${f}.gz`).toBe(true);
      expect(zlib.brotliDecompressSync(fs.readFileSync(`${file}.br`)).equals(body), `${f}.br`).toBe(true);
      expect(zlib.gunzipSync(fs.readFileSync(`${file}.gz`)).equals(body), `${f}.gz`).toBe(true);
    }
  });

  it('serves hashed assets precompressed by Accept-Encoding, cached for a year as immutable', async () => {
    const shell = fs.readFileSync(path.join(webRoot, 'public/index.html'), 'utf8');
    const assets = pageAssets(shell);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    const sizes: Record<string, { raw: number; gzip: number; br: number }> = {};
    for (const a of assets) {
      const file = fs.readFileSync(path.join(webRoot, a));
      const br = await raw(base, a, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(varies(br)).toBe(true);
      expect(br.headers['content-type']).toMatch(a.endsWith('.js') ? /javascript/ : /text\/css/);
      expect(decode(br).equals(file)).toBe(true);
      const gz = await raw(base, a, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(decode(gz).equals(file)).toBe(true);
      const plain = await raw(base, a);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(varies(plain)).toBe(true); // a shared cache must not hand this to a browser that takes br
      expect(plain.body.equals(file)).toBe(true);
      sizes[a] = { raw: plain.body.length, gzip: gz.body.length, br: br.body.length };
      // Compressed well below the raw size (the issue: 40 KB of script where 15 KB would do).
      if (a.endsWith('.js') && file.length > 4096) expect(br.body.length).toBeLessThan(file.length * 0.45);
    }
    console.log(`群众端页面资源（字节，原始/gzip/brotli）：${JSON.stringify(sizes)}`);
  });

  it('serves the page shells compressed with no-cache, and a revalidation is a 304', async () => {
    for (const [url, file] of [['/public', 'public/index.html'], ['/', 'index.html']] as const) {
      const first = await raw(base, url, { 'accept-encoding': 'br' });
      expect(first.status, url).toBe(200);
      expect(first.headers['cache-control'], url).toBe('no-cache');
      expect(first.headers['content-type'], url).toMatch(/^text\/html/);
      expect(first.headers['content-encoding'], url).toBe('br');
      expect(varies(first), url).toBe(true);
      expect(decode(first).equals(fs.readFileSync(path.join(webRoot, file))), url).toBe(true);
      const etag = first.headers.etag!;
      const lastModified = first.headers['last-modified']!;
      expect(etag, url).toBeTruthy();
      expect(lastModified, url).toBeTruthy();
      const again = await raw(base, url, { 'accept-encoding': 'br', 'if-none-match': etag });
      expect(again.status, url).toBe(304);
      expect(again.body.length).toBe(0);
      const since = await raw(base, url, { 'accept-encoding': 'br', 'if-modified-since': lastModified });
      expect(since.status, url).toBe(304);
      const head = await raw(base, url, { 'accept-encoding': 'br' }, 'HEAD');
      expect(head.status, url).toBe(200);
      expect(head.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it("answers every client route of both apps with its page, and nothing else", async () => {
    const publicShell = fs.readFileSync(path.join(webRoot, 'public/index.html'));
    const staffShell = fs.readFileSync(path.join(webRoot, 'index.html'));
    for (const url of ['/public', '/public/', '/public/submit', '/public/submit/done', '/public/track', '/public/track/7K3Q-9XMB-2H4T-R8CN', '/public/surveys', '/public/surveys/abc', '/public/rectification', '/public/rectification/abc']) {
      const r = await raw(base, url);
      expect(r.status, url).toBe(200);
      expect(r.body.equals(publicShell), url).toBe(true);
    }
    for (const url of [...STAFF_PATHS, '/people/']) {
      const r = await raw(base, url);
      expect(r.status, url).toBe(200);
      expect(r.body.equals(staffShell), url).toBe(true);
    }
    // Unknown paths: a real 404. Page-like paths still show the app's own "not found" view.
    for (const url of ['/public/nope', '/public/submit/extra/x', '/public/rectification/a/b', '/public/index.html', '/publicity']) {
      const r = await raw(base, url);
      expect(r.status, url).toBe(404);
      expect(r.headers['content-type'], url).toMatch(/^text\/html/);
      expect(r.body.equals(publicShell) || url === '/publicity', url).toBe(true);
      expect(r.headers.etag, url).toBeUndefined();
    }
    for (const url of ['/no-such-page', '/opinions/42/edit']) {
      const r = await raw(base, url);
      expect(r.status, url).toBe(404);
      expect(r.body.equals(staffShell), url).toBe(true);
    }
    const js = pageAssets(publicShell.toString()).find((a) => a.endsWith('.js'))!;
    for (const url of ['/assets/nope-12345678.js', `${js}.br`, `${js}.gz`, '/assets/', '/assets/../index.html', '/index.html', '/wp-login.php', '/favicon.png', '/.env']) {
      const r = await raw(base, url);
      expect(r.status, url).toBe(404);
      expect(r.headers['cache-control'], url).toBe('no-cache');
    }
    // The API keeps its JSON 404.
    const api = await raw(base, '/api/nope');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body.toString()).error).toBe('NOT_FOUND');
  });

  it('serves a real robots.txt and favicons', async () => {
    const robots = await raw(base, '/robots.txt', { 'accept-encoding': 'br' });
    expect(robots.status).toBe(200);
    expect(robots.headers['content-type']).toMatch(/^text\/plain/);
    expect(robots.headers['cache-control']).toBe('public, max-age=86400');
    const text = decode(robots).toString();
    expect(text).toMatch(/^User-agent: \*$/m);
    expect(text).toMatch(/^Allow: \/public$/m);
    expect(text).toMatch(/^Disallow: \/$/m);
    expect(text).not.toMatch(/<html/i);

    const ico = await raw(base, '/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.headers['content-type']).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
    expect(ico.body.readUInt16LE(0)).toBe(0); // ICONDIR: reserved 0, type 1 (icon)
    expect(ico.body.readUInt16LE(2)).toBe(1);
    const svg = await raw(base, '/favicon.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body.toString()).toContain('<svg');
    // Both shells point at them.
    for (const f of ['index.html', 'public/index.html']) {
      const html = fs.readFileSync(path.join(webRoot, f), 'utf8');
      expect(html, f).toContain('href="/favicon.ico"');
      expect(html, f).toContain('href="/favicon.svg"');
    }
  });

  it('compresses JSON and Open311 XML above 1 KB on the fly, keeps no-store, leaves small and binary answers alone', async () => {
    const openapi = await raw(base, '/api/openapi.json', { 'accept-encoding': 'gzip, deflate, br' });
    expect(openapi.status).toBe(200);
    expect(openapi.headers['content-encoding']).toBe('br');
    expect(varies(openapi)).toBe(true);
    expect(openapi.headers['cache-control']).toBe('no-store');
    const doc = JSON.parse(decode(openapi).toString());
    expect(doc.openapi).toMatch(/^3\./);
    // The web routes are not API routes.
    expect(Object.keys(doc.paths)).not.toContain('/*');

    const gz = await raw(base, '/api/openapi.json', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode(gz).toString()).openapi).toMatch(/^3\./);

    const xml = await raw(base, '/open311/v2/services.xml', { 'accept-encoding': 'br' });
    expect(xml.status).toBe(200);
    expect(xml.headers['content-type']).toMatch(/xml/);
    expect(xml.headers['content-encoding']).toBe('br');
    expect(xml.headers['cache-control']).toBe('no-store');
    expect(xml.headers['access-control-allow-origin']).toBe('*');
    expect(decode(xml).toString()).toContain('<services>');

    const health = await raw(base, '/api/health', { 'accept-encoding': 'br' });
    expect(health.status).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined(); // under 1 KB: not worth it
    expect(health.headers['cache-control']).toBe('no-store');

    const none = await raw(base, '/api/openapi.json');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(none.body.toString()).openapi).toMatch(/^3\./);

    // An export (a zip already) goes as it is, streamed.
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Admin#2026test' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const xlsx = await raw(base, '/api/people/export', { 'accept-encoding': 'gzip, br', cookie });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect(xlsx.headers['content-encoding']).toBeUndefined();
    expect(xlsx.headers['cache-control']).toBe('no-store');
    expect(xlsx.body.subarray(0, 2).toString()).toBe('PK');
  });

  it('the CSP lets the proof of work run in a worker from our own files', async () => {
    const r = await raw(base, '/public/submit');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toMatch(/worker-src 'self'/);
    expect(csp).toMatch(/script-src 'self'/);
  });

  it('knows the same client routes as the apps', () => {
    // The staff app: every path its route table and menu name (App.tsx PAGES, nav.tsx) is in STAFF_PATHS.
    const adminDir = path.join(root, 'src/web/admin');
    const sources = (fs.readdirSync(adminDir, { recursive: true }) as string[])
      .filter((f) => /\.(tsx?)$/.test(f))
      .map((f) => fs.readFileSync(path.join(adminDir, f), 'utf8'));
    const found = new Set<string>();
    for (const src of sources) {
      for (const m of src.matchAll(/['"](\/[a-z0-9/-]*)['"]\s*:\s*lazy\(/g)) found.add(m[1]!);
      for (const m of src.matchAll(/<Route\s+path="(\/[a-z0-9/-]*)"/g)) found.add(m[1]!);
      for (const m of src.matchAll(/\bpath:\s*'(\/[a-z0-9/-]*)'/g)) found.add(m[1]!);
    }
    expect(found.size, 'src/web/admin 的路由表未找到：请同步 src/shared/web-routes.ts 的 STAFF_PATHS').toBeGreaterThan(10);
    const missing = [...found].filter((p) => !STAFF_PATHS.includes(p));
    expect(missing, '这些工作人员端路由不在 src/shared/web-routes.ts 的 STAFF_PATHS 中（刷新页面会得到 404）').toEqual([]);
    // The public site routes its views by the same table.
    const main = fs.readFileSync(path.join(root, 'src/web/public/main.ts'), 'utf8');
    for (const key of Object.keys(PUBLIC_ROUTES)) expect(main, key).toContain(`PUBLIC_ROUTES.${key}`);
  });
});
