// The staff app's API client: same-origin fetch, session cookie, CSRF header on changes,
// and errors carrying the server's Chinese message and field.

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
    public details?: { field: string; label: string; message: string }[],
  ) {
    super(message);
  }
}

function csrfToken(): string | undefined {
  const m = document.cookie.match(/(?:^|;\s*)rectify_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/** Called when the server says the session is gone (401) or a password change is due (403). */
export const authEvents = new EventTarget();

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET') {
    const t = csrfToken();
    if (t) headers['x-csrf-token'] = t;
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const err = new ApiError(
      res.status,
      data?.error ?? 'HTTP',
      data?.message ?? `请求失败（${res.status}）`,
      data?.field,
      data?.details,
    );
    if (res.status === 401 && path !== '/api/auth/login') authEvents.dispatchEvent(new Event('unauthorized'));
    if (err.code === 'PASSWORD_CHANGE_REQUIRED') authEvents.dispatchEvent(new Event('password-change'));
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T = any>(path: string) => request<T>('GET', path),
  post: <T = any>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T = any>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  put: <T = any>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  del: <T = any>(path: string) => request<T>('DELETE', path),
  upload: <T = any>(path: string, form: FormData) => request<T>('POST', path, form),
};

/** Builds a query string from defined, non-empty values. */
export function qs(params: Record<string, unknown>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** Triggers a browser download of a GET endpoint (exports): a plain link keeps the cookie. */
export function download(path: string) {
  const a = document.createElement('a');
  a.href = path;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export interface Me {
  user: { id: string; username: string; displayName: string; personId: string | null };
  orgUnit: { id: string; name: string; kind: string } | null;
  roles: { code: string; name: string; dataScope: string }[];
  permissions: string[];
  mustChangePassword: boolean;
  csrfToken?: string;
}

/** What every list endpoint answers. `totalCapped`: the server stopped counting at `total`; there are more. */
export interface Page<T> {
  items: T[];
  total: number;
  totalCapped?: true;
}
