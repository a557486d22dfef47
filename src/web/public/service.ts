// 便民利民措施公开: the measures the bureau publishes, by group, each with its responsible unit, due
// date, milestones and progress (never a person's name: GET /api/public/service-measures answers none).
// One request; a bounded list (a few dozen measures), so no paging.

import { api, ApiError } from './api.js';
import { failure, h, heading, loading, replace, uid } from './dom.js';
import { setTitle, type View } from './router.js';
import { SS as T } from './service-strings.js';
import { S } from './strings.js';

interface Measure {
  id: string;
  number: number;
  title: string;
  description: string | null;
  unitName: string;
  startDate: string | null;
  dueDate: string | null;
  progress: number;
  status: 'not_started' | 'in_progress' | 'done' | 'overdue';
  statusLabel: string;
  doneOn: string | null;
  milestones: { title: string; dueDate: string | null; done: boolean }[];
}
interface Answer {
  total: number;
  done: number;
  groups: { group: string; label: string; items: Measure[] }[];
}

function progressBar(value: number) {
  const v = Math.max(0, Math.min(100, Math.round(Number(value) || 0)));
  const id = uid('progress');
  const fill = h('span', { class: 'fill' });
  fill.style.inlineSize = `${v}%`;
  return h(
    'div',
    { class: 'progress' },
    h('span', { id }, T.progress, ' ', h('strong', null, T.percent(v))),
    h('div', { class: 'bar', role: 'progressbar', 'aria-labelledby': id, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': v }, fill),
  );
}

const row = (label: string, value: string) => h('div', null, h('dt', null, label), h('dd', null, value));

function card(m: Measure) {
  const done = m.milestones.filter((x) => x.done).length;
  return h(
    'li',
    { class: `card item${m.status === 'overdue' ? ' late' : ''}`, 'data-measure': m.id },
    h('h3', { class: 'card-title' }, `${T.number(m.number)}　${m.title}`),
    h(
      'p',
      { class: 'tags' },
      h('span', { class: `badge s-${m.status}` }, h('span', { class: 'sr-only' }, T.status), m.status === 'overdue' ? h('span', { 'aria-hidden': 'true' }, '⚠ ') : null, m.statusLabel),
    ),
    h(
      'dl',
      { class: 'facts compact' },
      row(T.fields.unit, m.unitName),
      row(T.fields.due, m.dueDate ?? T.longTerm),
      m.doneOn ? row(T.fields.doneOn, m.doneOn) : null,
    ),
    progressBar(m.progress),
    m.milestones.length
      ? h(
          'details',
          { class: 'milestones' },
          h('summary', null, T.milestones(done, m.milestones.length)),
          h(
            'ul',
            null,
            m.milestones.map((x) =>
              h('li', null, h('span', { 'aria-hidden': 'true' }, x.done ? '✓ ' : '○ '), x.title, x.dueDate ? `（${x.dueDate}）` : '', h('span', { class: 'sr-only' }, x.done ? T.milestoneDone : T.milestoneOpen)),
            ),
          ),
        )
      : null,
  );
}

export const serviceMeasuresView: View = (root, { signal }) => {
  setTitle(T.title);
  const body = h('div', null);
  root.append(heading(T.title), h('p', { class: 'intro' }, T.intro), body);
  const load = () => {
    replace(body, loading(S.common.loading));
    api<Answer>('/api/public/service-measures', { signal }).then(
      ({ data }) => {
        if (signal.aborted) return;
        if (!data.total) return replace(body, h('p', { class: 'empty' }, T.none));
        replace(
          body,
          h('p', { class: 'muted', role: 'status' }, T.summary(data.total, data.done)),
          ...data.groups.map((g) => {
            const id = uid('group');
            return h(
              'section',
              { 'aria-labelledby': id, class: 'measure-group' },
              h('h2', { class: 'section', id }, g.label, ' ', h('span', { class: 'muted' }, `（${T.groupCount(g.items.length)}）`)),
              h('ul', { class: 'cards items' }, g.items.map(card)),
            );
          }),
          h(
            'section',
            { class: 'note report', 'aria-labelledby': 'service-report-title' },
            h('h2', { id: 'service-report-title' }, T.report),
            h('p', { class: 'actions' }, h('a', { class: 'btn primary', href: '/public/submit' }, T.submit), h('a', { class: 'btn', href: '/public' }, S.common.home)),
          ),
        );
      },
      (e: ApiError) => {
        if (!signal.aborted) replace(body, failure(e, load, signal));
      },
    );
  };
  load();
};
