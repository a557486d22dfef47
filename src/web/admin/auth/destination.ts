// Where a user goes once signed in (and past a forced password change): the page that sent them to the
// login (router state), else a `?next=` path of this site (the phone field app links to
// /login?next=/field/), else home. Only a same-site path is followed, never another site.
import type { NavigateFunction } from 'react-router';

const sameSite = (p: unknown): p is string => typeof p === 'string' && /^\/(?![/\\])/.test(p) && !p.includes('\\');

export function destinationOf(state: unknown, search: string): string {
  const from = (state as { from?: unknown } | null)?.from;
  if (sameSite(from)) return from;
  const next = new URLSearchParams(search).get('next');
  return sameSite(next) ? next : '/';
}

/** The field app (/field/) is a page of its own outside the staff app: reached by loading it. */
const outside = (to: string) => to === '/field' || to.startsWith('/field/');

export function goTo(navigate: NavigateFunction, to: string) {
  if (outside(to)) window.location.replace(to);
  else navigate(to, { replace: true });
}

/** After signing in: a forced password change first, carrying the destination along. */
export function afterSignIn(navigate: NavigateFunction, mustChange: boolean | undefined, to: string) {
  if (mustChange) navigate('/change-password', { replace: true, state: { from: to } });
  else goTo(navigate, to);
}
