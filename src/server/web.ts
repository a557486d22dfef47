// Delivery of the built web apps (dist/web): the two page shells, the hashed assets, a few root files
// (robots.txt, favicons), and real 404s for everything else.
//
// - Compression: the build writes .br and .gz beside every text file (vite.config.ts); @fastify/static
//   picks the one the browser accepts (preCompressed, with Vary: accept-encoding). These routes opt out
//   of on-the-fly compression: what the build did not compress (a file too small to gain) goes as is.
// - Caching: hashed assets are immutable for a year; the page shells and 404 pages revalidate (ETag and
//   Last-Modified, so a revalidation is a 304); root files keep a day. The static sender's own
//   `cache-control: public, max-age=0` is switched off, so the header set here is the one sent.
// - Client routes: only the apps' real routes (src/shared/web-routes.ts) get their page with 200.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { isPublicRoute, isStaffRoute } from '../shared/web-routes.js';

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_REVALIDATE = 'no-cache';
export const CACHE_ROOT_FILE = 'public, max-age=86400';

const STAFF_SHELL = 'index.html';
const PUBLIC_SHELL = 'public/index.html';
/** The 1155 field entry (a cadre's phone; src/web/field) and its service worker, scope /field/. */
const FIELD_SHELL = 'field/index.html';
const FIELD_WORKER = 'field/sw.js';

/** dist/web beside the compiled server or beside the sources, when built. */
export function defaultWebRoot(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../web'), path.resolve(here, '../../dist/web')]) {
    if (fs.existsSync(path.join(candidate, STAFF_SHELL))) return candidate;
  }
  return undefined;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** A request path as a file path inside the web root, or null when it could leave it or names no file we serve. */
function safeRel(rel: string): string | null {
  if (!rel || rel.includes('\0') || rel.includes('\\') || rel.split('/').some((s) => s === '..' || s === '.' || s === '')) return null;
  // The precompressed copies are chosen by Accept-Encoding, never asked for by name.
  if (/\.(br|gz)$/.test(rel)) return null;
  return rel;
}

export async function serveWeb(app: FastifyInstance, webRoot: string) {
  // cacheControl off: send() would otherwise overwrite our Cache-Control with "public, max-age=0".
  await app.register(fastifyStatic, { root: webRoot, serve: false, preCompressed: true, cacheControl: false });

  const file = (reply: FastifyReply, rel: string, cacheControl: string) => reply.header('cache-control', cacheControl).sendFile(rel);

  /** A real 404 that still shows the app's own "page not found" view (its router renders it). */
  const notFoundPage = (reply: FastifyReply, shell: string) =>
    reply
      .code(404)
      .header('cache-control', CACHE_REVALIDATE)
      // No validators: a conditional request must not turn the 404 into a 304.
      .sendFile(shell, { etag: false, lastModified: false });

  const notFoundText = (reply: FastifyReply) =>
    reply.code(404).header('cache-control', CACHE_REVALIDATE).type('text/plain; charset=utf-8').send('404 页面不存在');

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const pathname = req.url.split('?')[0]!;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return notFoundText(reply);
    }
    const rel = decoded.slice(1);
    if (rel.startsWith('api/') || rel === 'api' || rel.startsWith('open311/')) {
      return reply.status(404).send({ error: 'NOT_FOUND', message: `接口不存在：${req.method} /${rel}` });
    }
    if (rel.startsWith('assets/')) {
      const f = safeRel(rel);
      if (f && (await isFile(path.join(webRoot, f)))) return file(reply, f, CACHE_IMMUTABLE);
      return notFoundText(reply);
    }
    if (isPublicRoute(decoded)) return file(reply, PUBLIC_SHELL, CACHE_REVALIDATE);
    if (decoded === '/field') return reply.redirect('/field/', 301);
    if (decoded === '/field/') return file(reply, FIELD_SHELL, CACHE_REVALIDATE);
    // The worker revalidates like a shell, so a new release's worker is picked up on the next visit.
    if (decoded === '/field/sw.js') return file(reply, FIELD_WORKER, CACHE_REVALIDATE);
    if (rel.startsWith('field/')) return notFoundText(reply);
    if (isStaffRoute(decoded)) return file(reply, STAFF_SHELL, CACHE_REVALIDATE);
    // Files at the root of the build (robots.txt, favicon.ico, favicon.svg); not the shells by name.
    if (!rel.includes('/') && rel !== STAFF_SHELL) {
      const f = safeRel(rel);
      if (f && (await isFile(path.join(webRoot, f)))) return file(reply, f, CACHE_ROOT_FILE);
    }
    if (rel === 'public' || rel.startsWith('public/')) return notFoundPage(reply, PUBLIC_SHELL);
    // Something that looks like a file (a probe, a stale link to an old asset): plain text.
    if (/\.[A-Za-z0-9]+$/.test(rel)) return notFoundText(reply);
    return notFoundPage(reply, STAFF_SHELL);
  };

  // compress: false — the build compressed these files already (see above).
  app.get('/', { compress: false, schema: { hide: true } }, handler);
  app.get('/*', { compress: false, schema: { hide: true } }, handler);
}
