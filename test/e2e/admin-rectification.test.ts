// 整治台账 in a real browser against the real server. 整顿办 sees the demo campaign's ledger (the eight
// opinions the symposium put into it among them, some items overdue), enters a new item for 红山区司法局,
// reports it finished, is refused 销号 while no evidence has been uploaded, reports again with a photo
// and signs it off. A county's unit admin follows the overdue reminder's link and sees only overdue items.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { png } from '../support/files.js';
import { screenshotPath, seriousAxe, signIn, startBrowserRun, type BrowserRun } from './support.js';

const ADMIN_PASSWORD = 'Admin#E2e2026x';
const DEMO_PASSWORD = 'Demo#E2e2026x';

describe('rectification ledger in chromium', () => {
  let run: BrowserRun | undefined;
  let base: string;
  const problems: string[] = [];

  // The refused sign-off answers 400 (the page says why, and Chromium logs the failed request).
  const signedIn = (username: string) => signIn(run!, username, DEMO_PASSWORD, problems, () => [/\/sign-off$/]);

  /** axe on what is open now (a drawer, a dialog): nothing serious or critical. */
  const axeClean = async (page: Page, what: string) => expect(await seriousAxe(page, what)).toEqual([]);

  /** The state column's texts of the rows shown. */
  const states = (page: Page) => page.locator('.data-table tbody tr td:nth-child(9)').allTextContents();

  beforeAll(async () => {
    run = await startBrowserRun('rect', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
    ({ base } = run);
  }, 900_000);

  afterAll(async () => {
    await run?.close();
  }, 60_000);

  it('整顿办 enters an item, reports it done with evidence, and signs it off (refused without evidence)', async () => {
    const { ctx, page } = await signedIn('office');
    await page.getByRole('link', { name: '整治台账' }).click();
    await page.waitForURL(/\/rectification$/);
    await page.getByRole('heading', { level: 1, name: '整治台账' }).waitFor();

    // The demo campaign's ledger: its items, some overdue, the total under the table.
    const rows = page.locator('.data-table tbody tr');
    await rows.filter({ hasText: '过问干预司法活动记录报告不及时' }).waitFor();
    // The campaigns load beside the rows: wait for the demo campaign to be the one chosen.
    await page.getByLabel('教育整顿批次').locator('option:checked', { hasText: /^第一批政法队伍教育整顿$/ }).waitFor({ state: 'attached' });
    const total = Number((await page.locator('.pager-total').textContent())!.match(/共 (\d+) 条/)![1]);
    expect(total).toBeGreaterThanOrEqual(20);
    expect(await states(page)).toContain('已逾期');
    // The eight opinions the symposium adopted, by their source.
    await page.getByLabel('问题来源').selectOption({ label: '开门纳谏意见' });
    await page.locator('.pager-total', { hasText: '共 8 条' }).waitFor();
    await page.getByRole('button', { name: '清空筛选' }).click();
    await page.locator('.pager-total', { hasText: `共 ${total} 条` }).waitFor();

    // ---- a new item for 红山区司法局
    const title = `红山区调解卷宗归档不及时E2E${Date.now().toString(36)}`;
    await page.getByRole('button', { name: /新增事项/ }).click();
    const create = page.getByRole('dialog', { name: '新增整治事项', exact: true });
    // Saving empty says what is missing, in Chinese, on the fields.
    await create.getByRole('button', { name: /保\s*存/ }).click();
    await create.getByText('请输入问题名称').waitFor();
    await create.getByText('请输入问题描述').waitFor();
    await create.getByText('限期整治须填写完成时限').waitFor();
    await create.getByLabel('问题名称').fill(title);
    await create.getByLabel('问题描述').fill('部分人民调解案件结案后未按期归档，卷宗材料不全。');
    await create.getByLabel('整改措施').fill('逐案清理未归档卷宗，明确归档时限，纳入月度检查。');
    await create.getByLabel('责任单位').click();
    await create.getByLabel('责任单位').fill('红山区司法局');
    await page.locator('.ant-select-tree-title').filter({ hasText: /^红山区司法局$/ }).click();
    const deadline = create.getByLabel('完成时限');
    await deadline.click();
    await deadline.fill('2030-12-31');
    await deadline.press('Enter');
    await axeClean(page, '新增整治事项');
    await create.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('整治事项已新增').waitFor();

    // It opens at once: 未开始, in 红山区司法局.
    const drawer = page.getByRole('dialog', { name: new RegExp(`整治事项 \\d+\\s*${title}`) });
    await drawer.waitFor();
    await drawer.getByText('未开始', { exact: true }).waitFor();
    await drawer.getByText('红山区司法局', { exact: true }).waitFor();
    await drawer.getByText('2030-12-31').waitFor();
    await axeClean(page, '整治事项详情');

    // ---- reported finished, without evidence
    await drawer.getByRole('button', { name: /报送进展/ }).click();
    let report = page.getByRole('dialog', { name: /^报送整改进展/ });
    await report.getByLabel('完成进度（%）').fill('100');
    await report.getByLabel('进展情况').fill('未归档卷宗已全部清理完毕。');
    await report.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('整改进展已报送').waitFor();
    await drawer.getByText('已完成', { exact: true }).waitFor();
    await drawer.getByText('完成进度 100%').waitFor();

    // 销号 is refused: the server names what is missing.
    await drawer.getByRole('button', { name: /销\s*号/ }).click();
    let signOff = page.getByRole('dialog', { name: /^销号：/ });
    await signOff.getByText('该事项的整改进展中尚未见佐证材料。').waitFor();
    await signOff.getByLabel('销号意见').fill('经核验，整改到位，同意销号。');
    await signOff.getByRole('button', { name: '确认销号' }).click();
    await page.getByRole('alert').filter({ hasText: '佐证材料：销号前须在整改进展中上传佐证材料' }).waitFor();
    await drawer.getByText('已完成', { exact: true }).waitFor();
    await signOff.getByRole('button', { name: /取\s*消/ }).click();
    await signOff.waitFor({ state: 'hidden' });

    // ---- reported again, with a photo of the archived files
    await drawer.getByRole('button', { name: /报送进展/ }).click();
    report = page.getByRole('dialog', { name: /^报送整改进展/ });
    expect(await report.getByLabel('完成进度（%）').inputValue()).toBe('100');
    await report.getByLabel('进展情况').fill('补充归档照片。');
    await report.getByLabel('佐证材料', { exact: true }).setInputFiles({ name: '归档照片.png', mimeType: 'image/png', buffer: png(20, 120, 60) });
    await report.getByRole('listitem').filter({ hasText: '归档照片.png' }).waitFor();
    await expect.poll(() => report.getByText('附件正在上传，请稍候').count()).toBe(0);
    await axeClean(page, '报送整改进展');
    await report.getByRole('button', { name: /保\s*存/ }).click();
    const evidence = drawer.getByRole('link', { name: /归档照片\.png/ });
    await evidence.waitFor();
    expect(await evidence.getAttribute('href')).toMatch(/^\/api\/files\/[\w-]+$/);

    // ---- 销号
    await drawer.getByRole('button', { name: /销\s*号/ }).click();
    signOff = page.getByRole('dialog', { name: /^销号：/ });
    expect(await signOff.getByText('该事项的整改进展中尚未见佐证材料。').count()).toBe(0);
    await axeClean(page, '销号');
    await signOff.getByLabel('销号意见').fill('经核验佐证材料，整改到位，同意销号。');
    await signOff.getByRole('button', { name: '确认销号' }).click();
    await drawer.getByText('已销号', { exact: true }).waitFor();
    await drawer.getByText('经核验佐证材料，整改到位，同意销号。').waitFor();
    // Signed off: nothing more may change, and the drawer says why.
    await drawer.getByText('该事项已销号，不能再修改、报送进展或增加子事项。').waitFor();
    expect(await drawer.getByRole('button', { name: /报送进展/ }).isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('e2e-rectification-signed-off.png') });

    // In the list too.
    await drawer.getByRole('button', { name: '关闭' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByLabel('问题名称或描述').fill(title);
    await page.getByLabel('问题名称或描述').press('Enter');
    const row = rows.filter({ hasText: title });
    await row.waitFor();
    expect(await states(page)).toEqual(['已销号']);
    expect(await row.textContent()).toContain('红山区司法局');
    await ctx.close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('the overdue reminder link shows a county only its overdue items', async () => {
    const { ctx, page } = await signedIn('unitadmin');
    // The demo's overdue items belong to other counties: one of 红山区's own, its deadline passed.
    const me = (await (await ctx.request.get(`${base}/api/me`)).json()) as { orgUnit: { id: string; name: string } };
    expect(me.orgUnit.name).toBe('红山区司法局');
    const csrf = (await ctx.cookies()).find((c) => c.name === 'rectify_csrf')!.value;
    const title = `红山区社区矫正走访记录缺失E2E${Date.now().toString(36)}`;
    const made = await ctx.request.post(`${base}/api/rectification/items`, {
      headers: { 'x-csrf-token': decodeURIComponent(csrf) },
      data: {
        campaignId: 'campaign-1', list: 'ledger', source: 'self_check', title, description: '部分社区矫正对象走访记录缺失，需补齐。',
        orgUnitId: me.orgUnit.id, mode: 'deadline', startDate: '2021-05-01', deadline: '2021-06-30', isPublic: false, weight: 1,
      },
    });
    expect(made.status()).toBe(201);

    await page.goto(`${base}/rectification?state=overdue`);
    await page.getByRole('heading', { level: 1, name: '整治台账' }).waitFor();
    await page.locator('.data-table tbody tr', { hasText: title }).waitFor();
    expect(await page.getByLabel('状态').locator('option:checked').textContent()).toBe('已逾期');
    const shown = await states(page);
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set(['已逾期']));
    // Every row is the county's own.
    for (const unit of await page.locator('.data-table tbody tr td:nth-child(4)').allTextContents()) expect(unit).toBe('红山区司法局');
    await page.screenshot({ path: screenshotPath('e2e-rectification-overdue.png') });
    await ctx.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
