// Service worker of the 1155 field entry (scope /field/): keeps the page's own shell and its built
// assets so the page opens in a village with no signal. Hand-written rather than vite-plugin-pwa +
// Workbox: it needs exactly two rules (the shell network-first, hashed assets cache-first) and learns
// the asset list from the shell itself, so it adds no build step and no runtime library.
// API requests are never touched: the page's outbox (IndexedDB) handles sending later.
const CACHE = 'village-field-v1';
const SHELL = '/field/';

async function precache() {
  const cache = await caches.open(CACHE);
  const res = await fetch(SHELL, { cache: 'no-cache', credentials: 'same-origin' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put(SHELL, res);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll([...new Set(assets)]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('village-field-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === SHELL || url.pathname === '/field/index.html') {
    // Network first (a new release shows at once), the kept shell with no signal.
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const res = await fetch(req);
          if (res.ok) {
            await cache.put(SHELL, res.clone());
            // A new release names new assets: keep them too.
            const html = await res.clone().text();
            const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
            event.waitUntil(Promise.all(assets.map((a) => cache.match(a).then((hit) => hit || cache.add(a).catch(() => undefined)))));
          }
          return res;
        } catch {
          return (await cache.match(SHELL)) || Response.error();
        }
      })(),
    );
  } else if (url.pathname.startsWith('/assets/')) {
    // Hashed names never change content: the kept copy, else the network (kept for next time).
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const hit = await cache.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) await cache.put(req, res.clone());
        return res;
      })(),
    );
  }
});
