// Every staff page as each role that may see it, in a real browser against the real server: the page
// opens with its heading, nothing fails (no console error, no page error, no failed request), axe
// finds nothing serious or critical, and what the browser downloads stays within the route's budget.
// One role that may not open a page gets the 403 page (checked the same way).
// The roles are shared out over three test files (smoke-*.test.ts) so they run beside each other.
//
// The routes and their permissions come from the staff app's own route table (src/web/admin/routes.ts):
// a new page joins this test by being in the table. Budgets are bytes, not timings: the JS and CSS files
// the browser requested while opening the route (cache off), each gzipped at level 9 from dist/web.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../src/shared/permissions.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, DEMO_PASSWORD } from '../support/db.js';
import { AUTH_ROUTES, ROUTES, type StaffRoute } from '../../src/web/admin/routes.js';
import { root, screenshotPath, startBrowserRun, type BrowserRun } from './support.js';

const KB = 1024;
/** The login page: the first thing anyone loads. */
const LOGIN_BUDGET = 150 * KB;
/** Every page of the app, opened directly (the frame and the page), charts aside. */
const ROUTE_BUDGET = 250 * KB;
/** The chart library, counted apart: it may load only on a page that draws a chart. */
const CHART_CHUNK = /^assets\/echarts-[^/]+\.js$/;

/** The demo's sign-ins and the built-in role each holds. */
export const DEMO_USERS = {
  admin: 'sysadmin', secadmin: 'secadmin', auditor: 'auditor', office: 'campaign_office', unitadmin: 'unit_admin', officer: 'officer',
  cluehandler: 'clue_handler',
} as const;
export type DemoUser = keyof typeof DEMO_USERS;

/** Every route can be opened by some demo user (the browser files each open what their users may). */
export function routesNobodyOpens(): string[] {
  const perms = new Set(Object.values(DEMO_USERS).flatMap((code) => BUILTIN_ROLES.find((r) => r.code === code)?.permissions ?? []));
  return ROUTES.filter((r) => r.perm && !perms.has(r.perm as never)).map((r) => r.path);
}
const VIEWPORT = { width: 1366, height: 768 };

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const webRoot = path.join(root, 'dist/web');
const gzipped = new Map<string, number>();
function gzipSize(asset: string): number {
  if (!gzipped.has(asset)) gzipped.set(asset, zlib.gzipSync(fs.readFileSync(path.join(webRoot, asset)), { level: 9 }).length);
  return gzipped.get(asset)!;
}

interface Visit {
  /** JS/CSS requested while the page opened (paths under dist/web). */
  assets: Set<string>;
  problems: string[];
}

/** Watches a page for anything a user would see go wrong, and for what it downloads. */
function watch(page: Page, expected: RegExp[] = []): Visit {
  const v: Visit = { assets: new Set(), problems: [] };
  const isExpected = (text: string) => expected.some((re) => re.test(text));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (/\.(js|css)$/.test(u.pathname)) v.assets.add(u.pathname.slice(1));
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !isExpected(m.text())) v.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => v.problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !isExpected(`${r.status()} ${r.url()}`)) v.problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    // A request the page itself abandoned on leaving is no failure the user sees.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') v.problems.push(`failed ${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
  });
  return v;
}

async function axeSerious(page: Page): Promise<string[]> {
  // Colours are checked as they end up, not mid-transition (a button fading in reads as low contrast).
  // Endless animations (a 进行中 badge's pulse) never end and are left alone.
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { timeout: 10_000 },
  );
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<any> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return (result.violations as any[])
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .map((x) => `${x.id} (${x.impact}): ${x.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join(' | ')}${x.nodes.length > 3 ? ` … +${x.nodes.length - 3}` : ''}`);
}

/** Opens a path in a fresh page of the context (cache off) and waits until it has settled. */
async function open(ctx: BrowserContext, base: string, url: string, expected: RegExp[] = []) {
  const page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const visit = watch(page, expected);
  await page.goto(base + url);
  return { page, visit };
}

async function settle(page: Page, heading: string) {
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
  await page.waitForLoadState('networkidle');
  // Spinners gone: the page shows its data, not a placeholder.
  await page.waitForFunction(() => !document.querySelector('.boot-spinner, .ant-spin-spinning'), undefined, { timeout: 30_000 });
}


/**
 * Pages open at once per role (SMOKE_PAGES_AT_ONCE, default 1: one by one). Alone on 2 cores, 3 at once
 * halves a smoke file (smoke-county 314 s → 144 s); inside the whole suite, where the other worker
 * runs browser walks too, the cores are already busy: 3 saved only ~100 s of 1,475 and made the other
 * walks' clicks time out, so the suite keeps 1.
 */
const PAGES_AT_ONCE = Math.max(1, Number(process.env.SMOKE_PAGES_AT_ONCE ?? 1) || 1);

/** Runs `fn` over `items` with at most `n` running at once; the first failure is thrown once all have stopped. */
async function inTurns<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length && !errors.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (errors.length) throw errors[0];
}

function measure(visit: Visit) {
  let bytes = 0;
  let chart = 0;
  for (const a of visit.assets) {
    if (CHART_CHUNK.test(a)) chart += gzipSize(a);
    else bytes += gzipSize(a);
  }
  return { bytes, chart };
}

/** The smoke walk for some of the demo users (and the login page, where `login`). */
export function smokeSuite(name: string, users: readonly DemoUser[], opts: { login?: boolean } = {}) {
  describe(`every staff page in chromium, as ${users.join(', ')}`, () => {
    const figures: { who: string; path: string; kb: number; chartKb: number }[] = [];
    let run: BrowserRun | undefined;
    let base: string;
    let browser: Browser | undefined;

    beforeAll(async () => {
      run = await startBrowserRun(name, { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
      ({ base, browser } = run);
    }, 900_000);

    afterAll(async () => {
      if (figures.length) {
        // The budgets' figures, for whoever tunes them next.
        const byPath = new Map<string, { kb: number; chartKb: number }>();
        for (const f of figures) {
          const cur = byPath.get(f.path);
          if (!cur || f.kb > cur.kb) byPath.set(f.path, { kb: f.kb, chartKb: f.chartKb });
        }
        const lines = [...byPath].map(([p, f]) => `${p.padEnd(18)} ${f.kb.toFixed(1).padStart(6)} KB${f.chartKb ? ` + charts ${f.chartKb.toFixed(1)} KB` : ''}`);
        console.log(`first load per route (gzip -9, largest over the roles):\n${lines.join('\n')}`);
      }
      await run?.close();
    }, 60_000);

    it(`opens every route ${users.join(', ')} may${opts.login ? ', and the login page' : ''}: no errors, axe clean, within budget`, async () => {
      const failures: string[] = [];
      const check = (who: string, url: string, visit: Visit, violations: string[], budget: number) => {
        const { bytes, chart } = measure(visit);
        figures.push({ who, path: url, kb: bytes / KB, chartKb: chart / KB });
        const label = `${who} ${url}`;
        for (const p of visit.problems) failures.push(`${label}: ${p}`);
        for (const v of violations) failures.push(`${label}: axe ${v}`);
        if (bytes > budget) failures.push(`${label}: first load ${(bytes / KB).toFixed(1)} KB gzip > ${(budget / KB).toFixed(0)} KB`);
        return chart;
      };

      // ---- the login page, before anyone signs in (GET /api/me answers 401 there by design)
      if (opts.login) {
        const ctx = await browser!.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
        const expected401 = [/\/api\/me$/, /status of 401/];
        const { page, visit } = await open(ctx, base, '/', expected401);
        await page.waitForURL(/\/login$/);
        await page.getByLabel('用户名').waitFor();
        await page.waitForLoadState('networkidle');
        const chart = check('anonymous', '/login', visit, await axeSerious(page), LOGIN_BUDGET);
        expect(chart).toBe(0);
        // The login page carries no component library: no antd style tag, no antd module.
        expect(await page.evaluate(() => document.querySelectorAll('style[data-css-hash], style[data-rc-order]').length)).toBe(0);
        await page.screenshot({ path: screenshotPath('smoke-login.png') });
        await ctx.close();
      }

      for (const username of users) {
        const ctx = await browser!.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
        // Signed in once per role (the session cookie serves every page after).
        const login = await ctx.request.post(`${base}/api/auth/login`, {
          data: { username, password: username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD },
        });
        expect(login.status(), `${username} login`).toBe(200);
        const me = (await (await ctx.request.get(`${base}/api/me`)).json()) as { permissions: string[] };
        const may = (r: StaffRoute) => !r.perm || me.permissions.includes(r.perm);

        // One page at a time unless SMOKE_PAGES_AT_ONCE says otherwise (see above).
        await inTurns(ROUTES.filter(may), PAGES_AT_ONCE, async (route) => {
          const { page, visit } = await open(ctx, base, route.path);
          await settle(page, route.title);
          expect(await page.title()).toContain(route.title);
          const chart = check(username, route.path, visit, await axeSerious(page), ROUTE_BUDGET);
          // The chart library only where a chart is drawn.
          const charts = await page.locator('[data-chart]').count();
          if (chart > 0 && charts === 0) failures.push(`${username} ${route.path}: loads the chart library but draws no chart`);
          await page.close();
        });

        if (username === 'admin') {
          // The password page (outside the frame), reached from the user menu.
          const route = AUTH_ROUTES.find((r) => r.path === '/change-password')!;
          const { page, visit } = await open(ctx, base, route.path);
          await page.getByRole('heading', { level: 2, name: route.title }).waitFor();
          await page.waitForLoadState('networkidle');
          check(username, route.path, visit, await axeSerious(page), ROUTE_BUDGET);
          await page.close();

          // 干警管理 fits a 1366 px laptop: no sideways scrolling of the page or of the table, and the
          // first column (name) and the last (actions) both in view.
          const people = await open(ctx, base, '/people');
          await settle(people.page, '干警管理');
          await people.page.locator('.data-table tbody tr').first().waitFor();
          const fit = await people.page.evaluate(() => {
            const box = document.querySelector('.data-table-scroll')!;
            const head = [...document.querySelectorAll('.data-table thead th')];
            const right = document.documentElement.clientWidth;
            return {
              page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              table: box.scrollWidth - box.clientWidth,
              columns: head.map((th) => th.textContent),
              cut: head.filter((th) => th.getBoundingClientRect().right > right + 1).map((th) => th.textContent),
            };
          });
          expect(fit.page, 'the page scrolls sideways at 1366 px').toBeLessThanOrEqual(0);
          expect(fit.table, `the people table scrolls sideways at 1366 px: ${fit.columns.join(' ')}`).toBeLessThanOrEqual(1);
          expect(fit.cut).toEqual([]);
          expect(fit.columns[0]).toBe('姓名');
          expect(fit.columns.at(-1)).toBe('操作');
          await people.page.screenshot({ path: screenshotPath('smoke-people-1366.png') });
          await people.page.close();

          // A capped count (the server stopped counting at 10,000) reads "共 10,000+ 条" with why, in
          // the shared list shape. The demo has far fewer people: the answer is marked capped on its way.
          const capped = await ctx.newPage();
          await capped.route(/\/api\/people\?/, async (r) => {
            const res = await r.fetch();
            await r.fulfill({ response: res, json: { ...(await res.json()), total: 10_000, totalCapped: true } });
          });
          await capped.goto(`${base}/people`);
          const total = capped.getByTestId('total-capped');
          await total.waitFor();
          expect(await total.textContent()).toMatch(/^共 10,000\+ 条.*超过 10,000 条/);
          await capped.close();
        }

        if (username === 'officer') {
          // A page the officer may not open: the 403 page, under the page's own heading, and no request refused.
          const refused = ROUTES.find((r) => !may(r));
          expect(refused, 'the officer may open every page?').toBeDefined();
          const { page, visit } = await open(ctx, base, refused!.path);
          await settle(page, refused!.title);
          await page.getByTestId('forbidden').waitFor();
          check(username, `${refused!.path} (403)`, visit, await axeSerious(page), ROUTE_BUDGET);
          await page.screenshot({ path: screenshotPath('smoke-403.png') });
          await page.close();
        }
        await ctx.close();
      }

      expect(failures).toEqual([]);
    }, 900_000);
  });
}
