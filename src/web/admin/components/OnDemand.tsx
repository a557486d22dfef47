// A part of a page that loads when first needed: a drawer or dialog from a lazy() module mounts the
// first time it opens (its code downloads then, not with the page) and stays mounted afterwards, so
// it can slide out when closed.
//
//   const PersonFormDrawer = lazy(() => import('./PersonFormDrawer.js'));
//   <OnDemand open={editing !== null}><PersonFormDrawer open={editing !== null} … /></OnDemand>
import { Suspense, useRef, type ReactNode } from 'react';

export function OnDemand({ open, children }: { open: boolean; children: ReactNode }) {
  const seen = useRef(false);
  if (open) seen.current = true;
  return seen.current ? <Suspense fallback={null}>{children}</Suspense> : null;
}
