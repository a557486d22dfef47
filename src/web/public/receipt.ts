// 提交成功: the receipt code, shown once. It lives in this history entry's state (kept across a
// refresh, never written to storage) and on this device only if the user asks for it.

import { h, heading } from './dom.js';
import { rememberReceipt, savedReceipts } from './ids.js';
import { setTitle, type View } from './router.js';
import type { Receipt } from './submit.js';

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
    setTitle('没有可显示的回执');
    root.append(
      heading('没有可显示的回执'),
      h('p', null, '查询码只在提交成功后显示一次。如您已保存查询码，可凭查询码查看办理进度。'),
      h('p', { class: 'actions' }, h('a', { class: 'btn primary', href: '/public/track' }, '查询办理进度'), h('a', { class: 'btn', href: '/public' }, '返回首页')),
    );
    return;
  }
  setTitle('提交成功');
  const codeEl = h('p', { class: 'code', id: 'receipt-code', translate: 'no' }, r.receiptCode);
  const copied = h('p', { class: 'copied', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'btn', 'aria-describedby': 'receipt-code' }, '复制查询码');
  copy.addEventListener('click', async () => {
    const ok = await copyText(r.receiptCode, codeEl);
    copied.textContent = ok ? '已复制查询码' : '无法自动复制，请长按查询码手动复制';
  });

  const remembered = savedReceipts().some((x) => x.code === r.receiptCode);
  const keep = h('input', { type: 'checkbox', checked: remembered, 'aria-describedby': 'keep-hint' });
  const keepState = h('p', { class: 'copied', 'aria-live': 'polite' });
  keep.addEventListener('change', () => {
    const ok = rememberReceipt({ code: r.receiptCode, publicNo: r.publicNo, at: new Date().toISOString() }, keep.checked);
    keepState.textContent = !ok ? '本机浏览器不允许保存，请自行记下查询码' : keep.checked ? '已在本机记住查询码' : '已从本机删除查询码';
  });

  root.append(
    heading('提交成功'),
    h('p', { class: 'intro' }, '您的意见建议已收到，我们将及时办理并答复。'),
    h(
      'section',
      { class: 'receipt', 'aria-labelledby': 'receipt-title' },
      h('h2', { id: 'receipt-title' }, '您的查询码'),
      codeEl,
      copy,
      copied,
      h('dl', { class: 'facts' }, h('div', null, h('dt', null, '意见编号'), h('dd', { translate: 'no' }, r.publicNo))),
    ),
    h(
      'div',
      { class: 'warn', role: 'note' },
      h('p', null, h('strong', null, '请妥善保存查询码，凭此码查询办理进度，丢失无法找回。')),
      h('p', null, '查询码只显示这一次，建议截图或抄写保存，不要告诉他人。'),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { class: 'choice' }, keep, h('span', null, '在本机记住查询码')),
      h('p', { class: 'hint', id: 'keep-hint' }, '勾选后查询码保存在本机浏览器中，可在“查询办理进度”页找到。公共或他人的手机请勿勾选。'),
      keepState,
    ),
    h(
      'p',
      { class: 'actions' },
      h('a', { class: 'btn primary', href: `/public/track/${encodeURIComponent(r.receiptCode)}` }, '查看办理进度'),
      h('a', { class: 'btn', href: '/public' }, '返回首页'),
    ),
  );
};
