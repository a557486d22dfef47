// 首页: what the public can do here, and a service-status line that never gets in the way on weak or
// absent networks (the page is fully usable without it).

import { h, heading } from './dom.js';
import { setTitle, type View } from './router.js';
import { S } from './strings.js';
import { SS } from './service-strings.js';

const T = S.home;
type State = keyof typeof T.status;

function card([title, text]: readonly [string, string], href: string) {
  return h(
    'li',
    { class: 'card card-link' },
    h('h3', null, h('a', { href }, title)),
    h('p', null, text),
    h('span', { class: 'go', 'aria-hidden': 'true' }, '›'),
  );
}

export const homeView: View = (root, { signal }) => {
  setTitle(S.app.name);
  const text = h('span', null, T.status.checking);
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-state': 'checking' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), text);
  const show = (s: State) => {
    status.dataset.state = s;
    text.textContent = T.status[s];
  };

  root.append(
    h(
      'div',
      { class: 'hero' },
      heading(S.app.name),
      h('p', { class: 'lead' }, T.lead),
    ),
    status,
    h('h2', { class: 'section' }, T.youCan),
    h(
      'ul',
      { class: 'cards' },
      card(T.cards.submit, '/public/submit'),
      card(T.cards.track, '/public/track'),
      card(T.cards.surveys, '/public/surveys'),
      card(T.cards.ledger, '/public/rectification'),
      card(SS.card, '/public/service'),
    ),
    h(
      'section',
      { class: 'note', 'aria-labelledby': 'privacy-title' },
      h('h2', { id: 'privacy-title' }, T.privacyTitle),
      h('p', null, T.privacy),
    ),
  );

  let checking = false;
  const check = async () => {
    if (checking || signal.aborted) return;
    if (!navigator.onLine) return show('offline');
    checking = true;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 8000);
    try {
      const res = await fetch('/api/health', { signal: ctrl.signal, cache: 'no-store', credentials: 'omit' });
      const body = res.ok ? await res.json() : null;
      if (!signal.aborted) show(body && body.status === 'ok' ? 'ok' : 'down');
    } catch {
      if (!signal.aborted) show(navigator.onLine ? 'down' : 'offline');
    } finally {
      clearTimeout(timer);
      checking = false;
    }
  };
  const online = () => void check();
  const offline = () => show('offline');
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  void check();
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  };
};
