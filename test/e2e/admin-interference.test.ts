// 建章立制 in a real browser against the real server. The demo officer, who has not reported for the
// current quarter, files a 零报告 (refused first under another name), and 整顿办's coverage of the quarter
// rises by one; then the officer opens the “三个规定” 记录报告制度 and confirms having read it. 整顿办
// opens a restricted record's content only by an explicit 查看. Every page and dialog is axe clean.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath, seriousAxe, signIn, startBrowserRun, type BrowserRun } from './support.js';

const ADMIN_PASSWORD = 'Admin#E2e2026x';
const DEMO_PASSWORD = 'Demo#E2e2026x';

describe('“三个规定” records and policy documents in chromium', () => {
  let run: BrowserRun | undefined;
  const problems: string[] = [];
  const signedIn = (username: string) => signIn(run!, username, DEMO_PASSWORD, problems, () => [/\/api\/interference\/zero-reports$/]);
  const axeClean = async (page: Page, what: string) => expect(await seriousAxe(page, what)).toEqual([]);

  /** A headline figure of the coverage page, once loaded. */
  async function figure(page: Page, title: string): Promise<number> {
    const value = page.locator('.figure', { has: page.locator('.figure-title', { hasText: new RegExp(`^${title}$`) }) }).locator('.figure-value');
    await expect.poll(async () => /^\d+$/.test(((await value.textContent()) ?? '').trim())).toBe(true);
    return Number(((await value.textContent()) ?? '').trim());
  }

  beforeAll(async () => {
    run = await startBrowserRun('interference', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
  }, 900_000);

  afterAll(async () => {
    await run?.close();
  }, 60_000);

  beforeEach(() => {
    problems.length = 0;
  });

  it('the officer files a 零报告 for the quarter and 整顿办 sees the coverage rise', async () => {
    const office = await signedIn('office');
    await office.page.goto(`${run!.base}/institutions/interference/coverage`);
    await office.page.getByRole('heading', { level: 1, name: '“三个规定”报告情况' }).waitFor();
    const missingBefore = await figure(office.page, '未报告');
    const zeroBefore = await figure(office.page, '已零报告');
    expect(missingBefore).toBeGreaterThan(0);
    await office.page.getByRole('table', { name: '各情形记录数' }).waitFor();
    await axeClean(office.page, 'coverage page');

    const { ctx, page } = await signedIn('officer');
    const me = (await (await ctx.request.get(`${run!.base}/api/me`)).json()) as { user: { displayName: string } };
    await page.goto(`${run!.base}/institutions/interference`);
    await page.getByRole('heading', { level: 1, name: '“三个规定”记录报告' }).waitFor();
    const statusTable = page.getByRole('table', { name: '本季度及此前三个季度的报告情况' });
    await statusTable.locator('tbody tr').first().filter({ hasText: '未报告' }).waitFor();
    await axeClean(page, 'my records page');

    await page.getByRole('button', { name: /季度零报告$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('zero-statement').filter({ hasText: '本季度无过问干预案件情况需记录报告' }).waitFor();
    await axeClean(page, 'zero report dialog');
    // Another name is refused on the field.
    await dialog.getByLabel('签字（输入本人姓名全名）').fill('某某某');
    await dialog.getByRole('button', { name: '签字提交' }).click();
    await dialog.getByText('签字：须输入本人姓名全名').waitFor();
    await dialog.getByLabel('签字（输入本人姓名全名）').fill(me.user.displayName);
    await dialog.getByRole('button', { name: '签字提交' }).click();
    await page.getByText('已零报告').first().waitFor();
    await statusTable.locator('tbody tr').first().filter({ hasText: '已零报告' }).waitFor();
    await page.getByRole('table', { name: '本人历次零报告' }).getByText('摘要核对一致').first().waitFor();

    await office.page.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => figure(office.page, '未报告')).toBe(missingBefore - 1);
    expect(await figure(office.page, '已零报告')).toBe(zeroBefore + 1);

    // 催报: the office tells everyone still missing, and the officer who reported is not among them.
    await office.page.getByRole('button', { name: '催报' }).click();
    const question = office.page.getByRole('dialog').filter({ hasText: `向 ${missingBefore - 1} 名` });
    await question.getByText('链接打开“三个规定”记录报告').waitFor();
    await question.getByRole('button', { name: '确定' }).click();
    await office.page.getByText(`催报已发出：未报告 ${missingBefore - 1} 人`).waitFor();
    const told = (await (await ctx.request.get(`${run!.base}/api/notifications?pageSize=50`)).json()) as { items: { title: string }[] };
    expect(told.items.some((n) => n.title.includes('“三个规定”记录报告'))).toBe(false);
    await page.screenshot({ path: screenshotPath('interference-mine.png') });
    expect(problems).toEqual([]);
  });

  it('整顿办 opens a restricted record only by an explicit 查看', async () => {
    const { page } = await signedIn('office');
    await page.goto(`${run!.base}/institutions/interference/records`);
    await page.getByRole('heading', { level: 1, name: '“三个规定”记录查阅' }).waitFor();
    const first = page.locator('.data-table tbody tr').first().locator('button.link-button');
    await first.waitFor();
    await first.click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('button', { name: '查看记录内容' }).waitFor();
    await expect.poll(async () => (await drawer.textContent()) ?? '').not.toContain('涉及案件');
    await drawer.getByRole('button', { name: '查看记录内容' }).click();
    await drawer.getByText('涉及案件').waitFor();
    await axeClean(page, 'record detail');
    expect(problems).toEqual([]);
  });

  it('an officer acknowledges the “三个规定” 记录报告制度', async () => {
    const { ctx, page } = await signedIn('officer');
    const me = (await (await ctx.request.get(`${run!.base}/api/me`)).json()) as { user: { displayName: string } };
    await page.goto(`${run!.base}/institutions/policies`);
    await page.getByRole('heading', { level: 1, name: '制度文件' }).waitFor();
    const row = page.locator('.data-table tbody tr').filter({ hasText: '“三个规定”' });
    await row.filter({ hasText: '待确认' }).waitFor();
    await axeClean(page, 'policies list');
    await row.locator('button.link-button').click();
    const drawer = page.getByRole('dialog').filter({ hasText: '干预司法办案' });
    await drawer.getByRole('button', { name: '确认已阅' }).click();
    const ack = page.getByRole('dialog').filter({ hasText: '确认本人已认真阅读' });
    await axeClean(page, 'acknowledge dialog');
    await ack.getByLabel('确认（输入本人姓名全名）').fill(me.user.displayName);
    await ack.getByRole('button', { name: '确认已阅' }).click();
    await drawer.getByTestId('policy-acked').waitFor();
    await axeClean(page, 'policy drawer');
    await page.keyboard.press('Escape');
    await row.filter({ hasText: '已确认' }).waitFor();
    expect(problems).toEqual([]);
  });
});
