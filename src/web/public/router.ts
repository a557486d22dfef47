// Client-side routing under /public: every view has a real URL (the server answers each route
// with this page), so a refresh or a shared link opens the same view.

import { S } from './strings.js';

export interface ViewCtx {
  params: string[];
  signal: AbortSignal;
  /** history.state of this entry (survives a refresh; used for the one-time receipt). */
  state: any;
}
/** A view renders into the main element; it may return a clean-up run when the user leaves. */
export type View = (root: HTMLElement, ctx: ViewCtx) => void | (() => void);

export function setTitle(title: string) {
  document.title = S.app.title(title);
}

let routes: [RegExp, View][] = [];
let notFound: View;
let current: { path: string; ctrl: AbortController; cleanup?: () => void } | undefined;

function render(focus: boolean) {
  const root = document.getElementById('main')!;
  const path = location.pathname;
  current?.ctrl.abort();
  current?.cleanup?.();
  const ctrl = new AbortController();
  current = { path, ctrl };
  let view = notFound;
  let params: string[] = [];
  for (const [re, v] of routes) {
    const m = re.exec(path);
    if (m) {
      view = v;
      params = m.slice(1).map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          return p;
        }
      });
      break;
    }
  }
  root.replaceChildren();
  const cleanup = view(root, { params, signal: ctrl.signal, state: history.state });
  if (cleanup) current.cleanup = cleanup;
  if (focus) {
    window.scrollTo(0, 0);
    // The new page's heading takes the focus, so a screen reader announces where the user is.
    (root.querySelector('h1') as HTMLElement | null)?.focus({ preventScroll: true });
  }
}

export function navigate(path: string, opts: { state?: unknown; replace?: boolean } = {}) {
  if (opts.replace) history.replaceState(opts.state ?? null, '', path);
  else history.pushState(opts.state ?? null, '', path);
  render(true);
}

export function startRouter(table: [RegExp, View][], fallback: View) {
  routes = table;
  notFound = fallback;
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !/^\/public(\/|$)/.test(url.pathname)) return;
    if (url.pathname === location.pathname && url.hash) return; // in-page anchors (跳到主要内容)
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', () => {
    // A fragment jump (#main) fires popstate too; the view is already on screen.
    if (current && current.path === location.pathname) return;
    render(true);
  });
  render(false);
}
