// 证明事项告知承诺制 and 案件受理 in a real browser against the real server. 整顿办 sets an item's
// sampling rate to 100 % in the catalogue, registers a commitment (the signed text previewed) and is
// told at once that it was drawn; the commitment waits in the sampling queue, where the verification
// outcome is recorded. On 案件受理 the demo's open cases are counted and highlighted as overdue.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pickOption, screenshotPath, seriousAxe, signIn, startBrowserRun, type BrowserRun } from './support.js';
import { residentIdCheckChar } from '../../src/shared/validators.js';

const ADMIN_PASSWORD = 'Admin#E2e2026x';
const DEMO_PASSWORD = 'Demo#E2e2026x';

describe('notification-commitment and case intake in chromium', () => {
  let run: BrowserRun | undefined;
  const problems: string[] = [];
  const axeClean = async (page: Page, what: string) => expect(await seriousAxe(page, what)).toEqual([]);

  beforeAll(async () => {
    run = await startBrowserRun('commitments', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
  }, 900_000);
  afterAll(async () => {
    await run?.close();
  }, 60_000);
  beforeEach(() => {
    problems.length = 0;
  });

  it('the office registers a commitment, sees it drawn, and records the verification outcome', async () => {
    const { page } = await signIn(run!, 'office', DEMO_PASSWORD, problems);
    await page.getByRole('link', { name: '告知承诺制' }).click();
    await page.waitForURL(/\/service\/commitments$/);
    await page.getByRole('heading', { level: 1, name: '告知承诺制' }).waitFor();
    await page.locator('.data-table tbody tr').first().waitFor();
    await axeClean(page, '告知承诺记录');

    // ---- the catalogue: 亲属关系公证 drawn every time from now on
    await page.getByRole('tab', { name: '证明事项目录' }).click();
    await page.getByRole('button', { name: '修改亲属关系公证' }).click();
    const itemForm = page.getByRole('dialog', { name: '修改证明事项' });
    await itemForm.getByLabel('抽查比例（%）').fill('100');
    await axeClean(page, '修改证明事项');
    await itemForm.getByRole('button', { name: /保\s*存/ }).click();
    await itemForm.waitFor({ state: 'hidden' });
    await page.locator('.data-table tbody tr', { hasText: '亲属关系公证' }).getByText('100%').waitFor();

    // ---- 登记承诺
    const name = `测试申请人${Date.now().toString(36).slice(-4)}`;
    const first17 = '15040219850612301';
    await page.getByRole('button', { name: /登记承诺/ }).click();
    const form = page.getByRole('dialog', { name: '登记告知承诺' });
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.getByText('请选择证明事项').waitFor();
    await pickOption(page, form.getByLabel('证明事项'), /^亲属关系公证/, '亲属关系');
    await form.getByLabel('申请人', { exact: true }).fill(name);
    await form.getByLabel('证件号码').fill(first17 + residentIdCheckChar(first17));
    await form.getByLabel('办理事项').fill('（2026）蒙赤红证字第9001号');
    await form.getByLabel('受理单位').click();
    await form.getByLabel('受理单位').fill('红山区司法局');
    await page.locator('.ant-select-tree-title', { hasText: '红山区司法局' }).first().click();
    await form.getByTestId('commitment-preview').getByText(`本人（本单位）${name}因办理（2026）蒙赤红证字第9001号`).waitFor();
    await axeClean(page, '登记告知承诺');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.waitFor({ state: 'hidden' });
    const result = page.getByTestId('draw-result');
    await result.getByText(/已抽中核查，须于 \d{4}-\d{2}-\d{2} 前登记核查结果/).waitFor();
    expect(await result.textContent()).toContain(`${name}的承诺已登记。抽签值`);
    const row = page.locator('.data-table tbody tr', { hasText: name });
    await row.getByText('待核查').waitFor();
    // The list shows the ID number masked.
    expect(await row.textContent()).toContain(`15${'*'.repeat(15)}`);
    expect(await row.textContent()).not.toContain(first17);

    // ---- the sampling queue: record the outcome
    await page.getByRole('tab', { name: '抽查核查' }).click();
    await page.getByRole('button', { name: `登记核查：${name}` }).click();
    const verify = page.getByRole('dialog', { name: new RegExp(`^登记核查结果：${name}`) });
    await verify.getByLabel('承诺属实').check();
    await pickOption(page, verify.getByLabel('核查方式'), '数据共享核查');
    await axeClean(page, '登记核查结果');
    await verify.getByRole('button', { name: /保\s*存/ }).click();
    await verify.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: `登记核查：${name}` }).waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: '承诺记录' }).click();
    await page.locator('.data-table tbody tr', { hasText: name }).getByText('承诺属实').waitFor();

    // ---- statistics and the dishonesty list open and pass axe
    await page.getByRole('tab', { name: '失信名单' }).click();
    await page.locator('.data-table tbody tr').first().waitFor();
    await page.getByRole('tab', { name: '统计' }).click();
    await page.locator('.data-table tbody tr', { hasText: '亲属关系公证' }).waitFor();
    await axeClean(page, '告知承诺统计');
    await page.screenshot({ path: screenshotPath('e2e-commitments.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 300_000);

  it('the cases page counts the overdue cases and highlights them', async () => {
    const { page } = await signIn(run!, 'office', DEMO_PASSWORD, problems);
    await page.goto(`${run!.base}/service/cases`);
    await page.getByRole('heading', { level: 1, name: '案件受理' }).waitFor();
    const overdue = page.locator('.data-table tbody tr.row-overdue');
    await overdue.first().waitFor();
    expect(await overdue.first().textContent()).toMatch(/逾期 \d+ 天/);
    const figure = page.getByTestId('case-overdue');
    await figure.getByText('行政复议逾期').waitFor();
    await axeClean(page, '行政复议');
    // Only the overdue ones of the mediation tab.
    await page.getByRole('tab', { name: '企业矛盾纠纷调解' }).click();
    // A filter lives in the URL: the box shows checked once the address says so.
    await page.getByLabel('仅看逾期').click();
    await page.waitForURL(/overdue=1/);
    await expect.poll(() => page.getByLabel('仅看逾期').isChecked()).toBe(true);
    // The filtered page replaces the whole one when it arrives: then every row shown is overdue.
    const rows = page.locator('.data-table tbody tr:not(.expanded-row)');
    const overdueRows = page.locator('.data-table tbody tr.row-overdue');
    await expect
      .poll(async () => {
        const [all, late] = [await rows.count(), await overdueRows.count()];
        return late > 0 && all === late;
      }, { timeout: 30_000 })
      .toBe(true);
    await axeClean(page, '企业矛盾纠纷调解（逾期）');
    await page.screenshot({ path: screenshotPath('e2e-cases.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 300_000);
});
