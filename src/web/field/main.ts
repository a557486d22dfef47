// 法律志愿服务进乡村“1155”工程 — the cadre's field entry on a phone (served at /field/, no framework).
// It uses the staff session (sign in at /login first). Saving a service or a visit always writes to the
// outbox on the phone first (outbox.ts), then tries to send; whatever could not go stays 待发送 and is sent
// again on page load, when the phone comes back online and every 30 seconds. The server stores a record
// sent twice once (the id is made here), so retrying is always safe. A service worker (/field/sw.js)
// keeps this page's own files, so it opens with no signal at all.
import { COMPLIANCE_STATES, SERVICE_KINDS, YEARLY_SERVICES, YEARLY_VISITS, type ComplianceState } from '../../shared/schemas/village-labels.js';
import { prepareUpload } from '../public/shrink.js';
import * as outbox from './outbox.js';
import type { OutboxItem } from './outbox.js';

interface Mine {
  today: string;
  year: number;
  pairing: null | {
    id: string; villageName: string; villageKindLabel: string; countyName: string; startYear: number; endYear: number; cadreName: string;
    thisYear: { services: number; visits: number; peopleReached: number; state: ComplianceState; projectedServices: number; projectedVisits: number };
    deliverables: { kind: string; label: string; status: string; statusLabel: string }[];
  };
}

const MINE_KEY = 'village-field:mine';
const PHOTO_MAX_BYTES = 1_500_000;
const RETRY_MS = 30_000;

const main = document.getElementById('main')!;
let mine: Mine | null = readCachedMine();
let signedOut = false;
let sending = false;
let form: 'service' | 'visit' = 'visit';
let items: OutboxItem[] = [];
const sentNow: { id: string; label: string }[] = [];

function readCachedMine(): Mine | null {
  try {
    return JSON.parse(localStorage.getItem(MINE_KEY) ?? 'null') as Mine | null;
  } catch {
    return null;
  }
}

type Child = Node | string | null | undefined | false;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | ((e: Event) => void)> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else if (v !== false) el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Today's date in Asia/Shanghai, whatever zone the phone is set to. */
function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function csrf(): string {
  const m = document.cookie.match(/(?:^|;\s*)rectify_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]!) : '';
}

/** A request; null when it never got an answer (no signal) or the server is temporarily away (5xx). */
async function call(method: string, url: string, body?: unknown): Promise<{ status: number; data: any } | null> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrf();
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 30_000);
  try {
    const res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store', signal: ctrl.signal });
    if (res.status >= 500) return null;
    const data = (res.headers.get('content-type') ?? '').includes('json') ? await res.json().catch(() => null) : null;
    if (res.status === 401) signedOut = true;
    return { status: res.status, data };
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

async function loadMine() {
  const r = await call('GET', '/api/village/mine');
  if (r && r.status === 200) {
    mine = r.data as Mine;
    signedOut = false;
    localStorage.setItem(MINE_KEY, JSON.stringify(mine));
  }
}

const label = (i: OutboxItem) => `${i.body.heldOn} ${i.body.type === 'visit' ? '走访' : (SERVICE_KINDS[i.body.serviceKind as keyof typeof SERVICE_KINDS] ?? '法律服务')}`;

/** Sends one item: its photos (each PUT under its own id), then the record. */
async function send(item: OutboxItem): Promise<'sent' | 'offline' | 'refused'> {
  for (const p of item.photos) {
    if (p.sent) continue;
    const fd = new FormData();
    fd.append('file', p.blob, p.name);
    const r = await call('PUT', `/api/village/photos/${p.id}`, fd);
    if (!r || r.status === 401) return 'offline';
    if (r.status >= 300) {
      item.error = r.data?.message ?? `照片上传失败（${r.status}）`;
      await outbox.put(item);
      return 'refused';
    }
    p.sent = true;
    await outbox.put(item);
  }
  const r = await call('POST', '/api/village/records', item.body);
  if (!r || r.status === 401) return 'offline';
  if (r.status >= 200 && r.status < 300) {
    // Acknowledged: only now does it leave the phone.
    await outbox.remove(item.id);
    sentNow.unshift({ id: item.id, label: label(item) });
    return 'sent';
  }
  item.error = r.data?.message ?? `发送失败（${r.status}）`;
  await outbox.put(item);
  return 'refused';
}

async function flush() {
  if (sending) return;
  sending = true;
  render();
  let sent = 0;
  try {
    for (const item of await outbox.all()) {
      const out = await send(item);
      if (out === 'offline') break;
      if (out === 'sent') sent++;
    }
    if (sent) await loadMine();
  } finally {
    sending = false;
    items = await outbox.all();
    render();
  }
}

async function save(ev: Event) {
  ev.preventDefault();
  const f = ev.target as HTMLFormElement;
  const data = new FormData(f);
  const err = f.querySelector<HTMLElement>('.form-error')!;
  const text = (k: string) => String(data.get(k) ?? '').trim();
  const heldOn = text('heldOn');
  const problems: string[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(heldOn)) problems.push('日期：请选择日期');
  else if (heldOn > shanghaiToday()) problems.push('日期：不能晚于今天');
  if (text('place').length < 2) problems.push('地点：至少 2 个字');
  if (text('summary').length < 5) problems.push('情况：至少 5 个字');
  if (form === 'visit' && text('visited').length < 2) problems.push('走访对象：至少 2 个字');
  const people = Number(text('peopleReached'));
  if (form === 'service' && (!Number.isInteger(people) || people < 0 || text('peopleReached') === '')) problems.push('服务人数：请填写不小于 0 的整数');
  if (problems.length) {
    err.textContent = problems.join('；');
    return;
  }
  err.textContent = '';
  if (!mine?.pairing) return;
  const button = f.querySelector<HTMLButtonElement>('button[type=submit]')!;
  button.disabled = true;
  try {
    const photos: OutboxItem['photos'] = [];
    for (const file of (f.elements.namedItem('photos') as HTMLInputElement).files ?? []) {
      const small = await prepareUpload(file, PHOTO_MAX_BYTES);
      if (!small) {
        err.textContent = `照片：${file.name} 无法处理，请换一张`;
        return;
      }
      photos.push({ id: crypto.randomUUID(), name: small.name, blob: small });
    }
    const item: OutboxItem = {
      id: crypto.randomUUID(),
      savedAt: new Date().toISOString(),
      photos,
      body: {
        pairingId: mine.pairing.id, type: form, heldOn, place: text('place'), summary: text('summary'), photoIds: photos.map((p) => p.id),
        ...(form === 'service' ? { serviceKind: text('serviceKind'), peopleReached: people } : { visited: text('visited') }),
      },
    };
    item.body.id = item.id;
    await outbox.put(item);
    items = await outbox.all();
    f.reset();
    render();
    document.getElementById('outbox-title')?.focus();
    void flush();
  } finally {
    button.disabled = false;
  }
}

async function drop(item: OutboxItem) {
  if (!confirm(`删除这条未能发送的记录（${label(item)}）？删除后无法恢复。`)) return;
  await outbox.remove(item.id);
  items = await outbox.all();
  render();
}

function field(labelText: string, id: string, control: HTMLElement) {
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), control);
}

function entryForm() {
  const today = shanghaiToday();
  const kinds = Object.entries(SERVICE_KINDS).map(([k, v]) => h('option', { value: k }, v));
  const thumbs = h('div', { class: 'thumbs' });
  const photos = h('input', { type: 'file', name: 'photos', accept: 'image/*', multiple: true });
  photos.addEventListener('change', () => {
    thumbs.replaceChildren(...[...(photos.files ?? [])].map((file) => h('img', { src: URL.createObjectURL(file), alt: file.name })));
  });
  const el = h(
    'form',
    { class: 'card', novalidate: true, 'aria-labelledby': 'form-title', onsubmit: (e) => void save(e) },
    h('h2', { id: 'form-title' }, form === 'visit' ? '登记走访' : '登记法律服务'),
    field('日期', 'f-date', h('input', { type: 'date', name: 'heldOn', value: today, max: today, required: true })),
    form === 'service' && field('服务类型', 'f-kind', h('select', { name: 'serviceKind' }, ...kinds)),
    field('地点', 'f-place', h('input', { name: 'place', value: mine?.pairing ? `${mine.pairing.villageName}` : '', required: true, maxlength: '100' })),
    form === 'service' && field('服务人数', 'f-people', h('input', { type: 'number', name: 'peopleReached', inputmode: 'numeric', min: '0', step: '1', value: '0' })),
    form === 'visit' && field('走访对象', 'f-visited', h('input', { name: 'visited', maxlength: '200', placeholder: '如：村党支部书记、五保户家庭' })),
    field('情况', 'f-summary', h('textarea', { name: 'summary', maxlength: '2000', required: true })),
    field('照片（可多张，自动压缩）', 'f-photos', photos),
    thumbs,
    h('p', { class: 'err form-error', role: 'alert' }),
    h('button', { type: 'submit', class: 'primary' }, '保存（无信号时先存在手机上）'),
  );
  el.addEventListener('reset', () => thumbs.replaceChildren());
  return el;
}

// The page in three parts: the status (network, pairing, counts, the form switch), the form, and the
// outbox. Status and outbox are redrawn whenever something changes; the form only when another kind of
// record is chosen or the pairing changes, so nothing typed is ever wiped by a redraw.
const statusBox = h('div');
const formBox = h('div');
const outboxBox = h('div');
let formKey = '';

function renderStatus() {
  const online = navigator.onLine;
  const p = mine?.pairing;
  const nodes: Child[] = [
    h('p', {}, h('span', { class: `net ${online ? 'on' : 'off'}`, role: 'status' }, online ? '网络已连接' : '无网络：记录先保存在手机上'), ' ',
      h('span', { class: 'muted' }, navigator.serviceWorker?.controller ? '已可离线打开' : '')),
  ];
  if (signedOut) {
    // Sessions end after a while idle: what is queued stays on the phone until the cadre signs in again.
    nodes.push(h('p', { class: 'alert' }, p ? '登录已过期，待发送的记录仍保存在手机上。请重新登录：' : '请先登录工作平台：',
      h('a', { href: '/login?next=/field/' }, '去登录'), '（登录后自动回到本页）'));
  }
  if (signedOut && !p) {
    // Nothing more to show until signed in.
  } else if (!mine) {
    nodes.push(h('p', { class: 'alert' }, online ? '正在读取结对信息…' : '无网络，且本机尚无结对信息。请在有信号时打开一次本页。'));
  } else if (!p) {
    nodes.push(h('p', { class: 'alert' }, '您目前没有结对中的嘎查村。如有疑问请联系本单位管理员。'));
  } else {
    const queued = items.filter((i) => !i.error);
    const y = p.thisYear;
    nodes.push(
      h('section', { class: 'card', 'aria-labelledby': 'pair-title' },
        h('h2', { id: 'pair-title' }, `${p.villageName}（${p.countyName.replace(/司法局$/, '')}）`),
        h('p', { class: 'muted' }, `结对期限 ${p.startYear}—${p.endYear} 年 · ${p.cadreName}`),
        h('div', { class: 'counts' },
          h('div', { class: 'count' }, h('b', {}, `${y.services}/${YEARLY_SERVICES}`), `${mine.year} 年法律服务`),
          h('div', { class: 'count' }, h('b', {}, `${y.visits}/${YEARLY_VISITS}`), `${mine.year} 年走访`)),
        h('p', {}, '达标情况：', h('span', { class: `state ${y.state}` }, COMPLIANCE_STATES[y.state]),
          h('span', { class: 'muted' }, ` · 按目前进度年末约服务 ${y.projectedServices} 次、走访 ${y.projectedVisits} 次`)),
        queued.length ? h('p', { class: 'muted' }, `另有 ${queued.length} 条待发送，发送后计入。`) : null),
      h('div', { class: 'tabs', role: 'group', 'aria-label': '登记类别' },
        h('button', { type: 'button', 'aria-pressed': String(form === 'visit'), onclick: () => { form = 'visit'; render(); } }, '走访'),
        h('button', { type: 'button', 'aria-pressed': String(form === 'service'), onclick: () => { form = 'service'; render(); } }, '法律服务')),
    );
  }
  const focused = statusBox.contains(document.activeElement) ? (document.activeElement as HTMLElement).textContent : null;
  statusBox.replaceChildren(...nodes.filter((n): n is Node => Boolean(n)));
  // A tab just pressed keeps the focus (it was redrawn).
  if (focused) [...statusBox.querySelectorAll('button')].find((b) => b.textContent === focused)?.focus();
}

function renderForm() {
  const key = mine?.pairing ? `${form}:${mine.pairing.id}` : '';
  if (key === formKey) return;
  formKey = key;
  formBox.replaceChildren(...(key ? [entryForm()] : []));
}

function renderOutbox() {
  const online = navigator.onLine;
  outboxBox.replaceChildren(
    h('section', { class: 'card', 'aria-labelledby': 'outbox-title' },
      h('h2', { id: 'outbox-title', tabindex: '-1' }, `发送情况${sending ? '（正在发送…）' : ''}`),
      items.length || sentNow.length
        ? h('ul', { class: 'outbox' },
            ...items.map((i) => h('li', { 'data-id': i.id }, h('span', {}, label(i), i.photos.length ? `（${i.photos.length} 张照片）` : '',
              i.error ? h('div', { class: 'err' }, i.error) : null),
              i.error
                ? h('span', {}, h('span', { class: 'tag refused' }, '未通过'), ' ', h('button', { type: 'button', onclick: () => void drop(i) }, '删除'))
                : h('span', { class: 'tag queued' }, '待发送'))),
            ...sentNow.slice(0, 5).map((s) => h('li', { 'data-id': s.id }, h('span', {}, s.label), h('span', { class: 'tag sent' }, '已发送'))))
        : h('p', { class: 'muted' }, '没有待发送的记录。'),
      items.some((i) => !i.error) && online ? h('button', { type: 'button', onclick: () => void flush(), disabled: sending }, '立即发送') : null),
  );
}

function render() {
  renderStatus();
  renderForm();
  renderOutbox();
}

async function start() {
  document.getElementById('boot')?.remove();
  main.append(statusBox, formBox, outboxBox);
  items = await outbox.all();
  render();
  await loadMine();
  render();
  void flush();
  window.addEventListener('online', () => {
    render();
    void loadMine().then(flush);
  });
  window.addEventListener('offline', render);
  setInterval(() => {
    if (navigator.onLine && items.some((i) => !i.error)) void flush();
  }, RETRY_MS);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/field/sw.js', { scope: '/field/' }).catch(() => undefined);
    navigator.serviceWorker.addEventListener('controllerchange', render);
  }
}

void start();
