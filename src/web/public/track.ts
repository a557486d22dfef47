// 查询办理进度: enter a receipt code, then the opinion's public status, reply and history, and — once
// answered — a 1–5 star rating with an optional comment (once). Nothing personal is shown here.

import { api, ApiError } from './api.js';
import { fieldError, h, heading, loading, replace, setFieldError, uid, type Child } from './dom.js';
import { forgetReceipts, normalizeCode, savedReceipts } from './ids.js';
import { followedItems } from './ledger.js';
import { navigate, setTitle, type View } from './router.js';
import { rateForm } from './rate-form.js';
import { starsShown } from './stars.js';
import { S } from './strings.js';
import { fmtDate, fmtTime } from './time.js';

const T = S.track;

interface PublicStatus {
  publicNo: string;
  status: string;
  statusLabel: string;
  merged: { publicNo: string; note: string } | null;
  category: string | null;
  channel: string;
  identity: 'named' | 'anonymous';
  content: string;
  submittedAt: string;
  unitName: string | null;
  deadlineAt: string | null;
  reply: { text: string; at: string } | null;
  rejectReason: string | null;
  history: { at: string; kind: string; text: string | null }[];
  rating: { score: number; comment: string | null; at: string } | null;
  canRate: boolean;
}


function codeForm(initial = '') {
  const id = uid('code');
  const input = h('input', {
    id, name: 'code', type: 'text', value: initial, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    maxlength: 40, 'aria-describedby': `${id}-hint ${id}-err`, class: 'code-input',
  });
  const err = fieldError(`${id}-err`);
  const btn = h('button', { type: 'submit', class: 'btn primary block' }, T.query);
  return h(
    'form',
    {
      class: 'form', novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const code = normalizeCode(input.value);
        if (!code) {
          setFieldError(input, err, T.badCode);
          input.focus();
          return;
        }
        navigate(`/public/track/${code}`);
      },
    },
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, T.code),
      h('p', { class: 'hint', id: `${id}-hint` }, T.codeHint),
      input,
      err,
    ),
    btn,
  );
}

function savedList() {
  const list = savedReceipts();
  if (!list.length) return null;
  const section = h(
    'section',
    { class: 'note', 'aria-labelledby': 'saved-title' },
    h('h2', { id: 'saved-title' }, T.saved),
    h(
      'ul',
      { class: 'saved' },
      list.map((r) =>
        h('li', null, h('a', { href: `/public/track/${r.code}`, translate: 'no' }, r.code), h('span', { class: 'muted' }, T.savedItem(r.publicNo, fmtDate(r.at)))),
      ),
    ),
  );
  const clear = h('button', { type: 'button', class: 'btn small' }, T.clear);
  clear.addEventListener('click', () => {
    forgetReceipts();
    replace(section, h('p', { role: 'status' }, T.cleared));
  });
  section.append(clear);
  return section;
}

export const trackFormView: View = (root) => {
  setTitle(T.title);
  root.append(
    heading(T.title),
    h('p', { class: 'intro' }, T.intro),
    codeForm(),
  );
  const saved = savedList();
  if (saved) root.append(saved);
};

function row(label: string, value: Child) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

export const trackCodeView: View = (root, { params, signal }) => {
  setTitle(T.progress);
  const title = heading(T.progress);
  const body = h('div', null);
  root.append(title, body);
  const code = normalizeCode(params[0] ?? '');

  const notFound = (message: string) => {
    title.textContent = T.unknown;
    setTitle(T.unknown);
    replace(body, h('p', { class: 'alert', role: 'alert' }, message), codeForm(params[0] ?? ''), h('p', { class: 'actions' }, h('a', { class: 'btn', href: '/public' }, S.common.home)));
  };
  if (!code) return notFound(`${T.badCode}。`);

  const load = (after?: () => void) => {
    replace(body, loading(T.querying));
    api<PublicStatus>(`/api/public/opinions/${encodeURIComponent(code)}`, { signal }).then(
      ({ data }) => {
        if (signal.aborted) return;
        replace(body, ...show(data));
        after?.();
      },
      (e: ApiError) => {
        if (signal.aborted) return;
        if (e.status === 404 || e.status === 400) return notFound(T.unknownText);
        const retry = h('button', { type: 'button', class: 'btn', onclick: () => load() }, S.common.retry);
        replace(body, h('div', { class: 'alert', role: 'alert' }, h('p', null, T.failed(e.message)), retry));
      },
    );
  };

  const show = (o: PublicStatus): Child[] => {
    const facts = h(
      'dl',
      { class: 'facts' },
      row(T.facts.publicNo, h('span', { translate: 'no' }, o.publicNo)),
      row(T.facts.code, h('span', { translate: 'no' }, code)),
      row(T.facts.category, o.category ?? T.facts.uncategorised),
      row(T.facts.channel, o.channel),
      row(T.facts.submittedAt, fmtTime(o.submittedAt)),
      o.unitName ? row(T.facts.unit, o.unitName) : null,
      o.deadlineAt ? row(T.facts.deadline, fmtDate(o.deadlineAt)) : null,
    );
    const reply = o.reply
      ? h(
          'section',
          { class: 'panel reply', 'aria-labelledby': 'reply-title' },
          h('h2', { id: 'reply-title' }, T.reply),
          h('p', { class: 'pre' }, o.reply.text),
          h('p', { class: 'muted' }, T.repliedAt(fmtTime(o.reply.at))),
        )
      : null;
    const rejected = o.rejectReason
      ? h('section', { class: 'panel', 'aria-labelledby': 'reject-title' }, h('h2', { id: 'reject-title' }, T.rejected), h('p', { class: 'pre' }, o.rejectReason))
      : null;
    return [
      h('p', { class: `badge s-${o.status}` }, h('span', { class: 'sr-only' }, T.status), o.statusLabel),
      o.merged ? h('p', { class: 'info' }, T.merged(o.merged.publicNo, o.merged.note)) : null,
      facts,
      h('section', { class: 'panel', 'aria-labelledby': 'content-title' }, h('h2', { id: 'content-title' }, T.content), h('p', { class: 'pre' }, o.content)),
      reply,
      rejected,
      rating(o),
      o.history.length
        ? h(
            'section',
            { class: 'panel', 'aria-labelledby': 'history-title' },
            h('h2', { id: 'history-title' }, T.history),
            h('ol', { class: 'timeline' }, o.history.map((e) => h('li', null, h('time', { datetime: e.at }, fmtTime(e.at)), h('span', null, e.text ?? '')))),
          )
        : null,
      // Asked only once the code is known good; near the end, where filling it in moves little on screen.
      followedItems(code, signal),
      h('p', { class: 'actions' }, h('a', { class: 'btn', href: '/public/track' }, T.other), h('a', { class: 'btn', href: '/public' }, S.common.home)),
    ];
  };

  const rating = (o: PublicStatus) => {
    if (o.rating) {
      return h(
        'section',
        { class: 'panel', 'aria-labelledby': 'rating-title', id: 'rating' },
        h('h2', { id: 'rating-title', tabindex: '-1' }, T.yourRating),
        h('p', null, starsShown(o.rating.score)),
        o.rating.comment ? h('p', { class: 'pre' }, o.rating.comment) : null,
        h('p', { class: 'muted' }, T.ratedAt(fmtTime(o.rating.at))),
      );
    }
    if (!o.canRate) return null;
    const rated = () => (document.getElementById('rating-title') as HTMLElement | null)?.focus();
    const form = rateForm({
      title: T.rate, hint: T.rateHint, comment: T.comment, maxComment: 500, send: T.send, retry: T.retry, scoreField: 'score', signal,
      submit: (score, comment) => api(`/api/public/opinions/${encodeURIComponent(code)}/rating`, { method: 'POST', body: { score, comment }, signal }),
      done: () => load(rated),
      // Already rated (on another phone, say): the page shows that rating.
      refused: () => load(rated),
    });
    return h('section', { class: 'panel', id: 'rating' }, form);
  };

  load();
};
