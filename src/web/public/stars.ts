// A 1–5 star choice that is a real radio group: arrow keys, a legend, a label per star for screen
// readers ("4 星：满意"), and 48-px touch targets.

import { h, uid } from './dom.js';
import { S } from './strings.js';

export const starText = (score: number) => S.stars.text(score);

export function starGroup(legend: Node | string, errId: string) {
  const name = uid('stars');
  const said = h('p', { class: 'star-text' }, S.stars.choose);
  const labels: HTMLLabelElement[] = [];
  const inputs: HTMLInputElement[] = [];
  const paint = () => {
    const v = value();
    labels.forEach((l, i) => l.classList.toggle('on', v !== null && i < v));
    said.textContent = v ? S.stars.chosen(v) : S.stars.choose;
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
