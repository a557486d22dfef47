// A tiny DOM builder: the public pages stay free of any framework (page weight on weak networks).
// Handlers are attached with addEventListener — the CSP forbids inline handlers.

import type { ApiError } from './api.js';
import { S } from './strings.js';

export type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined | ((ev: any) => void);
export type Attrs = Record<string, AttrValue>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
      else if (k === 'class') el.className = String(v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function replace(el: Element, ...children: Child[]) {
  el.replaceChildren();
  append(el, children);
}

let seq = 0;
/** Ids that link labels, hints and errors (aria-describedby). */
export const uid = (prefix: string) => `${prefix}-${++seq}`;

/** The h1 of a view: focused after navigation so screen readers announce the new page. */
export function heading(text: string) {
  return h('h1', { class: 'title', tabindex: '-1' }, text);
}

/** The line shown while a view loads (announced politely to screen readers). */
export function loading(text: string) {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

/**
 * A load that failed: the reason and a retry button. Offline, it also says that it will retry by
 * itself, and does once the phone is back online (the view's `signal` drops that wait when left).
 */
export function failure(e: ApiError, retry: () => void, signal?: AbortSignal) {
  const btn = h('button', { type: 'button', class: 'btn' }, S.common.retry);
  const again = () => {
    window.removeEventListener('online', again);
    retry();
  };
  btn.addEventListener('click', again);
  const offline = !navigator.onLine;
  if (offline) window.addEventListener('online', again, { once: true, signal });
  return h('div', { class: 'alert', role: 'alert' }, h('p', null, S.common.loadFailed(e.message)), offline ? h('p', null, S.common.offline) : null, btn);
}

/** A field's error line: linked from its input with aria-describedby, empty (and hidden) until set. */
export function fieldError(id: string) {
  return h('p', { class: 'field-error', id, hidden: true });
}

export function setFieldError(input: HTMLElement | null, errEl: HTMLElement | null, message: string | null) {
  if (errEl) {
    errEl.textContent = message ?? '';
    errEl.hidden = !message;
  }
  if (input) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

/** Clears a field's error as soon as the user edits it (change/input bubble up from inside `target`);
 * `after` runs once it is cleared (e.g. to hide the form's summary when nothing is left to fix). */
export function clearOnEdit(target: HTMLElement, input: HTMLElement, errEl: HTMLElement, after?: () => void) {
  const clear = () => {
    if (errEl.hidden) return;
    setFieldError(input, errEl, null);
    after?.();
  };
  target.addEventListener('input', clear);
  target.addEventListener('change', clear);
}

/** Hides a form's error summary once none of its field errors is showing. */
export function summaryFollows(form: HTMLElement, summary: HTMLElement) {
  return () => {
    if (!form.querySelector('.field-error:not([hidden])')) summary.hidden = true;
  };
}

/** Marks a button busy (slow networks: the user sees that something happens, and cannot submit twice). */
export function busy(btn: HTMLButtonElement, on: boolean, busyText?: string) {
  if (on) {
    if (!btn.dataset.label) btn.dataset.label = btn.textContent ?? '';
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    btn.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), busyText ?? btn.dataset.label);
  } else {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
    btn.textContent = btn.dataset.label ?? btn.textContent;
    delete btn.dataset.label;
  }
}

/** Sets a button's resting label (e.g. 提交 → 重新提交 after a network error). */
export function relabel(btn: HTMLButtonElement, text: string) {
  if (btn.dataset.label !== undefined) btn.dataset.label = text;
  else btn.textContent = text;
}
