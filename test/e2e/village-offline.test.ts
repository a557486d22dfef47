// The 1155 field entry on a cadre's phone with no signal, in a real browser against the real server:
// the demo officer signs in, opens /field/ (their pairing and this year's counts), loses the network,
// records a village visit with a photo (kept on the phone, shown as 待发送), reloads the page still
// offline (the service worker opens it, the outbox still holds the visit), gets the network back and
// sees it sent — and the server holds it exactly once, photo attached. Then 整顿办 reads the board, opens a
// cadre's records from it, and registers a village's deliverable with its evidence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../support/files.js';
import { pickOption, screenshotPath, seriousAxe, signIn, startBrowserRun, watchedPage, type BrowserRun } from './support.js';

const ADMIN_PASSWORD = 'Admin#E2e2026x';
const DEMO_PASSWORD = 'Demo#E2e2026x';

describe('1155 field entry offline in chromium', () => {
  let run: BrowserRun | undefined;
  const problems: string[] = [];

  beforeAll(async () => {
    run = await startBrowserRun('village', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
  }, 900_000);

  afterAll(async () => {
    await run?.close();
  }, 60_000);

  it('a visit recorded with no signal is kept, survives a reload, and arrives once when the network returns', async () => {
    const { base, browser } = run!;
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    });
    // Requests that fail while the phone is offline are the point of this test, not a fault.
    const page = await watchedPage(ctx, problems, () => [/\/api\/me$/, /\/api\/village\//, /\/field\//]);
    try {
      // Not signed in: the field page sends the cadre to sign in, and the login brings them back.
      await page.goto(`${base}/field/`);
      await page.getByRole('link', { name: '去登录' }).click();
      await page.getByLabel('用户名').fill('officer');
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.waitForURL(`${base}/field/`);

      const mine = (await (await ctx.request.get(`${base}/api/village/mine`)).json()) as { pairing: { id: string; villageName: string; thisYear: { visits: number } } };
      expect(mine.pairing).toBeTruthy();
      await page.getByRole('heading', { level: 2, name: new RegExp(mine.pairing.villageName) }).waitFor();
      await expect.poll(() => page.locator('.count b').nth(1).textContent()).toBe(`${mine.pairing.thisYear.visits}/5`);
      // The service worker has taken the page: it will open without a network.
      await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), undefined, { timeout: 30_000 });
      await page.getByText('已可离线打开').waitFor();
      expect(await seriousAxe(page, 'field')).toEqual([]);

      await ctx.setOffline(true);
      await page.getByText('无网络：记录先保存在手机上').waitFor();
      await page.getByRole('button', { name: '走访', exact: true }).click();
      await page.getByLabel('走访对象').fill('嘎查达及两委班子');
      const summary = `离线走访测试：与两委座谈，了解矛盾纠纷排查情况（${Date.now()}）。`;
      await page.getByLabel('情况', { exact: true }).fill(summary);
      await page.getByLabel('照片（可多张，自动压缩）').setInputFiles({ name: '走访现场.png', mimeType: 'image/png', buffer: png(30, 140, 90) });
      await page.getByRole('button', { name: /保存/ }).click();
      const queued = page.locator('.outbox li', { hasText: '待发送' });
      await queued.waitFor();
      expect(await queued.count()).toBe(1);
      const id = await queued.getAttribute('data-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await page.screenshot({ path: screenshotPath('village-field-offline.png') });

      // A reload with no network: the page opens from the phone and the visit is still waiting.
      await page.reload();
      await page.getByRole('heading', { level: 2, name: new RegExp(mine.pairing.villageName) }).waitFor();
      await page.locator(`.outbox li[data-id="${id}"]`, { hasText: '待发送' }).waitFor();

      await ctx.setOffline(false);
      await page.locator(`.outbox li[data-id="${id}"]`, { hasText: '已发送' }).waitFor({ timeout: 60_000 });
      await expect.poll(() => page.locator('.count b').nth(1).textContent()).toBe(`${mine.pairing.thisYear.visits + 1}/5`);
      expect(await page.locator('.outbox li', { hasText: '待发送' }).count()).toBe(0);

      // Exactly once on the server, under the phone's id, with its photo.
      const list = (await (await ctx.request.get(`${base}/api/village/records?pairingId=${mine.pairing.id}&type=visit&pageSize=200`)).json()) as {
        items: { id: string; summary: string; photos: { name: string }[] }[];
      };
      const mineNow = list.items.filter((r) => r.summary === summary);
      expect(mineNow).toHaveLength(1);
      expect(mineNow[0]!.id).toBe(id);
      expect(mineNow[0]!.photos.map((p) => p.name)).toEqual(['走访现场.png']);

      // Sending the same again (a phone unsure it arrived) changes nothing.
      await page.reload();
      await page.getByRole('heading', { level: 2, name: new RegExp(mine.pairing.villageName) }).waitFor();
      const again = (await (await ctx.request.get(`${base}/api/village/records?pairingId=${mine.pairing.id}&type=visit&pageSize=200`)).json()) as { items: { summary: string }[] };
      expect(again.items.filter((r) => r.summary === summary)).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  }, 240_000);

  it('整顿办: the board by county and cadre opens the records; a deliverable is registered with its evidence', async () => {
    const { ctx, page } = await signIn(run!, 'office', DEMO_PASSWORD, problems);
    try {
      const base = run!.base;
      await page.goto(`${base}/village/board`);
      await page.getByRole('heading', { level: 1, name: '“1155”达标看板' }).waitFor();
      const board = (await (await ctx.request.get(`${base}/api/village/board`)).json()) as { totals: { pairings: number }; cadres: { pairingId: string; cadreName: string; villageName: string }[] };
      await page.getByRole('table', { name: '结对干部达标情况' }).locator('tbody tr').nth(board.totals.pairings - 1).waitFor();
      expect(await page.getByRole('table', { name: '各旗县区达标情况' }).locator('tbody tr').count()).toBe(12);
      expect(await seriousAxe(page, 'board')).toEqual([]);
      const first = board.cadres[0]!;
      await page.getByRole('button', { name: first.cadreName, exact: true }).first().click();
      await page.waitForURL(new RegExp(`/village/records\\?pairingId=${first.pairingId}`));
      await page.getByRole('table', { name: '服务与走访记录' }).locator('tbody tr').first().waitFor();

      await page.goto(`${base}/village/pairings?id=${first.pairingId}`);
      const drawer = page.getByRole('dialog', { name: `${first.cadreName} · ${first.villageName}` });
      await drawer.getByRole('table', { name: '交付成果' }).waitFor();
      const row = drawer.getByRole('table', { name: '交付成果' }).locator('tbody tr', { hasText: '讲授 1 堂法治课' });
      await drawer.getByRole('button', { name: '登记：讲授 1 堂法治课' }).click();
      const modal = page.getByRole('dialog', { name: '登记交付成果：讲授 1 堂法治课' });
      await modal.getByLabel('佐证材料说明').waitFor();
      await pickOption(page, modal.getByLabel('状态'), '已完成');
      const date = modal.getByLabel('完成日期');
      await date.click();
      await date.fill('2026-09-10');
      await date.press('Tab');
      await modal.getByLabel('佐证材料说明').fill('在嘎查党群服务中心讲授民法典法治课，签到表与照片已归档。');
      expect(await seriousAxe(page, 'deliverable')).toEqual([]);
      await modal.getByRole('button', { name: /保\s*存/ }).click();
      await row.filter({ hasText: '已完成' }).waitFor();
      const detail = (await (await ctx.request.get(`${base}/api/village/pairings/${first.pairingId}`)).json()) as { deliverables: { kind: string; status: string; doneOn: string }[] };
      expect(detail.deliverables.find((d) => d.kind === 'law_class')).toMatchObject({ status: 'done', doneOn: '2026-09-10' });
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  }, 240_000);
});
