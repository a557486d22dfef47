// 整改公开 on a phone, against the real server and its demo ledger: from the home page to the published
// items (newest first, a page at a time, 已逾期 marked out), how to report a problem and each unit's
// rates; one finished item rated 5 stars, and the second rating refused by the server with its own
// words; an opinion taken into the ledger shows its published item on its tracking page. Every view
// at 360×740 has no axe violation of any level, no horizontal scroll and no layout shift to speak of.
// The script weight of these views is checked with the others in public-opinion.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { phoneContext, runAxe, screenshotPath as shot, staffLogin, startBrowserRun, watchedPage, type BrowserRun } from './support.js';

const ADMIN_PASSWORD = 'Admin#2026test';
const DEMO_PASSWORD = 'Demo#2026test';
const PHONE_WIDTH = 360;
const PAGE_SIZE = 10; // src/web/public/ledger.ts

interface Item {
  id: string;
  title: string;
  goal: string | null;
  unitName: string;
  deadline: string | null;
  progress: number;
  status: string;
  statusLabel: string;
  fromPublicOpinion: boolean;
  rating: { count: number; average: number } | null;
  canRate: boolean;
  reportingChannel: string;
}
type Rate = number | null;
interface Rates {
  onTimeReplyRate: Rate;
  satisfactionRate: Rate;
  units: { unitName: string; onTimeRate: Rate; satisfactionRate: Rate }[];
}

/** A rate as the page writes it: 95.8%, or — when there is nothing to measure. */
const pct = (r: Rate) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

describe('整改公开 on a phone (chromium)', () => {
  let run: BrowserRun | undefined;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  /** Responses a step expects to fail (404, 409): Chromium logs those as console errors. */
  let expectedFailures: RegExp[] = [];
  const axeReport: Record<string, string[]> = {};
  const json = async <T>(url: string): Promise<T> => (await fetch(`${base}${url}`)).json() as Promise<T>;

  async function checked(view: string) {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${view}：页面宽度超出屏幕（水平滚动）`).toBeLessThanOrEqual(PHONE_WIDTH);
    const result = await runAxe(page);
    axeReport[view] = result.violations.map((v) => `${v.impact}: ${v.id}`);
    if (result.violations.length) {
      console.log(`axe（${view}）：\n${JSON.stringify(result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => [n.target, n.failureSummary]) })), null, 2)}`);
    }
    expect(result.violations.map((v) => v.id), `${view}：axe 问题（任何级别）`).toEqual([]);
    expect(result.passes.length).toBeGreaterThan(0);
  }

  /** Layout shifts since the page was opened, those right after a tap or key press left out (as CLS does). */
  const shifted = () =>
    page.evaluate(() => (window as unknown as { shifts: { value: number; input: boolean }[] }).shifts.filter((x) => !x.input).reduce((a, x) => a + x.value, 0));

  beforeAll(async () => {
    run = await startBrowserRun('public-rectification', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
    base = run.base;
    context = await phoneContext(run.browser);
    await context.addInitScript(() => {
      const w = window as unknown as { shifts: { value: number; input: boolean }[] };
      w.shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) w.shifts.push({ value: e.value, input: e.hadRecentInput });
      }).observe({ type: 'layout-shift', buffered: true });
    });
    page = await watchedPage(context, problems, () => expectedFailures);
  }, 900_000);

  afterAll(async () => {
    if (Object.keys(axeReport).length) console.log(`axe 全部结果（任何级别）：${JSON.stringify(axeReport, null, 1)}`);
    await run?.close();
  }, 60_000);

  let all: Item[] = [];

  it('home → 整改公开: the published items newest first, a page at a time; how to report; each unit\'s rates', async () => {
    const first = await json<{ items: Item[]; total: number; reportingChannel: string }>('/api/public/rectification?page=1&pageSize=50');
    all = first.items;
    expect(first.total).toBeGreaterThan(PAGE_SIZE); // the demo: enough for a second page
    expect(all.some((i) => i.status === 'overdue')).toBe(true);
    expect(all.some((i) => i.rating && (i.status === 'done' || i.status === 'signed_off'))).toBe(true);

    await page.goto(`${base}/public`);
    await page.getByRole('link', { name: '整治事项公开清单', exact: true }).click();
    await page.waitForURL(`${base}/public/rectification`);
    await page.getByRole('heading', { level: 1, name: '整改公开' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('整改公开'); // the h1 took the focus
    const cards = page.locator('ul.items > li');
    await cards.first().waitFor();
    expect(await page.locator('ul.items h3').allTextContents()).toEqual(all.slice(0, PAGE_SIZE).map((i) => i.title));
    await page.getByText(`已显示 ${PAGE_SIZE} / ${first.total} 项`).waitFor();

    // One card in full: unit, goal, deadline, status, progress as text and as a progress bar.
    const one = all[0]!;
    const card = cards.first();
    const text = (await card.textContent())!;
    for (const part of [one.unitName, one.deadline ?? '未设定', one.statusLabel, `整改进度 ${Math.round(one.progress)}%`]) expect(text).toContain(part);
    if (one.goal) expect(text).toContain(one.goal);
    const bar = card.getByRole('progressbar', { name: `整改进度 ${Math.round(one.progress)}%` });
    expect(await bar.getAttribute('aria-valuenow')).toBe(String(Math.round(one.progress)));

    // 已逾期 stands out (a class of its own, a warning sign, a red edge), and 来自群众意见 is marked.
    const shown = all.slice(0, PAGE_SIZE);
    const late = shown.find((i) => i.status === 'overdue');
    expect(late, 'the first page has an overdue item').toBeTruthy();
    const lateCard = cards.filter({ has: page.getByRole('link', { name: late!.title, exact: true }) });
    expect(await lateCard.locator('.badge.s-overdue').textContent()).toBe('状态：⚠ 已逾期');
    expect(await lateCard.getAttribute('class')).toContain('late');
    expect(await page.locator('ul.items .from-public').count()).toBe(shown.filter((i) => i.fromPublicOpinion).length);
    const rated = shown.find((i) => i.rating)!;
    expect(await cards.filter({ has: page.getByRole('link', { name: rated.title, exact: true }) }).textContent()).toContain(
      `${rated.rating!.average.toFixed(1)} 分（满分 5 分，${rated.rating!.count} 人评价）`,
    );

    // How to report a problem: every channel the server names, and the way to submit an opinion.
    for (const channel of first.reportingChannel.split('；')) await page.locator('.channels li').filter({ hasText: channel }).waitFor();
    expect(await page.getByRole('link', { name: '提交意见建议' }).getAttribute('href')).toBe('/public/submit');

    // Each unit's rates, as the server computes them live.
    const rates = await json<Rates>('/api/public/rectification/rates');
    expect(rates.units.length).toBeGreaterThan(0);
    const table = page.getByRole('table', { name: /实时计算/ });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(rates.units.length);
    const u = rates.units[0]!;
    expect(await table.getByRole('row', { name: new RegExp(`^${u.unitName}`) }).locator('td').allTextContents()).toEqual(
      [u.onTimeRate, u.satisfactionRate].map((r) => (r === null ? '—无数据' : pct(r))),
    );
    expect(await table.locator('tfoot td').allTextContents()).toEqual([rates.onTimeReplyRate, rates.satisfactionRate].map((r) => (r === null ? '—无数据' : pct(r))));

    const cls = await shifted();
    console.log(`整改公开列表加载期间的布局偏移（CLS）：${cls.toFixed(4)}`);
    expect(cls).toBeLessThan(0.1);
    await checked('整改公开');
    await page.screenshot({ path: shot('public-ledger.png'), fullPage: true });

    // The next page: appended, and the focus goes on to its first item.
    await page.getByRole('button', { name: '加载更多' }).click();
    await expect.poll(() => cards.count()).toBe(Math.min(2 * PAGE_SIZE, first.total));
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(all[PAGE_SIZE]!.title);
    if (first.total <= 2 * PAGE_SIZE) {
      await page.getByText(`共 ${first.total} 项`).waitFor();
      expect(await page.getByRole('button', { name: '加载更多' }).isVisible()).toBe(false);
    }

    // Offline: the view says so, and loads by itself once the phone is back online.
    expectedFailures = [/\/api\/public\/rectification/];
    await page.getByRole('link', { name: /教育整顿公众参与/ }).click();
    await page.getByRole('heading', { level: 1, name: '教育整顿公众参与' }).waitFor();
    await context.setOffline(true);
    await page.getByRole('link', { name: '整治事项公开清单', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '当前网络不可用，联网后将自动重试' }).waitFor();
    await context.setOffline(false);
    await page.locator('ul.items h3').first().waitFor();
    await page.getByRole('table').waitFor();
    expectedFailures = [];
    expect(problems).toEqual([]);
  }, 300_000);

  it('an item in full: rated 5 stars once; a second rating gets the server\'s 已评价', async () => {
    const item = all.find((i) => i.canRate)!;
    expect(item).toBeTruthy();
    await page.getByRole('link', { name: item.title, exact: true }).click();
    await page.waitForURL(`${base}/public/rectification/${item.id}`);
    await page.getByRole('heading', { level: 1, name: item.title }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    const fact = (label: string) => page.locator('.facts div').filter({ hasText: label }).locator('dd');
    expect(await fact('责任单位').textContent()).toBe(item.unitName);
    expect(await fact('完成时限').textContent()).toBe(item.deadline ?? '未设定');
    await page.getByRole('progressbar', { name: `整改进度 ${Math.round(item.progress)}%` }).waitFor();
    await page.getByRole('heading', { level: 2, name: '如何反映问题' }).waitFor();
    await checked('整治事项（可评价）');

    // A rating needs stars; a refused comment is shown at its field.
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('满意度：请选择 1–5 星').waitFor();
    await page.getByRole('radio', { name: '5 星（很满意）' }).check();
    await page.getByText('已选择 5 星（很满意）').waitFor();
    const comment = page.getByLabel(/评价意见/);
    expect(await comment.getAttribute('maxlength')).toBe('200');
    await comment.fill('整改及时，效果明显。');
    expectedFailures = [/\/rating$/];
    await page.route(`${base}/api/public/rectification/${item.id}/rating`, (route) =>
      route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'VALIDATION', message: '评价意见：含有不允许的内容', field: 'comment' }) }),
    );
    await page.getByRole('button', { name: '提交评价' }).click();
    const err = page.getByText('评价意见：含有不允许的内容');
    await err.waitFor();
    expect(await comment.getAttribute('aria-invalid')).toBe('true');
    expect((await comment.getAttribute('aria-describedby'))?.split(' ')).toContain(await err.getAttribute('id'));
    await page.unroute(`${base}/api/public/rectification/${item.id}/rating`);

    const before = item.rating?.count ?? 0;
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByRole('heading', { level: 2, name: '评价已提交' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('评价已提交');
    const after = await json<Item>(`/api/public/rectification/${item.id}`);
    expect(after.rating!.count).toBe(before + 1);
    expect(await fact('群众评价').textContent()).toContain(`${after.rating!.count} 人评价`);
    await checked('整治事项（已评价）');
    await page.screenshot({ path: shot('public-ledger-rated.png'), fullPage: true });

    // Opened again on this phone: it says so at once.
    await page.reload();
    await page.getByRole('heading', { level: 2, name: '您已评价过该事项' }).waitFor();
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);

    // The page forgot it (storage cleared): the server refuses the second rating, in its own words.
    await page.evaluate(() => localStorage.removeItem('rectify-ledger-rated'));
    await page.reload();
    await page.getByRole('radio', { name: '4 星（满意）' }).check();
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByRole('status').filter({ hasText: '您已评价过该事项' }).waitFor();
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    expect((await json<Item>(`/api/public/rectification/${item.id}`)).rating!.count).toBe(before + 1);
    await checked('整治事项（重复评价）');

    // An overdue item: marked, and nothing to rate yet.
    const late = all.find((i) => i.status === 'overdue')!;
    await page.goto(`${base}/public/rectification/${late.id}`);
    await page.getByRole('heading', { level: 1, name: late.title }).waitFor();
    await page.locator('.badge.s-overdue').filter({ hasText: '已逾期' }).waitFor();
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    expect(await shifted(), '整治事项页加载期间的布局偏移（CLS）').toBeLessThan(0.1);
    await checked('整治事项（已逾期）');
    await page.screenshot({ path: shot('public-ledger-overdue.png'), fullPage: true });

    // An unknown item: a friendly page (the API says 404); the server answers only real routes with the page.
    expectedFailures = [/\/api\/public\/rectification\//];
    await page.goto(`${base}/public/rectification/no-such-item`);
    await page.getByRole('heading', { level: 1, name: '事项不存在' }).waitFor();
    await page.getByRole('link', { name: '返回整改公开' }).waitFor();
    expectedFailures = [];
    expect((await fetch(`${base}/public/rectification/`)).status).toBe(200);
    expect((await fetch(`${base}/public/rectification/a/b`)).status).toBe(404);
    expect(problems).toEqual([]);
  }, 300_000);

  it('an opinion taken into the ledger and published: its tracking page links to the item', async () => {
    const office = await staffLogin(base, 'office', DEMO_PASSWORD);
    const entered = await office.post('/api/opinions', {
      channel: 'suggestion_box', identity: 'anonymous', content: `建议在旗县司法局办事大厅设置法律援助自助终端，方便群众查询（${Date.now()}）。`,
    });
    expect(entered.status).toBe(201);
    const code = entered.body.receiptCode as string;
    expect(code).toBeTruthy();

    // Not adopted yet: the tracking page shows nothing of the ledger (the follow-up answers with no items).
    const none = page.waitForResponse((r) => r.url().includes('/api/public/rectification/follow/'));
    await page.goto(`${base}/public/track/${code}`);
    expect((await (await none).json()).items).toEqual([]);
    await page.getByRole('heading', { level: 2, name: '您反映的内容' }).waitFor();
    expect(await page.getByRole('heading', { name: '纳入整治事项' }).count()).toBe(0);

    const title = '办事大厅法律援助自助终端';
    const adopted = await office.post(`/api/opinions/${entered.body.id}/adopt`, { target: 'ledger', title });
    expect(adopted.status).toBe(201);
    const itemId = adopted.body.targetRef as string;
    expect((await office.patch(`/api/rectification/items/${itemId}`, { isPublic: true, mode: 'deadline', deadline: '2030-12-31', goal: '各旗县区办事大厅均设自助终端' })).status).toBe(200);

    await page.reload();
    const section = page.getByRole('region', { name: '纳入整治事项' });
    await section.waitFor();
    await checked('查询进度（纳入整治事项）');
    await page.screenshot({ path: shot('public-track-ledger.png'), fullPage: true });
    await section.getByRole('link', { name: title }).click();
    await page.waitForURL(`${base}/public/rectification/${itemId}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.locator('.badge.from-public').filter({ hasText: '来自群众意见' }).waitFor();
    expect(await page.locator('.facts div').filter({ hasText: '整改目标' }).locator('dd').textContent()).toBe('各旗县区办事大厅均设自助终端');
    expect(problems).toEqual([]);
  }, 300_000);
});
