// 提交成功: the receipt code, shown once. It lives in this history entry's state (kept across a
// refresh, never written to storage) and on this device only if the user asks for it.

import { h, heading } from './dom.js';
import { rememberReceipt, savedReceipts } from './ids.js';
import { setTitle, type View } from './router.js';
import { S } from './strings.js';
import type { Receipt } from './submit.js';

const T = S.receipt;

async function copyText(text: string, source: HTMLElement): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  // Plain-HTTP pages have no clipboard API: select the code and let the browser copy the selection.
  const range = document.createRange();
  range.selectNodeContents(source);
  const sel = window.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

export const receiptView: View = (root, { state }) => {
  const r = (state && state.receipt) as Receipt | undefined;
  if (!r || typeof r.receiptCode !== 'string') {
    setTitle(T.none);
    root.append(
      heading(T.none),
      h('p', null, T.noneText),
      h('p', { class: 'actions' }, h('a', { class: 'btn primary', href: '/public/track' }, T.track), h('a', { class: 'btn', href: '/public' }, S.common.home)),
    );
    return;
  }
  setTitle(T.title);
  const codeEl = h('p', { class: 'code', id: 'receipt-code', translate: 'no' }, r.receiptCode);
  const copied = h('p', { class: 'copied', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'btn', 'aria-describedby': 'receipt-code' }, T.copy);
  copy.addEventListener('click', async () => {
    const ok = await copyText(r.receiptCode, codeEl);
    copied.textContent = ok ? T.copied : T.copyFailed;
  });

  const remembered = savedReceipts().some((x) => x.code === r.receiptCode);
  const keep = h('input', { type: 'checkbox', checked: remembered, 'aria-describedby': 'keep-hint' });
  const keepState = h('p', { class: 'copied', 'aria-live': 'polite' });
  keep.addEventListener('change', () => {
    const ok = rememberReceipt({ code: r.receiptCode, publicNo: r.publicNo, at: new Date().toISOString() }, keep.checked);
    keepState.textContent = !ok ? T.cannotStore : keep.checked ? T.remembered : T.forgotten;
  });

  root.append(
    heading(T.title),
    h('p', { class: 'intro' }, T.intro),
    h(
      'section',
      { class: 'receipt', 'aria-labelledby': 'receipt-title' },
      h('h2', { id: 'receipt-title' }, T.code),
      codeEl,
      copy,
      copied,
      h('dl', { class: 'facts' }, h('div', null, h('dt', null, T.publicNo), h('dd', { translate: 'no' }, r.publicNo))),
    ),
    h(
      'div',
      { class: 'warn', role: 'note' },
      h('p', null, h('strong', null, T.keepSafe)),
      h('p', null, T.showOnce),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { class: 'choice' }, keep, h('span', null, T.remember)),
      h('p', { class: 'hint', id: 'keep-hint' }, T.rememberHint),
      keepState,
    ),
    h(
      'p',
      { class: 'actions' },
      h('a', { class: 'btn primary', href: `/public/track/${encodeURIComponent(r.receiptCode)}` }, T.follow),
      h('a', { class: 'btn', href: '/public' }, S.common.home),
    ),
  );
};
