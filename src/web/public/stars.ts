// A 1–5 star choice that is a real radio group: arrow keys, a legend, a label per star for screen
// readers ("4 星：满意"), and 48-px touch targets.

import { h, uid } from './dom.js';

export const SCORE_TEXT = ['', '很不满意', '不满意', '一般', '满意', '很满意'];

export function starText(score: number) {
  return `${score} 星（${SCORE_TEXT[score] ?? ''}）`;
}

export function starGroup(legend: Node | string, errId: string) {
  const name = uid('stars');
  const said = h('p', { class: 'star-text' }, '请选择 1–5 星');
  const labels: HTMLLabelElement[] = [];
  const inputs: HTMLInputElement[] = [];
  const paint = () => {
    const v = value();
    labels.forEach((l, i) => l.classList.toggle('on', v !== null && i < v));
    said.textContent = v ? `已选择 ${starText(v)}` : '请选择 1–5 星';
  };
  const row = h('div', { class: 'stars' });
  for (let s = 1; s <= 5; s++) {
    const id = `${name}-${s}`;
    const input = h('input', { type: 'radio', class: 'star-input', name, value: s, id });
    input.addEventListener('change', paint);
    const label = h('label', { for: id, class: 'star' }, h('span', { 'aria-hidden': 'true' }, '★'), h('span', { class: 'sr-only' }, starText(s)));
    inputs.push(input);
    labels.push(label);
    // The (invisible) radio lies over its star: a tap lands on the input itself.
    row.append(h('span', { class: 'star-wrap' }, input, label));
  }
  const fieldset = h('fieldset', { class: 'field star-field', 'aria-describedby': errId }, h('legend', null, legend), row, said);
  function value(): number | null {
    const c = inputs.find((i) => i.checked);
    return c ? Number(c.value) : null;
  }
  return { fieldset, value, first: inputs[0]! };
}

/** A given rating, read out as text and shown as stars. */
export function starsShown(score: number) {
  return h(
    'span',
    { class: 'stars-shown' },
    h('span', { 'aria-hidden': 'true' }, '★'.repeat(score) + '☆'.repeat(5 - score)),
    h('span', { class: 'score-label' }, starText(score)),
  );
}
