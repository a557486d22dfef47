// Requests of the public pages: JSON, no cookies (nothing here needs a session), a 20-second limit
// so a dead mobile connection ends in a clear "retry" message instead of an endless spinner.

import { S } from './strings.js';

export const TIMEOUT_MS = 20_000;

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly field?: string,
  ) {
    super(message);
  }
  /** True when the request may simply be sent again (no answer, or a temporary server problem). */
  get retryable() {
    return this.status === 0 || this.status >= 500;
  }
}

export const MSG = S.net;

export async function api<T>(path: string, opts: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<{ status: number; data: T }> {
  const ctrl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort();
  }, TIMEOUT_MS);
  const outer = opts.signal;
  const onOuterAbort = () => ctrl.abort();
  outer?.addEventListener('abort', onOuterAbort);
  try {
    let res: Response;
    try {
      res = await fetch(path, {
        method: opts.method ?? 'GET',
        headers: opts.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        credentials: 'omit',
        cache: 'no-store',
        signal: ctrl.signal,
      });
    } catch {
      if (outer?.aborted) throw new ApiError(0, 'ABORTED', S.common.cancelled);
      throw new ApiError(0, timedOut ? 'TIMEOUT' : 'NETWORK', timedOut ? MSG.timeout : MSG.network);
    }
    let data: any = null;
    try {
      data = await res.json();
    } catch {
      if (outer?.aborted) throw new ApiError(0, 'ABORTED', S.common.cancelled);
      if (timedOut) throw new ApiError(0, 'TIMEOUT', MSG.timeout);
      // A proxy's HTML error page, or a cut-off body.
      if (res.ok) throw new ApiError(0, 'NETWORK', MSG.network);
    }
    if (!res.ok) {
      const message = data && typeof data.message === 'string' ? data.message : MSG.server(res.status);
      throw new ApiError(res.status, data?.error ?? 'HTTP', message, typeof data?.field === 'string' ? data.field : undefined);
    }
    return { status: res.status, data: data as T };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

export interface UploadHandle {
  promise: Promise<{ id: string; token: string; name: string; size: number }>;
  abort: () => void;
}

/**
 * Uploads one file (multipart field `file`) with progress. XHR, because fetch reports no upload
 * progress. The 20-second limit counts from the last progress, so a large photo on a slow but
 * working connection is not cut off, while a dead connection is.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reason: 'timeout' | 'abort' | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      reason = 'timeout';
      xhr.abort();
    }, TIMEOUT_MS);
  };
  const promise = new Promise<{ id: string; token: string; name: string; size: number }>((resolve, reject) => {
    xhr.open('POST', '/api/public/files');
    xhr.responseType = 'json';
    xhr.withCredentials = false;
    xhr.upload.addEventListener('progress', (e) => {
      arm();
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      clearTimeout(timer);
      const body = xhr.response;
      if (xhr.status === 201 && body && body.id && body.token) return resolve(body);
      const message = body && typeof body.message === 'string' ? body.message : MSG.server(xhr.status);
      reject(new ApiError(xhr.status, body?.error ?? 'HTTP', message, 'file'));
    });
    xhr.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new ApiError(0, 'NETWORK', MSG.network));
    });
    xhr.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(reason === 'timeout' ? new ApiError(0, 'TIMEOUT', MSG.timeout) : new ApiError(0, 'ABORTED', S.common.cancelled));
    });
    const form = new FormData();
    form.append('file', file, file.name);
    arm();
    xhr.send(form);
  });
  return {
    promise,
    abort: () => {
      reason = 'abort';
      xhr.abort();
    },
  };
}

export interface Meta {
  categories: { code: string; label: string }[];
  challenge: boolean;
  limits: { maxContent: number; maxFiles: number; maxFileBytes: number; types: string[] };
}

let metaPromise: Promise<Meta> | undefined;
/** Categories and limits, asked once per page load (a failed attempt is not remembered). */
export function loadMeta(): Promise<Meta> {
  if (!metaPromise) {
    metaPromise = api<Meta>('/api/public/meta').then((r) => r.data);
    metaPromise.catch(() => (metaPromise = undefined));
  }
  return metaPromise;
}
