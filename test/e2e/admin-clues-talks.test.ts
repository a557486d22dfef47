// 问题线索, 谈心谈话 and 民主生活会 in a real browser against the real server. The clue handler sees the
// restricted list (no clue text in it), opens a self-reported clue (自查从宽 with the declaration beside
// it) and a tip-off whose reporter stays hidden until asked for, registers a clue for a person under a
// category, and is stopped disposing it by 初步核实 without a deadline. 整顿办 may not open the clues.
// A county's unit admin sees round 2 fully covered, records a talk in it, opens a talkee's talks by their
// name and corrects the talk's talkee; 整顿办 sees the city's life
// meeting with its four problems and opens the ledger item one became.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { checkIn, figureValue, pickOption, screenshotPath, seriousAxe, signIn, startBrowserRun, type BrowserRun } from './support.js';

const ADMIN_PASSWORD = 'Admin#E2e2026x';
const DEMO_PASSWORD = 'Demo#E2e2026x';

describe('clues, talks and life meetings in chromium', () => {
  let run: BrowserRun | undefined;
  let base: string;
  const problems: string[] = [];

  const signedIn = (username: string) => signIn(run!, username, DEMO_PASSWORD, problems);

  /** axe on what is open now (a drawer, a dialog): nothing serious or critical. */
  const axeClean = async (page: Page, what: string) => expect(await seriousAxe(page, what)).toEqual([]);

  /** People the signed-in user may pick (their data scope), as the person picker finds them. */
  async function people(ctx: BrowserContext, n: number): Promise<{ id: string; name: string }[]> {
    const res = await ctx.request.get(`${base}/api/people?pageSize=50&status=active`);
    expect(res.status()).toBe(200);
    const items = ((await res.json()) as { items: { id: string; name: string }[] }).items;
    // Names the search finds alone: two people of the same name would make the pick ambiguous.
    const unique = items.filter((p) => items.filter((q) => q.name === p.name).length === 1);
    expect(unique.length).toBeGreaterThanOrEqual(n);
    return unique.slice(0, n);
  }

  /** Types a name into a person picker and picks the person from what the search finds. */
  const pickPerson = (page: Page, field: ReturnType<Page['getByLabel']>, name: string) => pickOption(page, field, name, name);

  /** Types a date into a date picker and takes it by leaving the box (Enter would also send the form). */
  async function typeDate(page: Page, field: ReturnType<Page['getByLabel']>, date: string) {
    await field.click();
    await field.fill(date);
    await field.press('Tab');
    await page.locator('.ant-picker-dropdown:visible').first().waitFor({ state: 'hidden' });
    expect(await field.inputValue()).toBe(date);
  }

  beforeAll(async () => {
    run = await startBrowserRun('clues', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
    ({ base } = run);
  }, 900_000);

  afterAll(async () => {
    await run?.close();
  }, 60_000);

  // Each test answers for what went wrong in its own pages only.
  beforeEach(() => {
    problems.length = 0;
  });

  it('the clue handler reads the restricted clues, registers one and is stopped disposing it without a deadline', async () => {
    const { ctx, page } = await signedIn('cluehandler');
    await page.getByRole('link', { name: '问题线索' }).click();
    await page.waitForURL(/\/clues$/);
    await page.getByRole('heading', { level: 1, name: '问题线索' }).waitFor();
    await page.getByText('线索内容受限，每次查阅均记入审计日志').first().waitFor();

    // The demo's ten clues of all five sources, at every stage; no clue text in the list.
    const rows = page.locator('.data-table tbody tr');
    await page.locator('.pager-total', { hasText: '共 10 条' }).waitFor();
    const listed = (await rows.allTextContents()).join('\n');
    for (const source of ['自查自纠', '举报', '智能化数据排查', '涉法涉诉案件清查', '其他']) expect(listed).toContain(source);
    for (const stage of ['待处置', '处置中', '已核实', '已办结']) expect(listed).toContain(stage);
    expect(listed).not.toContain('主动说明');
    expect(listed).not.toContain('找关系');

    // ---- a self-reported clue: 自查从宽, with the declaration it rests on
    await page.getByLabel('来源').selectOption({ label: '自查自纠' });
    await page.locator('.pager-total', { hasText: '共 2 条' }).waitFor();
    await rows.first().getByRole('button').click();
    let drawer = page.getByRole('dialog', { name: /^问题线索 XS\d+$/ });
    await drawer.waitFor();
    const leniency = drawer.getByTestId('leniency').first();
    await leniency.getByText('自查从宽', { exact: true }).waitFor();
    await leniency.getByText('自查说明').waitFor();
    await leniency.getByText('自查事项', { exact: true }).waitFor();
    await leniency.getByText(/^\d{4}-\d{2}-\d{2}（第 \d+ 版）$/).waitFor();
    await drawer.getByText(/^本人在自查事项报告表中主动说明/).waitFor();
    await axeClean(page, '线索详情');
    await page.screenshot({ path: screenshotPath('e2e-clue-self-reported.png') });
    await drawer.getByRole('button', { name: '关闭' }).click();
    await drawer.waitFor({ state: 'hidden' });

    // ---- a tip-off: the reporter hidden until asked for (and the asking audited)
    await page.getByLabel('来源').selectOption({ label: '举报' });
    await page.locator('.pager-total', { hasText: '共 2 条' }).waitFor();
    await rows.first().getByRole('button').click();
    drawer = page.getByRole('dialog', { name: /^问题线索 XS\d+$/ });
    await drawer.getByText('实名举报（已隐藏）').waitFor();
    expect(await drawer.getByText('王某').count()).toBe(0);
    await drawer.getByRole('button', { name: '查看举报人身份' }).click();
    await drawer.getByText('查看将记入审计日志，确定查看举报人身份吗？').waitFor();
    await drawer.getByRole('button', { name: '确定' }).click();
    await drawer.getByTestId('reporter').getByText('姓名：王某').waitFor();
    await drawer.getByRole('button', { name: '关闭' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: '清空筛选' }).click();
    await page.locator('.pager-total', { hasText: '共 10 条' }).waitFor();

    // ---- 登记线索: a person, a category, the text
    const [person] = await people(ctx, 1);
    // 廉洁纪律: a category no demo officer declared anything under, so 被查从严 whoever the person is.
    const summary = `反映该干警逢年过节收受服务对象礼品礼金，E2E${Date.now().toString(36)}。`;
    await page.getByRole('button', { name: /登记线索/ }).click();
    const register = page.getByRole('dialog', { name: '登记问题线索' });
    await register.getByRole('button', { name: /保\s*存/ }).click();
    await register.getByText('请填写线索内容').waitFor();
    await register.getByText('请选择涉及人员').waitFor();
    await pickOption(page, register.getByLabel('线索来源'), '举报');
    // The campaign's categories, read by whoever registers clues (clues:write) as by ledger readers.
    await pickOption(page, register.getByLabel('问题类别'), 'D3 廉洁纪律', '廉洁');
    await register.getByLabel('线索内容').fill(summary);
    await pickPerson(page, register.getByLabel('涉及人员', { exact: true }), person!.name);
    await register.getByLabel('举报人姓名').fill('张某');
    await axeClean(page, '登记问题线索');
    await register.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText(/^线索已登记，编号 XS\d+$/).waitFor();

    // It opens at once: 待处置, the category and the person, 被查从严 (nothing declared about it).
    drawer = page.getByRole('dialog', { name: /^问题线索 XS\d+$/ });
    await drawer.getByText(summary).waitFor();
    await drawer.getByText('待处置', { exact: true }).waitFor();
    await drawer.getByText('廉洁纪律', { exact: true }).waitFor();
    await drawer.getByTestId('leniency').getByText(person!.name).waitFor();
    await drawer.getByTestId('leniency').getByText('被查从严', { exact: true }).waitFor();
    await drawer.getByText('实名举报（已隐藏）').waitFor();
    expect(await drawer.getByRole('button', { name: /登记核实结果/ }).isDisabled()).toBe(true);

    // ---- 处置 by 初步核实: without a deadline it is refused at the field
    await drawer.getByRole('button', { name: /处\s*置/ }).click();
    const dispose = page.getByRole('dialog', { name: /^处置线索 XS\d+$/ });
    await checkIn(page, dispose.getByLabel('初步核实'));
    await dispose.getByLabel('处置意见').fill('由监督室开展初步核实。');
    await dispose.getByRole('button', { name: /保\s*存/ }).click();
    await dispose.getByText('谈话函询、初步核实须填写办理期限').waitFor();
    await axeClean(page, '处置线索');
    await typeDate(page, dispose.getByLabel('办理期限'), '2030-12-31');
    await dispose.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已处置', { exact: true }).waitFor();
    await dispose.waitFor({ state: 'hidden' });
    await drawer.getByText('处置中', { exact: true }).waitFor();
    await drawer.getByText('处置：初步核实').waitFor();
    await drawer.getByText('由监督室开展初步核实。').waitFor();
    expect(await drawer.getByRole('button', { name: /登记核实结果/ }).isDisabled()).toBe(false);

    // In the list: its stage, method and deadline, still no text.
    await page.locator('.pager-total', { hasText: '共 11 条' }).waitFor();
    const row = rows.filter({ hasText: '2030-12-31' });
    expect(await row.textContent()).toContain('初步核实');
    expect(await row.textContent()).not.toContain(summary);
    await ctx.close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('整顿办 may not open the clues: the 403 page', async () => {
    const { ctx, page } = await signedIn('office');
    expect(await page.getByRole('link', { name: '问题线索' }).count()).toBe(0);
    await page.goto(`${base}/clues`);
    await page.getByRole('heading', { level: 1, name: '问题线索' }).waitFor();
    await page.getByTestId('forbidden').waitFor();
    await ctx.close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('a county sees round 2 fully covered and records a talk in it', async () => {
    const { ctx, page } = await signedIn('unitadmin');
    await page.getByRole('link', { name: '谈心谈话' }).click();
    await page.waitForURL(/\/talks$/);
    await page.getByRole('heading', { level: 1, name: '谈心谈话' }).waitFor();
    // The rounds load after the heading: wait for the latest round to be offered as the default.
    await page.getByLabel('谈话轮次').locator('option:checked', { hasText: /^第 2 轮 .*（最新）$/ }).waitFor({ state: 'attached' });
    const total = await figureValue(page, '应谈');
    expect(total).toBeGreaterThan(0);
    expect(await figureValue(page, '已谈')).toBe(total);
    expect(await figureValue(page, '未谈')).toBe(0);
    await page.getByText('本轮谈话已全覆盖').waitFor();
    // Every unit of the county, each covered.
    const units = page.getByRole('region', { name: '各单位谈话情况' });
    await units.locator('tbody tr', { hasText: '红山区司法局' }).first().waitFor();

    // Round 1 too (two full rounds in the demo).
    await page.getByLabel('谈话轮次').selectOption({ label: '第 1 轮 第一轮谈心谈话' });
    await page.getByText('本轮起止：2021-03-15 至 2021-04-30').waitFor();
    expect(await figureValue(page, '已谈')).toBe(await figureValue(page, '应谈'));
    await page.getByLabel('谈话轮次').selectOption({ index: 0 });
    await page.getByText('本轮起止：2021-05-10 至 2021-06-30').waitFor();

    // ---- 记录谈话 on the round's last day (the demo rounds are in 2021)
    const [talker, talkee, third] = await people(ctx, 3);
    const summary = `谈话对象对近期工作安排思想有顾虑，已耐心疏导E2E${Date.now().toString(36)}。`;
    await page.getByRole('button', { name: /记录谈话/ }).click();
    const form = page.getByRole('dialog', { name: '记录谈心谈话' });
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.getByText('请选择谈话人').waitFor();
    await form.getByText('至少选择 1 项谈话内容').waitFor();
    await pickPerson(page, form.getByLabel('谈话人'), talker!.name);
    await pickPerson(page, form.getByLabel('谈话对象'), talkee!.name);
    await typeDate(page, form.getByLabel('谈话日期'), '2021-06-30');
    await pickOption(page, form.getByLabel('必谈情形'), '思想出现波动时');
    await form.getByLabel('谈思想认识').check();
    await form.getByLabel('谈工作作风').check();
    await form.getByLabel('谈话情况').fill(summary);
    await form.getByLabel('后续跟进').fill('一个月后再次谈话。');
    await axeClean(page, '记录谈心谈话');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('谈话记录已保存').waitFor();
    await form.waitFor({ state: 'hidden' });

    // The newest talk of the round: first in its list.
    const talks = page.getByRole('region', { name: '谈话记录' });
    const row = talks.locator('tbody tr', { hasText: summary });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('2021-06-30');
    expect(text).toContain(talker!.name);
    expect(text).toContain(talkee!.name);
    expect(text).toContain('思想出现波动时');
    expect(await talks.locator('tbody tr').first().textContent()).toContain(summary);
    expect(await figureValue(page, '已谈')).toBe(total);

    // ---- The talkee's name opens their talks in the round; the talk is among them.
    await row.getByRole('button', { name: talkee!.name }).click();
    await page.waitForURL(new RegExp(`personId=${talkee!.id}`));
    const theirs = page.getByRole('region', { name: `${talkee!.name}本轮参加的谈话` });
    await theirs.locator('tbody tr', { hasText: summary }).waitFor();
    for (const r of await theirs.locator('tbody tr').all()) expect(await r.textContent()).toContain(talkee!.name);

    // ---- 更正: the wrong talkee is replaced; their list no longer holds the talk.
    await theirs.getByRole('button', { name: `更正 2021-06-30 ${talker!.name} 的谈话记录` }).click();
    const edit = page.getByRole('dialog', { name: '更正谈话记录' });
    const talkees = edit.getByLabel('谈话对象');
    await edit.locator('.ant-select-selection-item', { hasText: talkee!.name }).waitFor();
    expect(await edit.getByLabel('谈话情况').inputValue()).toBe(summary);
    await edit.locator('.ant-select-selection-item', { hasText: talkee!.name }).locator('.ant-select-selection-item-remove').click();
    await pickPerson(page, talkees, third!.name);
    await axeClean(page, '更正谈话记录');
    await edit.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('谈话记录已更正').waitFor();
    await edit.waitFor({ state: 'hidden' });
    await theirs.locator('tbody tr', { hasText: summary }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '查看全部谈话' }).click();
    const fixed = talks.locator('tbody tr', { hasText: summary });
    await fixed.getByRole('button', { name: third!.name }).waitFor();
    expect(await fixed.textContent()).not.toContain(talkee!.name);
    await page.screenshot({ path: screenshotPath('e2e-talks.png') });
    await ctx.close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('整顿办 sees the life meeting, its four problems and the ledger items they became', async () => {
    const { ctx, page } = await signedIn('office');
    await page.getByRole('link', { name: '民主生活会' }).click();
    await page.waitForURL(/\/life-meetings$/);
    await page.getByRole('heading', { level: 1, name: '民主生活会' }).waitFor();
    const row = page.locator('.data-table tbody tr', { hasText: '市司法局党组队伍教育整顿专题民主生活会' });
    await row.waitFor();
    expect((await row.locator('td').last().textContent())?.trim()).toBe('4');
    await row.getByRole('button').click();

    const drawer = page.getByRole('dialog', { name: '市司法局党组队伍教育整顿专题民主生活会' });
    await drawer.getByText('查摆的问题（4）').waitFor();
    const problemRows = drawer.getByRole('region', { name: '查摆的问题' }).locator('tbody tr');
    expect(await problemRows.count()).toBe(4);
    const links = drawer.getByRole('link', { name: /^台账第 \d+ 项$/ });
    expect(await links.count()).toBe(4);
    await axeClean(page, '民主生活会详情');
    await page.screenshot({ path: screenshotPath('e2e-life-meeting.png') });

    // A problem's ledger item opens on the ledger.
    const first = (await links.first().textContent())!;
    const seq = first.match(/\d+/)![0];
    await links.first().click();
    await page.waitForURL(/\/rectification\?id=/);
    await page.getByRole('dialog', { name: new RegExp(`^整治事项 ${seq}\\b`) }).getByText('民主生活会', { exact: true }).waitFor();
    await ctx.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
