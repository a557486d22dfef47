import http from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance, FastifyReply } from 'fastify';

// Answers for requests that fail before Fastify has a request object (Node's `clientError`: a
// request line or headers over the size limit, a malformed request, a timeout) or before a route is
// found (`frameworkErrors`). Open311 clients get the GeoReport error list they parse for every other
// error; everything else gets our JSON shape. Never Node's or Fastify's English bodies.

/** GeoReport v2 lives under /open311. */
export function isOpen311Path(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === '/open311' || path.startsWith('/open311/');
}

/** The spec answers in the format named by the resource's extension; JSON otherwise. */
export function specErrorFormat(url: string): 'json' | 'xml' {
  return /\.xml$/i.test(url.split('?')[0] ?? '') ? 'xml' : 'json';
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** GeoReport's error list: JSON [{code, description}], XML <errors><error><code/><description/></error></errors>. */
export function specErrorBody(format: 'json' | 'xml', status: number, description: string): { type: string; body: string } {
  if (format === 'json') {
    return { type: 'application/json; charset=utf-8', body: JSON.stringify([{ code: status, description }]) };
  }
  return {
    type: 'text/xml; charset=utf-8',
    body:
      '<?xml version="1.0" encoding="utf-8"?>\n' +
      `<errors>\n  <error>\n    <code>${status}</code>\n    <description>${escapeXml(description)}</description>\n  </error>\n</errors>\n`,
  };
}

/** For frameworkErrors: the spec's error list through Fastify's reply. */
export function sendSpecError(reply: FastifyReply, url: string, status: number, description: string) {
  const { type, body } = specErrorBody(specErrorFormat(url), status, description);
  return reply.status(status).header('content-type', type).send(body);
}

/** Method and target of the request line in the bytes Node failed on, as far as they arrived. */
function requestLine(raw: Buffer | undefined): { target: string; complete: boolean; length: number } | null {
  if (!raw?.length) return null;
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = head.indexOf('\r\n');
  const line = end >= 0 ? head.slice(0, end) : head;
  const m = /^[A-Z]{3,10} (\S+)/.exec(line);
  if (!m) return null;
  // Absolute form (GET http://host/path HTTP/1.1): the path is what routing sees.
  const target = m[1]!.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
  return { target, complete: end >= 0, length: line.length };
}

/**
 * Fastify's `clientErrorHandler` option. Writes a whole HTTP response on the raw socket, then ends
 * it (no keep-alive after a broken request).
 */
export function clientErrorHandler(this: FastifyInstance, err: ConnectionError, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // Node gives the bytes it failed on as a Buffer (Fastify's type says otherwise).
  const raw: unknown = err.rawPacket;
  const line = requestLine(Buffer.isBuffer(raw) ? raw : undefined);
  let status: number;
  let description: string;
  let generic: string;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    status = 408;
    description = generic = '请求超时，请重试';
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    // The request line alone too long (it never ended, or it is most of the allowance): 414.
    const urlTooLong = !line || !line.complete || line.length > 8 * 1024;
    status = urlTooLong ? 414 : 431;
    description = urlTooLong ? '请求地址过长，请减少查询参数' : '请求头过长';
    generic = '请求地址或请求头过长';
  } else {
    status = 400;
    description = generic = '请求格式不正确';
  }
  this.log.trace({ err }, 'client error');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const { type, body } =
    line && isOpen311Path(line.target)
      ? specErrorBody(specErrorFormat(line.target), status, description)
      : { type: 'application/json; charset=utf-8', body: JSON.stringify({ error: status === 408 ? 'TIMEOUT' : 'BAD_REQUEST', message: generic }) };
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
      `Content-Type: ${type}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}
