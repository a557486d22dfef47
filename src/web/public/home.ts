// 首页: what the public can do here, and a service-status line that never gets in the way on weak or
// absent networks (the page is fully usable without it).

import { h, heading } from './dom.js';
import { setTitle, type View } from './router.js';

type State = 'checking' | 'ok' | 'down' | 'offline';
const STATUS_TEXT: Record<State, string> = {
  checking: '正在检查服务状态…',
  ok: '服务运行正常',
  down: '服务暂时无法连接，请稍后再试',
  offline: '当前网络不可用，联网后将自动重试',
};

function card(title: string, text: string, href: string | null) {
  return h(
    'li',
    { class: href ? 'card card-link' : 'card' },
    h('h3', null, href ? h('a', { href }, title) : title),
    h('p', null, text),
    href ? h('span', { class: 'go', 'aria-hidden': 'true' }, '›') : h('span', { class: 'soon' }, '即将开放'),
  );
}

export const homeView: View = (root, { signal }) => {
  setTitle('教育整顿公众参与');
  const text = h('span', null, STATUS_TEXT.checking);
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-state': 'checking' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), text);
  const show = (s: State) => {
    status.dataset.state = s;
    text.textContent = STATUS_TEXT[s];
  };

  root.append(
    h(
      'div',
      { class: 'hero' },
      heading('教育整顿公众参与'),
      h('p', { class: 'lead' }, '政法队伍教育整顿，欢迎群众监督。您可以在这里提出意见建议、查看办理进度和答复、参加问卷调查。'),
    ),
    status,
    h('h2', { class: 'section' }, '您可以在这里'),
    h(
      'ul',
      { class: 'cards' },
      card('提交意见建议', '对政法队伍和司法行政工作提出意见、建议或反映问题，可实名，也可匿名。提交后获得查询码。', '/public/submit'),
      card('查询办理进度', '凭查询码查看办理进度与答复，并对办理结果进行满意度评价。', '/public/track'),
      card('参加问卷调查', '填写正在开展的调查问卷，匿名参与，帮助我们改进工作。', '/public/surveys'),
      card('整治事项公开清单', '查看向社会公开的整治事项、整改目标、完成时限与进展，以及监督举报方式。', null),
    ),
    h(
      'section',
      { class: 'note', 'aria-labelledby': 'privacy-title' },
      h('h2', { id: 'privacy-title' }, '关于个人信息'),
      h('p', null, '匿名提交不需要填写姓名和联系方式。实名提交的个人信息仅用于办理和回复，加密保存，不对外公开。'),
    ),
  );

  let checking = false;
  const check = async () => {
    if (checking || signal.aborted) return;
    if (!navigator.onLine) return show('offline');
    checking = true;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 8000);
    try {
      const res = await fetch('/api/health', { signal: ctrl.signal, cache: 'no-store', credentials: 'omit' });
      const body = res.ok ? await res.json() : null;
      if (!signal.aborted) show(body && body.status === 'ok' ? 'ok' : 'down');
    } catch {
      if (!signal.aborted) show(navigator.onLine ? 'down' : 'offline');
    } finally {
      clearTimeout(timer);
      checking = false;
    }
  };
  const online = () => void check();
  const offline = () => show('offline');
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  void check();
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  };
};
