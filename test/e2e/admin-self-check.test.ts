// 自查事项报告表 in a real browser against the real server. 整顿办 reads how many have signed; the officer
// fills the report (or, having signed already, starts a correction), declares one matter, is stopped
// while 是 has no description, saves, is refused a signature under another name, signs under their own
// and sees the signature verified (一致). 整顿办 then sees it: the figure up by one for a first report,
// or the new version first in 报告审核, with the matter declared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath, signIn, startBrowserRun, type BrowserRun } from './support.js';

const ADMIN_PASSWORD = 'Admin#E2e2026x';
const DEMO_PASSWORD = 'Demo#E2e2026x';
const DECLARED_ITEM = '违规经商办企业（含配偶子女）';
const DECLARATION = '本人配偶在红山区经营一家打字复印店，与司法行政业务无关。';

describe('self-check reports in chromium', () => {
  let run: BrowserRun | undefined;
  const problems: string[] = [];

  // The signature under another name answers 400 (shown to the user, on the field).
  const signedIn = (username: string) => signIn(run!, username, DEMO_PASSWORD, problems, () => [/\/api\/self-checks\/mine\/sign$/]);

  /** A headline figure of the coverage page, once loaded. */
  async function figure(page: Page, title: string): Promise<number> {
    const value = page.locator('.figure', { has: page.locator('.figure-title', { hasText: title }) }).locator('.figure-value');
    await expect.poll(async () => /^\d+$/.test(((await value.textContent()) ?? '').trim())).toBe(true);
    return Number(((await value.textContent()) ?? '').trim());
  }

  /** The 已交 cell of a unit's row in 各单位提交情况 (its whole subtree). */
  async function unitSubmitted(page: Page, unit: string): Promise<number> {
    const table = page.getByRole('region', { name: '各单位提交情况（含下级单位）' });
    const row = table.locator('tbody tr').filter({ has: page.getByRole('cell', { name: unit, exact: true }) });
    await row.waitFor();
    return Number(((await row.locator('td').nth(2).textContent()) ?? '').trim());
  }

  beforeAll(async () => {
    run = await startBrowserRun('selfcheck', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
  }, 900_000);

  afterAll(async () => {
    await run?.close();
  }, 60_000);

  it('an officer fills (or corrects), is refused another name, signs; 整顿办 sees it', async () => {
    // ---- 整顿办: how many have signed, overall and in 红山区司法局's subtree (the officer's county)
    const office = await signedIn('office');
    await office.page.getByRole('link', { name: '自查报告提交情况' }).click();
    await office.page.waitForURL(/\/self-checks$/);
    await office.page.getByRole('heading', { level: 1, name: '自查报告提交情况' }).waitFor();
    const overallBefore = await figure(office.page, '已签字提交');
    expect(overallBefore).toBeGreaterThan(0);
    expect(overallBefore).toBeLessThanOrEqual(await figure(office.page, '应提交人数'));
    const countyBefore = await unitSubmitted(office.page, '红山区司法局');
    // The names still missing, paged.
    expect(await office.page.locator('.pager-total').first().textContent()).toMatch(/共 \d+ 条/);

    // ---- the officer's own report
    const { ctx, page } = await signedIn('officer');
    await page.getByRole('link', { name: '自查事项报告表' }).click();
    await page.waitForURL(/\/self-check$/);
    await page.getByRole('heading', { level: 1, name: '自查事项报告表' }).waitFor();
    const correct = page.getByRole('button', { name: '更正（另起新版本）' });
    const fill = page.getByRole('heading', { level: 2, name: '填写自查事项' });
    await correct.or(fill).first().waitFor();
    const hadSigned = await correct.isVisible();
    if (hadSigned) {
      // A signed version is read only, verified; a correction starts from it.
      await page.getByTestId('signature').getByText('一致', { exact: true }).waitFor();
      await correct.click();
      await page.getByText(/^更正：以下内容取自第 \d+ 版（已签字）/).waitFor();
    }
    await fill.waitFor();

    const items = page.locator('.selfcheck-items > [role=group]');
    expect(await items.count()).toBe(16);
    for (const item of await items.all()) await item.getByLabel('否', { exact: true }).check();
    const declared = page.getByRole('group', { name: DECLARED_ITEM });
    await declared.getByLabel('是', { exact: true }).check();

    // 是 without what it is: stopped on the field.
    await page.getByRole('button', { name: '保存草稿' }).click();
    await declared.getByText('选择“是”时须说明具体情况（至少 5 个字）').waitFor();
    await declared.getByLabel('具体情况').fill(DECLARATION);
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText(/^已保存第 \d+ 版草稿（已答 16 \/ 16 项）$/).waitFor();

    // 签字承诺: the pledge and the digest of what was saved.
    const sign = page.getByRole('region', { name: '签字承诺' });
    await sign.getByText(/^本人承诺：以上自查内容真实、完整/).waitFor();
    expect((await sign.getByTestId('draft-digest').textContent())?.trim()).toMatch(/^[0-9a-f]{64}$/);

    // Another name is refused, in Chinese, on the field.
    const name = sign.getByLabel('签字（请输入本人姓名全名）');
    await name.fill('张某某');
    await sign.getByRole('button', { name: '确认签字提交' }).click();
    await sign.getByText('签字：须输入本人姓名全名').waitFor();

    // The officer's own name (as the header shows it) signs.
    const own = ((await page.locator('.header-user > span').first().textContent()) ?? '').trim();
    expect(own.length).toBeGreaterThanOrEqual(2);
    await name.fill(own);
    await sign.getByRole('button', { name: '确认签字提交' }).click();
    const signed = page.getByRole('heading', { level: 2, name: /^第 \d+ 版 · 已签字提交$/ });
    await signed.waitFor();
    const version = Number((await signed.textContent())!.match(/第 (\d+) 版/)![1]);
    const signature = page.getByTestId('signature');
    await signature.getByText(own, { exact: true }).waitFor();
    await signature.getByText('一致', { exact: true }).waitFor();
    // Read only now; the matter declared stands out with its description.
    expect(await page.getByRole('button', { name: '保存草稿' }).count()).toBe(0);
    await page.locator('tr.selfcheck-yes', { hasText: DECLARED_ITEM }).getByText(DECLARATION).waitFor();
    const versions = page.getByRole('region', { name: '历次版本' });
    if (hadSigned) await versions.getByText('已被更正版本替代').waitFor();
    await page.screenshot({ path: screenshotPath('e2e-self-check-signed.png'), fullPage: true });
    await ctx.close();

    // ---- 整顿办 again
    await office.page.reload();
    await office.page.getByRole('heading', { level: 1, name: '自查报告提交情况' }).waitFor();
    if (!hadSigned) {
      // A first signature: one more has signed, in the county too.
      expect(await figure(office.page, '已签字提交')).toBe(overallBefore + 1);
      expect(await unitSubmitted(office.page, '红山区司法局')).toBe(countyBefore + 1);
    } else {
      // A correction replaces the signed version: the figures stay, the new version leads 报告审核.
      expect(await figure(office.page, '已签字提交')).toBe(overallBefore);
      expect(await unitSubmitted(office.page, '红山区司法局')).toBe(countyBefore);
      await office.page.getByText('报告审核', { exact: true }).click();
      await office.page.getByLabel('仅看有说明事项的').check();
      const first = office.page.locator('.data-table tbody tr').first();
      await first.getByText(own, { exact: true }).waitFor();
      expect(await first.textContent()).toContain(`第 ${version} 版`);
      expect(await first.textContent()).toContain('说明 1 项');
      await first.getByRole('button', { name: own }).click();
      const drawer = office.page.getByRole('dialog', { name: `${own} 的自查事项报告表 · 第 ${version} 版` });
      await drawer.locator('tr.selfcheck-yes', { hasText: DECLARED_ITEM }).getByText(DECLARATION).waitFor();
      await drawer.getByText('一致', { exact: true }).waitFor();
      await drawer.getByLabel('审核意见').fill('已核实，如实说明，从宽处理。');
      await drawer.getByRole('button', { name: '提交审核' }).click();
      await drawer.waitFor({ state: 'hidden' });
      await first.getByText('已审核', { exact: true }).waitFor();
    }
    await office.page.screenshot({ path: screenshotPath('e2e-self-checks-office.png') });
    await office.ctx.close();
    expect(problems).toEqual([]);
  }, 300_000);
});
