import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createTestDb, type Target, type TestDb, type TestDbOptions, ADMIN_PASSWORD, DEMO_PASSWORD } from './db.js';

// Real HTTP against a real listening server: a cookie jar and the CSRF header, as the web app does.

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export class Client {
  cookies = new Map<string, string>();
  csrf?: string;
  constructor(public base: string) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (this.csrf && !['GET', 'HEAD'].includes(method) && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const k = pair!.slice(0, i);
      const v = pair!.slice(i + 1);
      if (v === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    let parsed: any = text;
    if ((res.headers.get('content-type') ?? '').includes('json')) parsed = text ? JSON.parse(text) : null;
    else if (!(res.headers.get('content-type') ?? '').startsWith('text')) parsed = buf;
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body ?? {});
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body ?? {});
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Logs in; answers the login response. Keeps the CSRF token for later calls. */
  async login(username: string, password?: string) {
    const pw = password ?? (username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
    const r = await this.post('/api/auth/login', { username, password: pw });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}

export interface TestServer extends TestDb {
  app: FastifyInstance;
  url: string;
  client(): Client;
  /** A client already logged in as one of the demo accounts (or admin). */
  as(username: string, password?: string): Promise<Client>;
  close(): Promise<void>;
}

export async function startServer(target: Target, opts: TestDbOptions = {}): Promise<TestServer> {
  const tdb = await createTestDb(target, opts);
  const app = await buildApp(tdb.deps, { logger: false, webRoot: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    ...tdb,
    app,
    url,
    client: () => new Client(url),
    async as(username, password) {
      const c = new Client(url);
      const r = await c.login(username, password);
      if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return c;
    },
    async close() {
      await app.close();
      await tdb.cleanup();
    },
  };
}

const GENERATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every string of a JSON answer a person could read, joined — without the ids and reference numbers
 * the system generates (UUIDv7 ids carry the clock in hex, public numbers end in random base-32), which
 * may by chance hold any run of digits, and without numbers (scores, confidences). For asserting that
 * no part of a protected value (a phone's last four digits) is in an answer.
 */
export function readableText(body: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown, key?: string) => {
    if (typeof v === 'string') {
      if (!GENERATED.test(v) && key !== 'publicNo' && key !== 'receiptCode') out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(body);
  return out.join('\n');
}
