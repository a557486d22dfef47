// 整改公开: the rectification items published to the public, newest first, a page at a time; how to
// report a problem; each unit's on-time and satisfaction rates for public opinions. One item in full,
// rated 1–5 stars once it is finished. And, on an opinion's tracking page, the items it became.

import { api, ApiError } from './api.js';
import { append, busy, failure, h, heading, loading, replace, uid, type Child } from './dom.js';
import { itemRated, markItemRated } from './ids.js';
import { setTitle, type View } from './router.js';
import { rateForm } from './rate-form.js';
import { S } from './strings.js';
import { fmtDate } from './time.js';

const T = S.ledger;
// Ten cards a page: a phone shows two or three at a time, and a weak network gets a small answer.
const PAGE_SIZE = 10;
const MAX_COMMENT = 200;

export interface LedgerItem {
  id: string;
  title: string;
  goal: string | null;
  measures: string | null;
  unitName: string | null;
  deadline: string | null;
  progress: number;
  status: 'not_started' | 'in_progress' | 'done' | 'signed_off' | 'overdue';
  statusLabel: string;
  list: string;
  fromPublicOpinion: boolean;
  reportingChannel: string;
  rating: { count: number; average: number } | null;
  canRate: boolean;
  updatedAt: string;
}
interface LedgerPage {
  items: LedgerItem[];
  total: number;
  reportingChannel: string;
}
type Rate = number | null;
interface Rates {
  onTimeReplyRate: Rate;
  satisfactionRate: Rate;
  units: { unitName: string; onTimeRate: Rate; satisfactionRate: Rate }[];
}

const itemHref = (id: string) => `/public/rectification/${encodeURIComponent(id)}`;

/** Status (已逾期 marked out by more than colour) and the 来自群众意见 badge. */
function tags(i: LedgerItem) {
  return h(
    'p',
    { class: 'tags' },
    h('span', { class: `badge s-${i.status}` }, h('span', { class: 'sr-only' }, T.status), i.status === 'overdue' ? h('span', { 'aria-hidden': 'true' }, '⚠ ') : null, i.statusLabel),
    i.fromPublicOpinion ? h('span', { class: 'badge from-public' }, T.fromPublic) : null,
  );
}

/** 整改进度 as text and as a bar that screen readers read as a progress bar of that value. */
function progressBar(value: number) {
  const v = Math.max(0, Math.min(100, Math.round(Number(value) || 0)));
  const id = uid('progress');
  const fill = h('span', { class: 'fill' });
  // Through the CSSOM, not a style attribute: allowed whatever the page's CSP says about inline styles.
  fill.style.inlineSize = `${v}%`;
  return h(
    'div',
    { class: 'progress' },
    h('span', { id }, T.progress, ' ', h('strong', null, T.percent(v))),
    h('div', { class: 'bar', role: 'progressbar', 'aria-labelledby': id, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': v }, fill),
  );
}

const ratingText = (r: LedgerItem['rating']): Child =>
  r ? [h('span', { class: 'star-mark', 'aria-hidden': 'true' }, '★ '), T.rating(r.average, r.count)] : T.noRating;

function row(label: string, value: Child) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

function card(i: LedgerItem) {
  return h(
    'li',
    { class: `card card-link item${i.status === 'overdue' ? ' late' : ''}` },
    h('h3', { class: 'card-title' }, h('a', { href: itemHref(i.id) }, i.title)),
    tags(i),
    h(
      'dl',
      { class: 'facts compact' },
      row(T.fields.unit, i.unitName ?? '—'),
      i.goal ? row(T.fields.goal, i.goal) : null,
      row(T.fields.deadline, i.deadline ?? T.noDeadline),
      i.rating ? row(T.fields.rating, ratingText(i.rating)) : null,
    ),
    progressBar(i.progress),
    h('span', { class: 'go', 'aria-hidden': 'true' }, '›'),
  );
}

/** 如何反映问题: the channels the server names, one a line, and the way to submit an opinion here. */
function reporting(channel: string) {
  const channels = channel.split(/[；;]/).map((c) => c.trim()).filter(Boolean);
  return h(
    'section',
    { class: 'note report', 'aria-labelledby': 'report-title' },
    h('h2', { id: 'report-title' }, T.reportTitle),
    channels.length ? h('ul', { class: 'channels' }, channels.map((c) => h('li', null, c))) : null,
    h('p', { class: 'actions' }, h('a', { class: 'btn primary', href: '/public/submit' }, T.submit)),
  );
}

function ratesTable(r: Rates) {
  const R = T.rates;
  const cell = (v: Rate) => h('td', null, v === null ? [h('span', { 'aria-hidden': 'true' }, R.rate(v)), h('span', { class: 'sr-only' }, R.noRate)] : R.rate(v));
  if (!r.units.length) return h('p', { class: 'muted' }, R.none);
  return h(
    'table',
    { class: 'rates' },
    h('caption', null, R.caption),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, R.unit), h('th', { scope: 'col' }, R.onTime), h('th', { scope: 'col' }, R.satisfaction))),
    h('tbody', null, r.units.map((u) => h('tr', null, h('th', { scope: 'row' }, u.unitName), cell(u.onTimeRate), cell(u.satisfactionRate)))),
    h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, R.overall), cell(r.onTimeReplyRate), cell(r.satisfactionRate))),
  );
}

/** 各单位群众意见办理情况: a section that fetches and fills itself; a failure stays inside it. */
function ratesSection(signal: AbortSignal) {
  const body = h('div', null);
  const load = () => {
    replace(body, loading(S.common.loading));
    api<Rates>('/api/public/rectification/rates', { signal }).then(
      ({ data }) => {
        if (!signal.aborted) replace(body, ratesTable(data));
      },
      (e: ApiError) => {
        if (!signal.aborted) replace(body, failure(e, load, signal));
      },
    );
  };
  load();
  return h('section', { class: 'panel', 'aria-labelledby': 'rates-title' }, h('h2', { id: 'rates-title' }, T.rates.title), body);
}

export const ledgerListView: View = (root, { signal }) => {
  setTitle(T.title);
  const body = h('div', null);
  root.append(heading(T.title), h('p', { class: 'intro' }, T.intro), body);
  let rates: HTMLElement | undefined;
  // Added only once the list is on screen: below a list still loading, it would be pushed down (a layout shift).
  const showRates = () => {
    if (!rates) root.append((rates = ratesSection(signal)));
  };

  const load = () => {
    replace(body, loading(S.common.loading));
    api<LedgerPage>(`/api/public/rectification?page=1&pageSize=${PAGE_SIZE}`, { signal }).then(
      ({ data }) => {
        if (signal.aborted) return;
        replace(body, reporting(data.reportingChannel), ...list(data));
        showRates();
      },
      (e: ApiError) => {
        if (signal.aborted) return;
        replace(body, failure(e, load, signal));
      },
    );
  };

  const list = (first: LedgerPage): Child[] => {
    if (!first.items.length) return [h('p', { class: 'empty' }, T.none)];
    const seen = new Set<string>();
    const ul = h('ul', { class: 'cards items', 'aria-labelledby': 'items-title' });
    const count = h('p', { class: 'muted', role: 'status' });
    const add = (items: LedgerItem[]) => {
      // Pages are counted from the newest: an item published meanwhile repeats the last one of the previous page.
      const fresh = items.filter((i) => !seen.has(i.id));
      fresh.forEach((i) => seen.add(i.id));
      const cards = fresh.map(card);
      ul.append(...cards);
      return cards;
    };
    let total = first.total;
    let page = 1;
    add(first.items);
    const error = h('p', { class: 'alert', role: 'alert', hidden: true });
    const more = h('button', { type: 'button', class: 'btn block' }, T.more);
    const moreBox = h('div', { class: 'more' }, error, more);
    const sync = () => {
      count.textContent = seen.size >= total ? T.total(total) : T.shown(seen.size, total);
      moreBox.hidden = seen.size >= total;
    };
    sync();
    more.addEventListener('click', async () => {
      if (more.disabled) return;
      error.hidden = true;
      busy(more, true, S.common.loading);
      try {
        const { data } = await api<LedgerPage>(`/api/public/rectification?page=${page + 1}&pageSize=${PAGE_SIZE}`, { signal });
        if (signal.aborted) return;
        page += 1;
        total = data.total;
        const fresh = add(data.items);
        if (!data.items.length) total = seen.size; // the list shrank meanwhile: nothing more to ask for
        sync();
        // Keyboard and screen-reader users go on from the first new item.
        fresh[0]?.querySelector('a')?.focus();
      } catch (err) {
        if (signal.aborted) return;
        error.textContent = S.common.loadFailed((err as ApiError).message);
        error.hidden = false;
      } finally {
        if (!signal.aborted) busy(more, false);
      }
    });
    return [h('h2', { class: 'section', id: 'items-title' }, T.listTitle), count, ul, moreBox];
  };

  load();
};

export const ledgerItemView: View = (root, { params, signal }) => {
  setTitle(T.title);
  const id = params[0] ?? '';
  let justRated = false;

  /**
   * The view drawn anew: a new heading and body rather than the old ones resized, so a long title
   * moves nothing already on screen (no layout shift). The heading keeps the focus it had.
   */
  const draw = (title: string, ...children: Child[]) => {
    const hadFocus = root.contains(document.activeElement) && document.activeElement?.tagName === 'H1';
    const h1 = heading(title);
    root.replaceChildren(h1);
    append(root, children);
    if (hadFocus) h1.focus({ preventScroll: true });
  };

  const load = (after?: () => void) => {
    api<LedgerItem>(`/api/public/rectification/${encodeURIComponent(id)}`, { signal }).then(
      ({ data }) => {
        if (signal.aborted) return;
        setTitle(data.title);
        draw(data.title, show(data));
        after?.();
      },
      (e: ApiError) => {
        if (signal.aborted) return;
        if (e.status === 404 || e.status === 400) {
          setTitle(T.notFound);
          return draw(T.notFound, h('p', { class: 'info', role: 'status' }, T.notFoundText), back());
        }
        const retry = () => {
          draw(T.title, loading(S.common.loading));
          load(after);
        };
        draw(T.title, failure(e, retry, signal));
      },
    );
  };

  const back = () => h('p', { class: 'actions' }, h('a', { class: 'btn', href: '/public/rectification' }, T.back), h('a', { class: 'btn', href: '/public' }, S.common.home));

  const show = (i: LedgerItem): Child[] => [
    tags(i),
    h(
      'dl',
      { class: 'facts' },
      row(T.fields.list, i.list),
      row(T.fields.unit, i.unitName ?? '—'),
      row(T.fields.goal, i.goal ?? '—'),
      row(T.fields.deadline, i.deadline ?? T.noDeadline),
      row(T.fields.updatedAt, fmtDate(i.updatedAt)),
      row(T.fields.rating, ratingText(i.rating)),
    ),
    h('section', { class: 'panel' }, progressBar(i.progress)),
    i.measures
      ? h('section', { class: 'panel', 'aria-labelledby': 'measures-title' }, h('h2', { id: 'measures-title' }, T.fields.measures), h('p', { class: 'pre' }, i.measures))
      : null,
    rating(i),
    reporting(i.reportingChannel),
    back(),
  ];

  const focusRated = () => (document.getElementById('rated-title') as HTMLElement | null)?.focus();

  const rating = (i: LedgerItem) => {
    if (justRated || itemRated(i.id)) {
      return h(
        'section',
        { class: justRated ? 'success' : 'info', role: 'status', 'aria-labelledby': 'rated-title' },
        h('h2', { id: 'rated-title', tabindex: '-1' }, justRated ? T.thanks : T.rated),
        h('p', null, justRated ? T.thanksText : T.ratedText),
      );
    }
    if (!i.canRate) return null;
    const section = h('section', { class: 'panel', id: 'rating' });
    section.append(
      rateForm({
        title: T.rate, hint: T.rateHint, comment: T.comment, commentHint: T.commentHint(MAX_COMMENT), maxComment: MAX_COMMENT, send: T.send,
        retry: T.retry, scoreField: 'rating', signal,
        submit: (rating, comment) => api(`/api/public/rectification/${encodeURIComponent(i.id)}/rating`, { method: 'POST', body: { rating, comment }, signal }),
        done: () => {
          markItemRated(i.id);
          justRated = true;
          load(focusRated); // the average now counts this rating
        },
        // Already rated from here, or no longer finished: the server's words, in place of the form.
        refused: (e) => {
          section.replaceWith(
            h('div', { class: 'info', role: 'status', 'aria-labelledby': 'rated-title' }, h('h2', { id: 'rated-title', tabindex: '-1' }, T.rate), h('p', null, e.message)),
          );
          focusRated();
        },
      }),
    );
    return section;
  };

  root.append(heading(T.title), loading(S.common.loading));
  load();
};

/**
 * On an opinion's tracking page: the published items the opinion became, as links. An empty slot
 * that fills itself; nothing is shown when there are none or the request fails (the tracking page
 * has its own answer already).
 */
export function followedItems(code: string, signal: AbortSignal) {
  const slot = h('div', null);
  api<{ items: LedgerItem[] }>(`/api/public/rectification/follow/${encodeURIComponent(code)}`, { signal }).then(
    ({ data }) => {
      if (signal.aborted || !data.items.length) return;
      slot.replaceWith(
        h(
          'section',
          { class: 'panel', 'aria-labelledby': 'followed-title' },
          h('h2', { id: 'followed-title' }, T.follow.title),
          h('p', null, T.follow.text),
          h(
            'ul',
            { class: 'followed' },
            data.items.map((i) => h('li', null, h('a', { href: itemHref(i.id) }, i.title), h('span', { class: 'muted' }, ` ${i.statusLabel} · ${T.progress} ${T.percent(Math.round(i.progress))}`))),
          ),
        ),
      );
    },
    () => undefined,
  );
  return slot;
}
