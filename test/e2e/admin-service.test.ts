// 为民服务 in a real browser against the real server. 整顿办 opens a 便民利民 measure, reports its progress
// and sees the report in the measure's history; records a 法治体检 for a registered enterprise (the
// code's failing check character warns first, it does not block); and a citizen on a phone opens the
// public measures from the public home page, by group, with units and progress.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { phoneContext, pickOption, runAxe, seriousAxe, signIn, startBrowserRun, watchedPage, type BrowserRun } from './support.js';
import { usccCheckChar } from '../../src/shared/schemas/service-labels.js';

const ADMIN_PASSWORD = 'Admin#E2e2026s';
const DEMO_PASSWORD = 'Demo#E2e2026s';

describe('为民服务 in chromium', () => {
  let run: BrowserRun | undefined;
  let base: string;
  const problems: string[] = [];
  const signedIn = (username: string) => signIn(run!, username, DEMO_PASSWORD, problems);
  const axeClean = async (page: Page, what: string) => expect(await seriousAxe(page, what)).toEqual([]);

  beforeAll(async () => {
    run = await startBrowserRun('service', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
    ({ base } = run);
  }, 900_000);
  afterAll(async () => {
    await run?.close();
  }, 60_000);
  beforeEach(() => {
    problems.length = 0;
  });

  it('整顿办 reports a measure’s progress and sees it in the history', async () => {
    const { ctx, page } = await signedIn('office');
    await page.getByRole('link', { name: '便民利民措施' }).click();
    await page.waitForURL(/\/service\/measures$/);
    await page.getByRole('heading', { level: 1, name: '便民利民措施' }).waitFor();
    await page.locator('.pager-total', { hasText: /共 3\d 条/ }).waitFor();
    await page.getByRole('button', { name: '查看：12348公共法律服务热线全天候值守' }).click();
    const drawer = page.getByRole('dialog', { name: /12348公共法律服务热线全天候值守/ });
    await drawer.getByText('推进中', { exact: true }).first().waitFor();
    await axeClean(page, '措施详情');

    await drawer.getByRole('button', { name: '报送进展' }).click();
    const report = page.getByRole('dialog', { name: /^报送进展：/ });
    await report.getByLabel('完成进度（%）').fill('80');
    const note = '热线接通率达到 99%，夜间坐席已由律师轮值。';
    await report.getByLabel('进展情况').fill(note);
    await axeClean(page, '报送进展');
    await report.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('进展已报送').waitFor();
    await report.waitFor({ state: 'hidden' });
    const latest = drawer.getByTestId('progress-report').first();
    await latest.getByText(note).waitFor();
    expect(await latest.textContent()).toContain('80%');
    await drawer.getByText('80%').first().waitFor();
    await ctx.close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('整顿办 records a 法治体检 for a registered enterprise; a failing check character only warns', async () => {
    const { ctx, page } = await signedIn('office');
    const ent = ((await (await ctx.request.get(`${base}/api/service/enterprises?pageSize=1&page=7`)).json()) as { items: { code: string; name: string }[] }).items[0]!;
    const person = ((await (await ctx.request.get(`${base}/api/people?pageSize=50&status=active`)).json()) as { items: { name: string }[] }).items.find(
      (p, _, all) => all.filter((q) => q.name === p.name).length === 1,
    )!;
    await page.goto(`${base}/service/enterprises`);
    await page.getByRole('heading', { level: 1, name: '企业法律服务' }).waitFor();
    await page.locator('.pager-total').filter({ hasText: /共 [\d,]+\+? 条/ }).waitFor();
    await page.getByRole('button', { name: /登记法治体检/ }).click();
    const form = page.getByRole('dialog', { name: '登记法治体检' });
    await pickOption(page, form.getByLabel('工作站'), '红山区小微企业法律服务工作站');
    await pickOption(page, form.getByLabel('服务人员'), person.name, person.name);

    // A well-formed code whose check character fails: a warning, not a refusal.
    const first17 = '91150402MA0E2E001';
    const wrong = first17 + (usccCheckChar(first17) === '0' ? '1' : '0');
    await form.getByLabel('统一社会信用代码').fill(wrong);
    await form.getByText('校验码不符（早期赋码可能如此），请核对').waitFor();
    await form.getByText('该企业尚未登记，请填写名称和所在旗县区，保存时一并登记').waitFor();
    await form.getByLabel('统一社会信用代码').fill(ent.code);
    await form.getByTestId('enterprise-found').getByText(ent.name, { exact: false }).waitFor();

    await form.getByLabel('服务内容').fill('律师上门开展法治体检，查阅章程、合同和用工台账。');
    await form.getByLabel('体检领域 1').fill('合同管理');
    await form.getByLabel('发现问题 1').fill('购销合同未约定争议解决方式。');
    await form.getByLabel('法律建议').fill('使用示范合同文本，约定仲裁或诉讼管辖。');
    await axeClean(page, '登记法治体检');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('服务记录已登记').waitFor();
    await form.waitFor({ state: 'hidden' });

    const row = page.locator('.data-table tbody tr', { hasText: ent.name }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('法治体检');
    await row.getByRole('button', { name: '展开详情' }).click();
    await page.getByText('购销合同未约定争议解决方式。').waitFor();
    await axeClean(page, '企业法律服务');

    // 更正企业: the enterprise's legal representative is corrected from the same row.
    await row.getByRole('button', { name: `更正企业信息：${ent.name}` }).click();
    const fix = page.getByRole('dialog', { name: `更正企业信息：${ent.name}` });
    await fix.getByLabel('企业名称').and(fix.locator(`[value="${ent.name}"]`)).waitFor();
    await fix.getByLabel('法定代表人').fill('李更正');
    await axeClean(page, '更正企业');
    await fix.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('企业信息已更正').waitFor();
    const corrected = (await (await ctx.request.get(`${base}/api/service/enterprises?q=${ent.code}`)).json()) as { items: { legalRep: string | null }[] };
    expect(corrected.items[0]!.legalRep).toBe('李更正');
    await ctx.close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('on a phone, the public home links to the public measures, listed by group with units and progress', async () => {
    const context = await phoneContext(run!.browser);
    const page = await watchedPage(context, problems);
    await page.goto(`${base}/public`);
    await page.getByRole('link', { name: '便民利民措施公开' }).click();
    await page.waitForURL(/\/public\/service$/);
    await page.getByRole('heading', { level: 1, name: '便民利民措施公开' }).waitFor();
    await page.getByRole('heading', { level: 2, name: /便民利民措施/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: /优化法治化营商环境举措/ }).waitFor();
    await page.getByText(/^共公开 \d+ 项措施，已完成 \d+ 项。$/).waitFor();
    const cards = page.locator('[data-measure]');
    expect(await cards.count()).toBeGreaterThan(25);
    const first = await cards.first().textContent();
    expect(first).toContain('责任单位');
    expect(first).toMatch(/\d+%/);
    await page.getByText('逾期').first().waitFor();
    // Fits the phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const axe = await runAxe(page);
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await context.close();
    expect(problems).toEqual([]);
  }, 300_000);
});
