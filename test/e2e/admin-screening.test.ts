// 智能化数据排查 in a real browser against the real server. The clue handler opens 数据排查 on the demo's
// open hits (the demo seeds the registers and runs the rules once), reads one hit's reasoning and the
// register rows it rests on, turns it into a clue (and sees the clue's number, and the hit 已转线索), is
// stopped dismissing another without a reason and then dismisses it with one, changes a parameter of
// 违规经商办企业、参股 (a new version), runs the screening and reads what it found. An officer has no
// menu entry and gets the 403 page.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserWalk, screenshotPath } from './support.js';

describe('data screening in chromium', () => {
  const { problems, base, signedIn, axeClean } = browserWalk('screening');
  /** A toast the page shows now. */
  const toast = (page: Page, text: string | RegExp) => page.locator('.toasts').getByText(text).first();
  /** A status tag (not the 状态 tabs' or the details' labels of the same words). */
  const tag = (where: ReturnType<Page['locator']>, text: string) => where.locator('.ant-tag', { hasText: new RegExp(`^${text}$`) }).first();

  it('the clue handler reviews hits, edits a rule and runs the screening', async () => {
    const { ctx, page } = await signedIn('cluehandler');
    await page.getByRole('link', { name: '数据排查' }).click();
    await page.waitForURL(/\/screening$/);
    await page.getByRole('heading', { level: 1, name: '数据排查' }).waitFor();

    // ---- 命中审核: the demo's open hits, 待审核 by default
    const hits = page.getByRole('region', { name: '排查命中结果' });
    const rows = hits.locator('tbody tr');
    await rows.filter({ hasText: '待审核' }).first().waitFor();
    const before = await rows.count();
    expect(before).toBeGreaterThanOrEqual(2);
    expect((await rows.allTextContents()).every((r) => r.includes('待审核'))).toBe(true);
    await axeClean(page, '命中审核');

    // ---- one hit: the rule, its description, why it matched and the register rows behind it
    await rows.first().getByRole('button').first().click();
    let drawer = page.getByRole('dialog', { name: /^排查命中：/ });
    await drawer.waitFor();
    await drawer.getByText(/（第 \d+ 版）$/).first().waitFor();
    const evidence = drawer.getByTestId('evidence');
    await evidence.first().getByText(/ 第 \d+ 行$/).waitFor();
    expect(await evidence.count()).toBeGreaterThanOrEqual(1);
    expect(((await drawer.getByTestId('hit-reasoning').textContent()) ?? '').trim().length).toBeGreaterThan(4);
    // Each register row as its fields, label beside value.
    await evidence.first().locator('.ant-descriptions-item-label').first().waitFor();
    await axeClean(page, '命中详情');
    await page.screenshot({ path: screenshotPath('e2e-screening-hit.png') });
    const hitUrl = new URL(page.url());
    const hitId = hitUrl.searchParams.get('id')!;
    expect(hitId).toBeTruthy();
    // Whether the hit names an officer of ours (then the clue is his unit's) or only a unit must be chosen.
    const detail = (await (await ctx.request.get(`${base()}/api/screening/hits/${hitId}`)).json()) as { personId: string | null; orgUnitId: string | null };

    // ---- 转为线索: the campaign (the running one offered), the number of the new clue
    await drawer.getByRole('button', { name: '转为线索' }).click();
    const confirm = page.getByRole('dialog', { name: '转为问题线索' });
    await confirm.waitFor();
    const campaign = confirm.getByLabel('教育整顿批次');
    // The running campaign is chosen once the list comes.
    await expect
      .poll(() => campaign.evaluate((el) => (el.closest('.ant-select') as HTMLElement | null)?.innerText.trim() ?? ''), { timeout: 15_000 })
      .toMatch(/\S/);
    if (!detail.personId && !detail.orgUnitId) {
      // Saving without the unit is refused on the field; then the unit is picked from the tree.
      await confirm.getByRole('button', { name: '转为线索' }).click();
      await confirm.getByText('请选择涉及单位', { exact: true }).waitFor();
      await confirm.getByLabel('涉及单位').click();
      await confirm.getByLabel('涉及单位').fill('红山区司法局');
      await page.locator('.ant-select-tree-title').filter({ hasText: /^红山区司法局$/ }).click();
    }
    await confirm.getByLabel('说明').fill('经比对属实，转线索核查。');
    await axeClean(page, '转为问题线索');
    await confirm.getByRole('button', { name: '转为线索' }).click();
    const done = toast(page, /^已转为问题线索，线索编号 XS\d+$/);
    await done.waitFor();
    const clueNo = ((await done.textContent()) ?? '').match(/XS\d+/)![0];
    await confirm.waitFor({ state: 'hidden' });
    await tag(drawer, '已转线索').waitFor();
    expect(await drawer.getByTestId('hit-clue').textContent()).toBe(clueNo);
    await drawer.getByText('该命中已审核，不能再次处理。').waitFor();
    expect(await drawer.getByRole('button', { name: '转为线索' }).count()).toBe(0);
    await drawer.getByRole('button', { name: '关闭' }).click();
    await drawer.waitFor({ state: 'hidden' });

    // It left the queue, and shows under 已转线索 with its clue.
    await page.locator('.pager-total', { hasText: `共 ${before - 1} 条` }).waitFor();
    // The 状态 tabs: native radios under their labels.
    await page.locator('label.segment', { hasText: '已转线索' }).click();
    await hits.getByRole('link', { name: `打开问题线索 ${clueNo}` }).waitFor();
    await page.locator('label.segment', { hasText: '待审核' }).click();
    await page.locator('.pager-total', { hasText: `共 ${before - 1} 条` }).waitFor();

    // ---- 排除: refused without a reason, then done with one
    await rows.first().getByRole('button').first().click();
    drawer = page.getByRole('dialog', { name: /^排查命中：/ });
    await drawer.getByTestId('evidence').first().waitFor();
    await drawer.getByRole('button', { name: /排\s*除/ }).click();
    const dismiss = page.getByRole('dialog', { name: '排除命中' });
    await dismiss.getByRole('button', { name: /排\s*除/ }).click();
    await dismiss.getByText('请写明排除理由（至少 4 个字）').waitFor();
    await axeClean(page, '排除命中');
    await dismiss.getByLabel('排除理由').fill('经核查为同名不同人，名册已更正。');
    await dismiss.getByRole('button', { name: /排\s*除/ }).click();
    await toast(page, '已排除').waitFor();
    await dismiss.waitFor({ state: 'hidden' });
    await drawer.getByText('经核查为同名不同人，名册已更正。').waitFor();
    await tag(drawer, '已排除').waitFor();
    await drawer.getByRole('button', { name: '关闭' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.locator('.pager-total', { hasText: `共 ${before - 2} 条` }).waitFor();

    // ---- 排查规则: a parameter of 违规经商办企业、参股 changed, saved as the next version
    await page.getByRole('tab', { name: '排查规则' }).click();
    const rules = page.getByRole('region', { name: '排查规则' });
    const rule = rules.locator('tbody tr', { hasText: '违规经商办企业、参股' }).first();
    await rule.waitFor();
    const version = Number(((await rule.locator('td').filter({ hasText: /^v\d+$/ }).textContent()) ?? '').slice(1));
    expect(version).toBeGreaterThanOrEqual(1);
    await axeClean(page, '排查规则');
    await rule.getByRole('button', { name: '编辑规则“违规经商办企业、参股”' }).click();
    const form = page.getByRole('dialog', { name: /^编辑排查规则：/ });
    const share = form.getByLabel('股东持股比例不低于');
    await share.waitFor();
    await share.fill('5');
    await axeClean(page, '编辑排查规则');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await toast(page, `已保存为第 ${version + 1} 版`).waitFor();
    await form.waitFor({ state: 'hidden' });
    await rule.getByText(`v${version + 1}`, { exact: true }).waitFor();

    // Its versions: the new one says 5 %.
    await rule.getByRole('button', { name: '规则“违规经商办企业、参股”的版本记录' }).click();
    const versions = page.getByRole('dialog', { name: /^版本记录：/ });
    await versions.getByText('股东持股比例不低于：5 %').waitFor();
    await axeClean(page, '版本记录');
    await versions.getByRole('button', { name: /关\s*闭/ }).last().click();
    await versions.waitFor({ state: 'hidden' });

    // ---- 运行排查: per rule what it found, and the registers it read
    await page.getByRole('button', { name: '运行排查' }).click();
    const result = page.getByRole('dialog', { name: '排查结果' });
    await result.getByTestId('run-result').waitFor();
    await toast(page, /^排查完成：命中 \d+ 条，其中新增 \d+ 条$/).waitFor();
    const ruleRows = result.getByRole('region', { name: '本次排查各规则的命中情况' }).locator('tbody tr');
    await ruleRows.filter({ hasText: '违规经商办企业、参股' }).getByText(`v${version + 1}`, { exact: false }).waitFor();
    const used = result.getByRole('region', { name: '本次排查使用的名册' });
    await used.getByText('在职人员', { exact: true }).waitFor();
    await axeClean(page, '排查结果');
    await page.screenshot({ path: screenshotPath('e2e-screening-run.png') });
    await result.getByRole('button', { name: /关\s*闭/ }).last().click();
    await result.waitFor({ state: 'hidden' });

    // ---- 数据导入: every register with its current snapshot, and the run just made
    await page.getByRole('tab', { name: '数据导入' }).click();
    const staff = page.getByTestId('dataset-staff');
    await staff.getByText('在职人员', { exact: true }).waitFor();
    await staff.getByRole('link', { name: '下载模板：在职人员' }).waitFor();
    await page.getByRole('region', { name: '历次排查' }).locator('tbody tr').first().waitFor();
    await axeClean(page, '数据导入');

    await ctx.close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('an officer has no 数据排查: no menu entry, the 403 page', async () => {
    const { ctx, page } = await signedIn('officer');
    expect(await page.getByRole('link', { name: '数据排查' }).count()).toBe(0);
    await page.goto(`${base()}/screening`);
    await page.getByRole('heading', { level: 1, name: '数据排查' }).waitFor();
    await page.getByTestId('forbidden').waitFor();
    await ctx.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
