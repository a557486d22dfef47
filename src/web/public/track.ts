// 查询办理进度: enter a receipt code, then the opinion's public status, reply and history, and — once
// answered — a 1–5 star rating with an optional comment (once). Nothing personal is shown here.

import { api, ApiError } from './api.js';
import { busy, clearOnEdit, fieldError, h, heading, replace, setFieldError, uid, type Child } from './dom.js';
import { forgetReceipts, normalizeCode, savedReceipts } from './ids.js';
import { navigate, setTitle, type View } from './router.js';
import { starGroup, starsShown } from './stars.js';
import { fmtDate, fmtTime } from './time.js';

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

const BAD_CODE = '查询码：应为 16 位字母或数字（可带短横线），请核对后重新输入';

function codeForm(initial = '') {
  const id = uid('code');
  const input = h('input', {
    id, name: 'code', type: 'text', value: initial, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    maxlength: 40, 'aria-describedby': `${id}-hint ${id}-err`, class: 'code-input',
  });
  const err = fieldError(`${id}-err`);
  const btn = h('button', { type: 'submit', class: 'btn primary block' }, '查询');
  return h(
    'form',
    {
      class: 'form', novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const code = normalizeCode(input.value);
        if (!code) {
          setFieldError(input, err, BAD_CODE);
          input.focus();
          return;
        }
        navigate(`/public/track/${code}`);
      },
    },
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, '查询码'),
      h('p', { class: 'hint', id: `${id}-hint` }, '提交意见时获得的 16 位查询码，如 7K3M-Q9XA-…，不区分大小写。'),
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
    h('h2', { id: 'saved-title' }, '本机记住的查询码'),
    h(
      'ul',
      { class: 'saved' },
      list.map((r) =>
        h('li', null, h('a', { href: `/public/track/${r.code}`, translate: 'no' }, r.code), h('span', { class: 'muted' }, ` 意见编号 ${r.publicNo} · ${fmtDate(r.at)}`)),
      ),
    ),
  );
  const clear = h('button', { type: 'button', class: 'btn small' }, '清除本机记录');
  clear.addEventListener('click', () => {
    forgetReceipts();
    replace(section, h('p', { role: 'status' }, '已清除本机记住的查询码。'));
  });
  section.append(clear);
  return section;
}

export const trackFormView: View = (root) => {
  setTitle('查询办理进度');
  root.append(
    heading('查询办理进度'),
    h('p', { class: 'intro' }, '输入查询码，查看意见建议的办理进度和答复，并可对办理结果进行评价。'),
    codeForm(),
  );
  const saved = savedList();
  if (saved) root.append(saved);
};

function row(label: string, value: Child) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

export const trackCodeView: View = (root, { params, signal }) => {
  setTitle('办理进度');
  const title = heading('办理进度');
  const body = h('div', null);
  root.append(title, body);
  const code = normalizeCode(params[0] ?? '');

  const notFound = (message: string) => {
    title.textContent = '查询码不存在';
    setTitle('查询码不存在');
    replace(body, h('p', { class: 'alert', role: 'alert' }, message), codeForm(params[0] ?? ''), h('p', { class: 'actions' }, h('a', { class: 'btn', href: '/public' }, '返回首页')));
  };
  if (!code) return notFound(`${BAD_CODE}。`);

  const load = (after?: () => void) => {
    replace(body, h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), '正在查询…'));
    api<PublicStatus>(`/api/public/opinions/${encodeURIComponent(code)}`, { signal }).then(
      ({ data }) => {
        if (signal.aborted) return;
        replace(body, ...show(data));
        after?.();
      },
      (e: ApiError) => {
        if (signal.aborted) return;
        if (e.status === 404 || e.status === 400) return notFound('查询码不存在，请核对后重新输入。查询码不区分大小写，可带或不带短横线。');
        const retry = h('button', { type: 'button', class: 'btn', onclick: () => load() }, '重试');
        replace(body, h('div', { class: 'alert', role: 'alert' }, h('p', null, `查询失败：${e.message}`), retry));
      },
    );
  };

  const show = (o: PublicStatus): Child[] => {
    const facts = h(
      'dl',
      { class: 'facts' },
      row('意见编号', h('span', { translate: 'no' }, o.publicNo)),
      row('查询码', h('span', { translate: 'no' }, code)),
      row('类别', o.category ?? '待分类'),
      row('渠道', o.channel),
      row('提交时间', fmtTime(o.submittedAt)),
      o.unitName ? row('承办单位', o.unitName) : null,
      o.deadlineAt ? row('答复期限', fmtDate(o.deadlineAt)) : null,
    );
    const reply = o.reply
      ? h(
          'section',
          { class: 'panel reply', 'aria-labelledby': 'reply-title' },
          h('h2', { id: 'reply-title' }, '答复'),
          h('p', { class: 'pre' }, o.reply.text),
          h('p', { class: 'muted' }, `答复时间：${fmtTime(o.reply.at)}`),
        )
      : null;
    const rejected = o.rejectReason
      ? h('section', { class: 'panel', 'aria-labelledby': 'reject-title' }, h('h2', { id: 'reject-title' }, '不予受理理由'), h('p', { class: 'pre' }, o.rejectReason))
      : null;
    return [
      h('p', { class: `badge s-${o.status}` }, h('span', { class: 'sr-only' }, '办理状态：'), o.statusLabel),
      o.merged ? h('p', { class: 'info' }, `此意见与编号 ${o.merged.publicNo} 合并办理。${o.merged.note}`) : null,
      facts,
      h('section', { class: 'panel', 'aria-labelledby': 'content-title' }, h('h2', { id: 'content-title' }, '您反映的内容'), h('p', { class: 'pre' }, o.content)),
      reply,
      rejected,
      rating(o),
      o.history.length
        ? h(
            'section',
            { class: 'panel', 'aria-labelledby': 'history-title' },
            h('h2', { id: 'history-title' }, '办理记录'),
            h('ol', { class: 'timeline' }, o.history.map((e) => h('li', null, h('time', { datetime: e.at }, fmtTime(e.at)), h('span', null, e.text ?? '')))),
          )
        : null,
      h('p', { class: 'actions' }, h('a', { class: 'btn', href: '/public/track' }, '查询其他意见'), h('a', { class: 'btn', href: '/public' }, '返回首页')),
    ];
  };

  const rating = (o: PublicStatus) => {
    if (o.rating) {
      return h(
        'section',
        { class: 'panel', 'aria-labelledby': 'rating-title', id: 'rating' },
        h('h2', { id: 'rating-title', tabindex: '-1' }, '您的评价'),
        h('p', null, starsShown(o.rating.score)),
        o.rating.comment ? h('p', { class: 'pre' }, o.rating.comment) : null,
        h('p', { class: 'muted' }, `评价时间：${fmtTime(o.rating.at)}`),
      );
    }
    if (!o.canRate) return null;
    const errId = uid('score-err');
    const stars = starGroup(h('span', null, '满意度', h('span', { class: 'req' }, '（必选）')), errId);
    const scoreErr = fieldError(errId);
    const commentId = uid('comment');
    const comment = h('textarea', { id: commentId, rows: 3, maxlength: 500, 'aria-describedby': `${commentId}-err` });
    const commentErr = fieldError(`${commentId}-err`);
    const general = h('div', { class: 'alert', role: 'alert', hidden: true });
    const btn = h('button', { type: 'submit', class: 'btn primary block' }, '提交评价');
    clearOnEdit(stars.fieldset, stars.first, scoreErr);
    let sending = false;
    const form = h(
      'form',
      {
        class: 'form', novalidate: true, 'aria-labelledby': 'rate-title',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          if (sending) return;
          setFieldError(stars.first, scoreErr, null);
          setFieldError(comment, commentErr, null);
          general.hidden = true;
          const score = stars.value();
          if (!score) {
            setFieldError(stars.first, scoreErr, '满意度：请选择 1–5 星');
            stars.first.focus();
            return;
          }
          sending = true;
          busy(btn, true, '正在提交…');
          try {
            const text = comment.value.trim();
            await api(`/api/public/opinions/${encodeURIComponent(code)}/rating`, { method: 'POST', body: { score, ...(text ? { comment: text } : {}) }, signal });
            load(() => (document.getElementById('rating-title') as HTMLElement | null)?.focus());
          } catch (err) {
            if (signal.aborted) return;
            const ae = err as ApiError;
            if (ae.status === 409) return load(() => (document.getElementById('rating-title') as HTMLElement | null)?.focus());
            if (ae.field === 'comment') {
              setFieldError(comment, commentErr, ae.message);
              comment.focus();
            } else if (ae.field === 'score') {
              setFieldError(stars.first, scoreErr, ae.message);
            } else {
              general.textContent = ae.retryable ? `${ae.message}请点击“提交评价”重试。` : ae.message;
              general.hidden = false;
            }
          } finally {
            sending = false;
            if (!signal.aborted && btn.isConnected) busy(btn, false);
          }
        },
      },
      h('h2', { id: 'rate-title' }, '评价办理结果'),
      h('p', { class: 'hint' }, '您的意见已答复，请对办理结果进行评价（只能评价一次）。'),
      stars.fieldset,
      scoreErr,
      h('div', { class: 'field' }, h('label', { for: commentId }, '评价内容', h('span', { class: 'opt' }, '（选填）')), comment, commentErr),
      general,
      btn,
    );
    return h('section', { class: 'panel', id: 'rating' }, form);
  };

  load();
};
