import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

// What the request log may carry. Request URLs hold secrets (receipt codes, Open311 tokens and
// keys) and personal data (staff search for a phone number or a name), so the logger writes a
// redacted form: known secret path segments are replaced, and every query value is hidden except a
// few harmless paging keys. Modules with secret path parameters register them here.

const MASK = '[已隐去]';

/** Path patterns whose capture group 1 is a secret. */
const secretPaths: RegExp[] = [
  /^\/api\/public\/opinions\/([^/?#]+)/, // receipt code (查询码)
  /^\/open311\/v2\/tokens\/([^/?#]+)/, // Open311 token
];

/** Query keys whose values are safe to log (never text a person typed). */
const SAFE_QUERY_KEYS = new Set(['page', 'pageSize', 'reveal', 'includeSub', 'sensitive', 'mode', 'dryRun', 'format']);

export function registerSecretPath(pattern: RegExp): void {
  secretPaths.push(pattern);
}

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q >= 0 ? url.slice(0, q) : url;
  for (const re of secretPaths) {
    const m = re.exec(path);
    if (m && m[1]) {
      const at = m.index + m[0].length - m[1].length;
      path = path.slice(0, at) + MASK + path.slice(at + m[1].length);
    }
  }
  if (q < 0) return path;
  const parts = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((kv) => {
      const eq = kv.indexOf('=');
      const key = eq >= 0 ? kv.slice(0, eq) : kv;
      let name = key;
      try {
        name = decodeURIComponent(key.replace(/\+/g, ' '));
      } catch {
        // keep the raw key
      }
      return SAFE_QUERY_KEYS.has(name) ? kv : `${key}=${MASK}`;
    });
  return `${path}?${parts.join('&')}`;
}

/** Fastify's `req` log serializer, with the URL redacted and the client address as Fastify resolved it. */
export function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    remoteAddress: req.ip,
  };
}

/**
 * The request log: one line per answered request (method, redacted URL, address, status, time) —
 * Fastify's "request completed" line with the request in it, and no "incoming request" twin. Error,
 * not-found and stream lines stay Fastify's own.
 */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
