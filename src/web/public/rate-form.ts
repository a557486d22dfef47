// The rating form of the public pages (an answered opinion, a finished ledger item): 1–5 stars, an
// optional comment, each error at its field, and the server's answer handed back to the page.

import type { ApiError } from './api.js';
import { busy, clearOnEdit, fieldError, h, setFieldError, uid } from './dom.js';
import { starGroup } from './stars.js';
import { S } from './strings.js';

export interface RateFormOptions {
  title: string;
  hint: string;
  comment: string;
  commentHint?: string;
  maxComment: number;
  send: string;
  /** The general error line for an answer worth trying again. */
  retry: (message: string) => string;
  /** The server's name of the score field, for a 400 aimed at it. */
  scoreField: string;
  submit: (score: number, comment: string | undefined) => Promise<unknown>;
  /** Saved: the page shows the rating its own way. */
  done: () => void;
  /** 409: nothing the form could change (already rated, not ratable any more). */
  refused: (e: ApiError) => void;
  signal: AbortSignal;
}

export function rateForm(o: RateFormOptions): HTMLFormElement {
  const errId = uid('score-err');
  const stars = starGroup(h('span', null, S.stars.legend, h('span', { class: 'req' }, S.stars.required)), errId);
  const scoreErr = fieldError(errId);
  const commentId = uid('comment');
  const hintId = o.commentHint ? `${commentId}-hint` : '';
  const comment = h('textarea', { id: commentId, rows: 3, maxlength: o.maxComment, 'aria-describedby': `${hintId} ${commentId}-err`.trim() });
  const commentErr = fieldError(`${commentId}-err`);
  const general = h('div', { class: 'alert', role: 'alert', hidden: true });
  const btn = h('button', { type: 'submit', class: 'btn primary block' }, o.send);
  clearOnEdit(stars.fieldset, stars.first, scoreErr);
  clearOnEdit(comment, comment, commentErr);
  let sending = false;

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (sending) return;
    setFieldError(stars.first, scoreErr, null);
    setFieldError(comment, commentErr, null);
    general.hidden = true;
    const score = stars.value();
    if (!score) {
      setFieldError(stars.first, scoreErr, S.stars.missing);
      stars.first.focus();
      return;
    }
    sending = true;
    busy(btn, true, S.common.submitting);
    try {
      await o.submit(score, comment.value.trim() || undefined);
      o.done();
    } catch (err) {
      if (o.signal.aborted) return;
      const ae = err as ApiError;
      if (ae.status === 409) return o.refused(ae);
      if (ae.field === 'comment') {
        setFieldError(comment, commentErr, ae.message);
        comment.focus();
      } else if (ae.field === o.scoreField) {
        setFieldError(stars.first, scoreErr, ae.message);
        stars.first.focus();
      } else {
        general.textContent = ae.retryable ? o.retry(ae.message) : ae.message;
        general.hidden = false;
      }
    } finally {
      sending = false;
      if (!o.signal.aborted && btn.isConnected) busy(btn, false);
    }
  };

  return h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'rate-title', onsubmit: onSubmit },
    h('h2', { id: 'rate-title' }, o.title),
    h('p', { class: 'hint' }, o.hint),
    stars.fieldset,
    scoreErr,
    h(
      'div',
      { class: 'field' },
      h('label', { for: commentId }, o.comment, h('span', { class: 'opt' }, S.common.optional)),
      o.commentHint ? h('p', { class: 'hint', id: hintId }, o.commentHint) : null,
      comment,
      commentErr,
    ),
    general,
    btn,
  );
}
