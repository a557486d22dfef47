// The public entry page: static content plus a service-status check that never gets in the way
// on weak or absent networks (the page is fully usable without it).

const statusEl = document.getElementById('status');
const textEl = document.getElementById('status-text');

type State = 'checking' | 'ok' | 'down' | 'offline';
const TEXT: Record<State, string> = {
  checking: '正在检查服务状态…',
  ok: '服务运行正常',
  down: '服务暂时无法连接，请稍后再试',
  offline: '当前网络不可用，联网后将自动重试',
};

function show(state: State) {
  if (!statusEl || !textEl) return;
  statusEl.dataset.state = state;
  textEl.textContent = TEXT[state];
}

let checking = false;
async function check() {
  if (checking) return;
  if (!navigator.onLine) return show('offline');
  checking = true;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 8000);
  try {
    const res = await fetch('/api/health', { signal: ctrl.signal, cache: 'no-store', credentials: 'omit' });
    const body = res.ok ? await res.json() : null;
    show(body && body.status === 'ok' ? 'ok' : 'down');
  } catch {
    show(navigator.onLine ? 'down' : 'offline');
  } finally {
    clearTimeout(timer);
    checking = false;
  }
}

window.addEventListener('online', () => void check());
window.addEventListener('offline', () => show('offline'));
void check();
