// 调查问卷: the published questionnaires, and one filled in anonymously. "One per device" rests on a
// random device id kept in this browser (no fingerprinting, nothing personal).

import { api, ApiError, loadMeta } from './api.js';
import { append, busy, clearOnEdit, failure, fieldError, h, heading, loading, relabel, replace, setFieldError, summaryFollows, uid, type Child } from './dom.js';
import { deviceId, markSurveyDone, surveyDone } from './ids.js';
import { Pow, type PowState } from './pow.js';
import { setTitle, type View } from './router.js';
import { starGroup } from './stars.js';
import { S } from './strings.js';
import { fmtDate } from './time.js';

const T = S.surveys;

interface SurveyItem {
  id: string;
  title: string;
  description: string | null;
  questionCount: number;
  onePerDevice: boolean;
  publishedAt: string | null;
}
type Option = string | { value?: string; label?: string };
interface Question {
  id: string;
  seq: number;
  kind: 'single' | 'multiple' | 'rating' | 'text';
  title: string;
  options: Option[] | null;
  required: boolean;
}
interface Survey {
  id: string;
  title: string;
  description: string | null;
  onePerDevice: boolean;
  questions: Question[];
}

const optValue = (o: Option) => (typeof o === 'string' ? o : String(o.value ?? o.label ?? ''));
const optLabel = (o: Option) => (typeof o === 'string' ? o : String(o.label ?? o.value ?? ''));

export const surveyListView: View = (root, { signal }) => {
  setTitle(T.title);
  const body = h('div', null);
  root.append(heading(T.title), h('p', { class: 'intro' }, T.intro), body);
  const load = () => {
    replace(body, loading(S.common.loading));
    api<{ items: SurveyItem[] }>('/api/public/surveys', { signal }).then(
      ({ data }) => {
        if (signal.aborted) return;
        if (!data.items.length) return replace(body, h('p', { class: 'empty' }, T.none));
        replace(
          body,
          h(
            'ul',
            { class: 'cards' },
            data.items.map((s) =>
              h(
                'li',
                { class: 'card card-link' },
                h('h2', { class: 'card-title' }, h('a', { href: `/public/surveys/${encodeURIComponent(s.id)}` }, s.title)),
                s.description ? h('p', null, s.description) : null,
                h(
                  'p',
                  { class: 'muted' },
                  [T.count(s.questionCount), s.onePerDevice ? T.onePerDevice : null, s.publishedAt ? T.publishedAt(fmtDate(s.publishedAt)) : null].filter(Boolean).join(' · '),
                ),
                h('span', { class: 'go', 'aria-hidden': 'true' }, '›'),
              ),
            ),
          ),
        );
      },
      (e: ApiError) => {
        if (signal.aborted) return;
        if (e.status === 404) return replace(body, h('p', { class: 'empty' }, T.none));
        replace(body, failure(e, load, signal));
      },
    );
  };
  load();
};

interface Asker {
  el: HTMLElement;
  focusEl: HTMLElement;
  err: HTMLElement;
  answer: () => string | string[] | number | null;
}

function asker(q: Question, n: number): Asker {
  const errId = uid('q-err');
  const err = fieldError(errId);
  const legend: Child[] = [`${n}. ${q.title}`, q.required ? h('span', { class: 'req' }, T.requiredMark) : h('span', { class: 'opt' }, T.optionalMark)];
  const options = (q.options ?? []).filter((o) => optLabel(o));
  if (q.kind === 'single' || q.kind === 'multiple') {
    const name = uid('q');
    const inputs = options.map((o) => h('input', { type: q.kind === 'single' ? 'radio' : 'checkbox', name, value: optValue(o) }));
    const el = h(
      'fieldset',
      { class: 'field question', 'aria-describedby': errId },
      h('legend', null, ...legend, q.kind === 'multiple' ? h('span', { class: 'opt' }, T.multiple) : null),
      inputs.map((input, i) => h('label', { class: 'choice' }, input, h('span', null, optLabel(options[i]!)))),
      err,
    );
    return {
      el, err, focusEl: inputs[0] ?? el,
      answer: () => {
        const picked = inputs.filter((i) => i.checked).map((i) => i.value);
        if (q.kind === 'single') return picked[0] ?? null;
        return picked.length ? picked : null;
      },
    };
  }
  if (q.kind === 'rating') {
    const stars = starGroup(h('span', null, ...legend), errId);
    const el = h('div', { class: 'question' }, stars.fieldset, err);
    return { el, err, focusEl: stars.first, answer: () => stars.value() };
  }
  const id = uid('q');
  const ta = h('textarea', { id, rows: 4, maxlength: 1000, 'aria-describedby': errId });
  const el = h('div', { class: 'field question' }, h('label', { for: id }, ...legend), ta, err);
  return { el, err, focusEl: ta, answer: () => ta.value.trim() || null };
}

export const surveyView: View = (root, { params, signal }) => {
  setTitle(T.title);
  const title = heading(T.title);
  const body = h('div', null, loading(S.common.loading));
  root.append(title, body);
  const id = params[0] ?? '';
  let pow: Pow | undefined;

  const ended = (text: string) => h('p', { class: 'info', role: 'status' }, text);
  const load = () => {
    replace(body, loading(S.common.loading));
    Promise.all([api<Survey>(`/api/public/surveys/${encodeURIComponent(id)}`, { signal }), loadMeta()]).then(
      ([{ data }, meta]) => {
        if (signal.aborted) return;
        title.textContent = data.title;
        setTitle(data.title);
        if (data.onePerDevice && surveyDone(data.id)) {
          return replace(body, h('div', { class: 'success' }, h('h2', null, T.answered), h('p', null, T.answeredText)), back());
        }
        pow?.stop();
        pow = meta.challenge ? new Pow(true, (s) => powState(s)) : undefined;
        replace(body, form(data));
      },
      (e: ApiError) => {
        if (signal.aborted) return;
        if (e.status === 404) {
          title.textContent = T.notFound;
          return replace(body, ended(T.notFoundText), back());
        }
        if (e.status === 410) return replace(body, ended(T.ended), back());
        replace(body, failure(e, load, signal));
      },
    );
  };
  const back = () => h('p', { class: 'actions' }, h('a', { class: 'btn', href: '/public/surveys' }, T.others), h('a', { class: 'btn', href: '/public' }, S.common.home));

  const powLine = h('p', { class: 'pow', role: 'status', 'aria-live': 'polite' });
  const powState = (s: PowState) => {
    powLine.dataset.state = s;
    powLine.textContent = S.pow[s];
  };

  function form(s: Survey) {
    const qs = [...s.questions].sort((a, b) => a.seq - b.seq);
    const askers = qs.map((q, i) => asker(q, i + 1));
    const honeypot = h('input', { type: 'text', name: 'website', id: uid('website'), tabindex: '-1', autocomplete: 'off' });
    const general = h('div', { class: 'alert', role: 'alert', hidden: true });
    const btn = h('button', { type: 'submit', class: 'btn primary block' }, T.send);
    const formEl = h('form', { class: 'form', novalidate: true, 'aria-label': s.title });
    const after = summaryFollows(formEl, general);
    for (const a of askers) clearOnEdit(a.el, a.focusEl, a.err, after);
    let sending = false;

    const done = (head: string, text: string) => {
      const msg = h('div', { class: 'success', role: 'status' }, h('h2', { tabindex: '-1' }, head), h('p', null, text));
      replace(body, msg, back());
      (msg.querySelector('h2') as HTMLElement).focus();
    };

    const onSubmit = async (e: Event) => {
      e.preventDefault();
      if (sending) return;
      general.hidden = true;
      const answers: Record<string, string | string[] | number> = {};
      let firstBad: Asker | undefined;
      qs.forEach((q, i) => {
        const a = askers[i]!;
        const v = a.answer();
        const bad = q.required && v === null;
        setFieldError(a.focusEl, a.err, bad ? T.requiredMissing : null);
        if (bad) firstBad ??= a;
        if (v !== null) answers[q.id] = v;
      });
      if (firstBad) {
        general.textContent = T.missingSummary;
        general.hidden = false;
        firstBad.focusEl.focus();
        return;
      }
      sending = true;
      busy(btn, true, pow && powLine.dataset.state !== 'done' ? S.pow.working : S.common.submitting);
      try {
        const send = async () => {
          const altcha = pow ? await pow.get() : undefined;
          busy(btn, true, S.common.submitting);
          return api(`/api/public/surveys/${encodeURIComponent(s.id)}/responses`, {
            method: 'POST', signal,
            body: { deviceId: deviceId(), answers, website: honeypot.value, ...(altcha ? { altcha } : {}) },
          });
        };
        try {
          await send();
        } catch (err) {
          if (!(err instanceof ApiError) || err.code !== 'CHALLENGE' || !pow) throw err;
          pow.renew();
          await send();
        }
        pow?.stop();
        if (s.onePerDevice) markSurveyDone(s.id);
        done(T.sent, T.sentText);
      } catch (err) {
        if (signal.aborted) return;
        const ae = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
        if (ae.status === 409) {
          markSurveyDone(s.id);
          return done(T.answered, T.answeredText);
        }
        if (ae.status === 410) return done(T.closed, T.closedText);
        const qid = ae.field?.startsWith('answers.') ? ae.field.slice(8) : undefined;
        const i = qid ? qs.findIndex((q) => q.id === qid) : -1;
        if (i >= 0) {
          setFieldError(askers[i]!.focusEl, askers[i]!.err, ae.message);
          askers[i]!.focusEl.focus();
        }
        general.textContent = ae.retryable ? T.retry(ae.message) : ae.message;
        general.hidden = false;
        if (ae.retryable) relabel(btn, S.common.resubmit);
        if (ae.code === 'CHALLENGE') pow?.renew();
      } finally {
        sending = false;
        if (!signal.aborted && btn.isConnected) busy(btn, false);
      }
    };

    formEl.addEventListener('submit', onSubmit);
    append(formEl, [
      s.description ? h('p', { class: 'intro pre' }, s.description) : null,
      s.onePerDevice ? h('p', { class: 'hint' }, T.onePerDeviceNote) : null,
      askers.map((a) => a.el),
      h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', { for: honeypot.id }, S.submit.honeypot), honeypot),
      pow ? powLine : null,
      general,
      btn,
    ]);
    return formEl;
  }

  load();
  return () => pow?.stop();
};
