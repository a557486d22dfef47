// 考试 in a real browser against the real server. 整顿办 sets a topic with five questions through the
// bank API and an online exam open now for the officer's unit; the office's own pages show the bank
// and refuse a paper rule the bank cannot fill, on that rule's field. The officer, on a phone-sized
// screen, starts the exam from 我的考试, answers by clicking the options' own words, loses the connection
// and gets it back, reloads half-way and finds every answer kept, leaves the page once, hands in and
// sees the score the server computed;
// the archive lists it. The unit admin opens the results and the attempt, with the one tab switch.
// 整顿办 opens a demo exam's 参考人员 and narrows it to who has not sat it; types a score for the officer
// into a fresh offline exam's list, saves it, and finds it in the results and in the topic's 专题成绩.
// 整顿办 corrects an exam nobody has started (修改: title and pass score), then withdraws it (撤销考试); a
// demo exam people have sat opens 修改 with only its title, end and targets left to change.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { screenshotPath, seriousAxe, signIn, staffLogin, startBrowserRun, watchedPage, type BrowserRun } from './support.js';

const ADMIN_PASSWORD = 'Admin#E2e2026x';
const DEMO_PASSWORD = 'Demo#E2e2026x';

describe('exams in chromium', () => {
  let run: BrowserRun | undefined;
  let base: string;
  const problems: string[] = [];
  const stamp = Date.now().toString(36);
  const title = `E2E 线上测试 ${stamp}`;
  let topicId: string;
  let examId: string;
  let officerName: string;
  let officerPersonId: string;
  let officerUnit: string;

  /** axe on what is open now, once drawers and dialogs have finished sliding in (half-faded text is no finding). */
  const axeClean = async (page: Page, what: string) => {
    await page.waitForFunction(() => !document.querySelector('[class*="-enter-active"], [class*="-appear-active"]'));
    expect(await seriousAxe(page, what)).toEqual([]);
  };

  /** The officer as they hold a phone: 375 px wide, signed in through the login page. */
  async function phoneSignIn(username: string): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await run!.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    // A save sent while the phone is offline fails in the browser's console too: that one is expected.
    const page = await watchedPage(ctx, problems, () => [/\/api\/me$/, /\/api\/study\/my\/attempts\/[^/]+\/answers$/]);
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(`${base}/`);
    return { ctx, page };
  }

  beforeAll(async () => {
    run = await startBrowserRun('exams', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
    ({ base } = run);
    const office = await staffLogin(base, 'office', DEMO_PASSWORD);
    const officer = await staffLogin(base, 'officer', DEMO_PASSWORD);
    const me = (await officer.get('/api/me')).body as { user: { displayName: string; personId: string }; orgUnit: { id: string } };
    officerName = me.user.displayName;
    officerPersonId = me.user.personId;
    const unit = me.orgUnit.id;
    officerUnit = unit;

    const campaignId = (await office.get('/api/study/topics')).body.campaignId as string;
    const topic = await office.post('/api/study/topics', { campaignId, title: `E2E 专题 ${stamp}`, onlineWeight: 40, offlineWeight: 60, passScore: 60 });
    expect(topic.status, JSON.stringify(topic.body)).toBe(201);
    topicId = topic.body.id;
    const abcd = (...texts: string[]) => texts.map((text, i) => ({ key: 'ABCD'[i]!, text }));
    const questions = [
      { type: 'single', stem: `中国共产党第一次全国代表大会召开于哪一年？（${stamp}）`, options: abcd('1919年', '1921年', '1927年', '1949年'), answer: 'B', explanation: '1921年7月在上海召开。' },
      { type: 'multiple', stem: `党的三大优良作风包括？（${stamp}）`, options: abcd('理论联系实际', '密切联系群众', '批评与自我批评', '骄傲自满'), answer: ['A', 'B', 'C'] },
      { type: 'judge', stem: `政法队伍教育整顿分两批开展。（${stamp}）`, options: [], answer: true },
      { type: 'blank', stem: `教育整顿的三个环节依次是学习教育、＿＿和总结提升。（${stamp}）`, options: [], answer: [['查纠整改', '查纠']] },
      { type: 'single', stem: `我国的根本政治制度是？（${stamp}）`, options: abcd('人民代表大会制度', '政治协商制度', '民族区域自治制度', '基层群众自治制度'), answer: 'A' },
    ];
    const ids: string[] = [];
    for (const q of questions) {
      const r = await office.post('/api/study/questions', { topicId, difficulty: 1, ...q });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(r.body.id);
    }
    const exam = await office.post('/api/study/exams', {
      topicId, kind: 'online_objective', title, orgUnitId: unit,
      opensAt: new Date(Date.now() - 5 * 60_000).toISOString(), closesAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
      durationMinutes: 30, passScore: 60, paperMode: 'fixed', questions: ids.map((questionId) => ({ questionId, points: 20 })),
      shuffleQuestions: true, shuffleOptions: true, targetUnitIds: [unit],
    });
    expect(exam.status, JSON.stringify(exam.body)).toBe(201);
    examId = exam.body.id;
  }, 900_000);

  afterAll(async () => {
    await run?.close();
  }, 60_000);

  beforeEach(() => {
    problems.length = 0;
  });

  it('整顿办 sees the topic and its bank, and a paper rule the bank cannot fill is refused on that rule', async () => {
    const { ctx, page } = await signIn(run!, 'office', DEMO_PASSWORD, problems, () => [/\/api\/study\/exams$/]);
    await page.goto(`${base}/study/topics?topicId=${topicId}`);
    await page.getByRole('heading', { level: 1, name: '专题与题库' }).waitFor();
    await page.getByRole('heading', { level: 2, name: `题库：E2E 专题 ${stamp}` }).waitFor();
    await page.locator('.pager-total', { hasText: '共 5 条' }).waitFor();
    await axeClean(page, '专题与题库');

    // The question form follows the type: a 填空题 asks for each blank's answers, not options.
    await page.getByRole('button', { name: '新增试题' }).click();
    const qForm = page.getByRole('dialog', { name: '新增试题' });
    await qForm.getByRole('textbox', { name: '选项 D' }).waitFor();
    await axeClean(page, '新增试题');
    await qForm.getByText('填空题', { exact: true }).click();
    await qForm.getByLabel('各空答案').waitFor();
    expect(await qForm.getByRole('textbox', { name: '选项 A' }).count()).toBe(0);
    await qForm.getByRole('button', { name: /取\s*消/ }).click();
    await qForm.waitFor({ state: 'hidden' });

    // 发布考试 on this topic: the full score adds up as the rules are typed; the impossible rule is named.
    await page.goto(`${base}/study/exams?topicId=${topicId}`);
    await page.getByRole('heading', { level: 1, name: '考试管理' }).waitFor();
    await page.getByRole('button', { name: '发布考试' }).click();
    const form = page.getByRole('dialog', { name: '发布考试' });
    await form.getByLabel('考试名称').fill(`E2E 规则不足 ${stamp}`);
    await form.getByRole('group', { name: '第 1 条规则' }).getByLabel('题数').fill('2');
    await form.getByRole('button', { name: '添加规则' }).click();
    await form.getByRole('group', { name: '第 2 条规则' }).waitFor();
    await form.getByTestId('full-score').filter({ hasText: '共 7 题，满分 14 分' }).waitFor();
    await form.getByRole('group', { name: '第 1 条规则' }).getByText('题库中此类试题共 2 题').waitFor();
    await axeClean(page, '发布考试');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    const second = form.getByRole('group', { name: '第 2 条规则' });
    await second.getByText(/第 2 条规则要求单选题 5 题，题库可用的只有 0 题/).waitFor();
    expect(await form.getByRole('group', { name: '第 1 条规则' }).getByText(/题库可用的只有/).count()).toBe(0);
    await page.screenshot({ path: screenshotPath('e2e-exam-form-rules.png') });
    await form.getByRole('button', { name: /取\s*消/ }).click();
    await ctx.close();
    expect(problems).toEqual([]);
  });

  it('an officer takes the exam on a phone, loses the connection and reloads half-way without losing an answer, hands in and sees the score the server computed', async () => {
    const { ctx, page } = await phoneSignIn('officer');
    await page.goto(`${base}/study/my-exams`);
    await page.getByRole('heading', { level: 1, name: '我的考试' }).waitFor();
    const card = page.getByTestId('my-exam').filter({ hasText: title });
    await card.getByText('未作答').waitFor();
    await axeClean(page, '我的考试');
    await card.getByRole('link', { name: `开始答题：${title}` }).click();
    await page.waitForURL(/\/study\/exam\?attempt=/);

    const question = (words: string) => page.getByRole('group', { name: new RegExp(words) });
    await question('第一次全国代表大会').getByLabel('1921年').check();
    // Two of the three right options and no wrong one: half marks.
    await question('三大优良作风').getByLabel('理论联系实际').check();
    await question('三大优良作风').getByLabel('密切联系群众').check();
    await page.getByTestId('save-state').filter({ hasText: /^已保存 \d{2}:\d{2}:\d{2}/ }).waitFor();
    // The connection drops: the answer stays on the phone and goes out when the connection is back.
    await ctx.setOffline(true);
    await question('分两批开展').getByLabel('正确').check();
    await page.getByTestId('save-state').filter({ hasText: '网络异常：答案已暂存在本机，正在重试…' }).waitFor();
    await axeClean(page, '在线答题（离线）');
    await ctx.setOffline(false);
    await page.getByTestId('save-state').filter({ hasText: /^已保存 \d{2}:\d{2}:\d{2}/ }).waitFor();
    // Answered just before the reload: kept in the browser if the server has not had it yet.
    await question('三个环节').getByLabel('第 1 空').fill('查纠整改');
    await axeClean(page, '在线答题');
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('e2e-exam-taking-phone.png'), fullPage: true });

    await page.reload();
    await question('第一次全国代表大会').getByLabel('1921年').waitFor();
    expect(await question('第一次全国代表大会').getByLabel('1921年').isChecked()).toBe(true);
    expect(await question('三大优良作风').getByLabel('理论联系实际').isChecked()).toBe(true);
    expect(await question('三大优良作风').getByLabel('密切联系群众').isChecked()).toBe(true);
    expect(await question('三大优良作风').getByLabel('批评与自我批评').isChecked()).toBe(false);
    expect(await question('分两批开展').getByLabel('正确').isChecked()).toBe(true);
    expect(await question('三个环节').getByLabel('第 1 空').inputValue()).toBe('查纠整改');

    // Leaving the page once (another app): counted and sent with the next save.
    await page.evaluate(() => {
      const set = (v: string) => {
        Object.defineProperty(document, 'visibilityState', { value: v, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      };
      set('hidden');
      set('visible');
    });
    await page.getByText('已离开答题页面 1 次。').waitFor();
    await question('根本政治制度').getByLabel('人民代表大会制度').check();
    await page.getByText('已答 5 / 5').first().waitFor();
    await page.getByTestId('save-state').filter({ hasText: /^已保存/ }).waitFor();

    await page.getByRole('button', { name: '交卷', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: '确定交卷吗？' });
    await confirm.getByText('交卷后不能再修改答案。').waitFor();
    await confirm.getByRole('button', { name: '交卷' }).click();
    const result = page.getByTestId('exam-result');
    await result.waitFor();
    const shown = ((await result.getByTestId('exam-score').textContent()) ?? '').trim();

    // What the server computed: 20 + 10 (half) + 20 + 20 + 20.
    const officer = await staffLogin(base, 'officer', DEMO_PASSWORD);
    const mine = (await officer.get('/api/study/my/exams')).body.items.find((e: { id: string }) => e.id === examId);
    expect(mine.attempt).toMatchObject({ status: 'graded', score: 90, passed: true });
    expect(shown).toBe(String(mine.attempt.score));
    await result.getByText('及格', { exact: true }).waitFor();
    await result.getByText(/考试结束（.+）后可在此查看答案与解析/).waitFor();
    await axeClean(page, '考试成绩');
    await page.screenshot({ path: screenshotPath('e2e-exam-result-phone.png'), fullPage: true });

    // 我的考试 now says 查看成绩 with the score; the archive lists the exam.
    await page.goto(`${base}/study/my-exams`);
    await card.getByText('90 分').waitFor();
    await card.getByRole('link', { name: `查看成绩：${title}` }).waitFor();
    // The archive opens on the study campaign's year; the exam is in this one (Beijing).
    const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
    await page.goto(`${base}/study/archive?year=${year}`);
    await page.getByRole('heading', { level: 1, name: '学习档案' }).waitFor();
    const archive = page.getByTestId('archive');
    await archive.getByRole('row', { name: new RegExp(title) }).getByText('90 / 100').waitFor();
    await archive.getByTestId('archive-formula').getByText(/^学习积分 = 三项之和 = /).waitFor();
    await axeClean(page, '学习档案');
    await ctx.close();
    expect(problems).toEqual([]);
  });

  it('the unit admin opens the results and the attempt: the answers, the score and the tab switch', async () => {
    const { ctx, page } = await signIn(run!, 'unitadmin', DEMO_PASSWORD, problems);
    await page.goto(`${base}/study/exams`);
    await page.getByRole('heading', { level: 1, name: '考试管理' }).waitFor();
    await page.getByRole('button', { name: title }).click();
    const drawer = page.getByRole('dialog', { name: title });
    const row = drawer.getByRole('row', { name: new RegExp(officerName) });
    await row.getByText('已评分').waitFor();
    await row.getByText('90').first().waitFor();
    await axeClean(page, '考试详情');
    await row.getByRole('button', { name: `查看答卷：${officerName}` }).click();
    const attempt = page.getByRole('dialog', { name: `${officerName}的答卷` });
    await attempt.getByTestId('attempt-score').getByText('90 分（满分 100）').waitFor();
    await attempt.getByText('1 次', { exact: true }).waitFor();
    await attempt.getByText('得分 10 / 20').waitFor();
    await axeClean(page, '答卷');
    await page.screenshot({ path: screenshotPath('e2e-exam-attempt.png') });
    await ctx.close();
    expect(problems).toEqual([]);
  });

  it("整顿办 narrows a demo exam's people to who has not sat it, types an offline score into the list, and finds it in the results and the topic score", async () => {
    const office = await staffLogin(base, 'office', DEMO_PASSWORD);
    const exams = (await office.get('/api/study/exams?pageSize=50')).body.items as { id: string; title: string; kind: string; expectedCount: number }[];
    const demo = exams.find((e) => e.kind === 'online_objective' && e.title.endsWith('线上测试') && e.expectedCount > 500);
    expect(demo, 'a demo online exam').toBeTruthy();
    const offTitle = `E2E 线下考试 ${stamp}`;
    const created = await office.post('/api/study/exams', {
      topicId, kind: 'offline_subjective', title: offTitle, orgUnitId: officerUnit,
      opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString(),
      fullScore: 100, passScore: 60, targetUnitIds: [officerUnit],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const offId = created.body.id as string;

    const { ctx, page } = await signIn(run!, 'office', DEMO_PASSWORD, problems);
    const totalOf = async (where: Locator) => Number(((await where.locator('.pager-total').first().textContent()) ?? '').match(/共 ([\d,]+)/)?.[1]?.replace(/,/g, '') ?? NaN);

    // A demo exam: everyone expected, then only those who have not sat it (a few missed each demo exam).
    await page.goto(`${base}/study/exams?id=${demo!.id}`);
    let drawer = page.getByRole('dialog', { name: demo!.title });
    await drawer.getByRole('group', { name: '查看' }).getByText('参考人员', { exact: true }).click();
    let people = drawer.getByRole('region', { name: '参考人员', exact: true });
    await people.locator('tbody tr').first().getByText(/已评分|未参考/).waitFor();
    const all = await totalOf(people);
    expect(all).toBeGreaterThan(500);
    await axeClean(page, '参考人员');
    await people.getByRole('checkbox', { name: '只看未参考' }).check();
    await expect.poll(() => totalOf(people)).toBeLessThan(all);
    const missing = await totalOf(people);
    expect(missing).toBeGreaterThan(0);
    await people.locator('tbody tr').first().getByText('未参考').waitFor();
    expect(await people.locator('tbody tr').count()).toBe(Math.min(missing, 20));
    expect(await people.locator('tbody tr').filter({ hasNotText: '未参考' }).count()).toBe(0);
    await axeClean(page, '参考人员（只看未参考）');

    // The fresh offline exam: a score typed into the officer's row; a score off the half-point steps is
    // refused on that row, the right one saved.
    await page.goto(`${base}/study/exams?id=${offId}`);
    drawer = page.getByRole('dialog', { name: offTitle });
    await drawer.getByRole('group', { name: '查看' }).getByText('参考人员', { exact: true }).click();
    people = drawer.getByRole('region', { name: '参考人员', exact: true });
    await people.getByLabel('每页条数').selectOption('100');
    const row = people.getByRole('row', { name: new RegExp(officerName) });
    await row.getByText('未参考').waitFor();
    const input = row.getByRole('spinbutton', { name: `成绩：${officerName}` });
    await input.fill('87.3');
    await people.getByTestId('scores-pending').filter({ hasText: '本页 1 人的成绩待保存' }).waitFor();
    await people.getByRole('button', { name: '保存本页成绩' }).click();
    await row.getByText('成绩须为 0.5 的整数倍').waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await axeClean(page, '参考人员（成绩录入）');
    await input.fill('87.5');
    await people.getByRole('button', { name: '保存本页成绩' }).click();
    await page.getByText('已保存 1 人的成绩').waitFor();
    await row.getByText('已评分').waitFor();
    expect(await input.inputValue()).toBe('87.5');
    await expect.poll(() => people.getByTestId('scores-pending').textContent()).toBe('');
    await page.screenshot({ path: screenshotPath('e2e-exam-expected-scores.png') });
    await drawer.getByRole('group', { name: '查看' }).getByText('答卷与成绩', { exact: true }).click();
    const results = drawer.getByRole('region', { name: '答卷与成绩', exact: true });
    const resultRow = results.getByRole('row', { name: new RegExp(officerName) });
    await resultRow.getByText('87.5', { exact: true }).waitFor();
    await resultRow.getByText('及格', { exact: true }).waitFor();
    await axeClean(page, '答卷与成绩（线下）');

    // 专题成绩 of the topic: the formula, and the officer's offline score weighed in.
    const expected = (await office.get(`/api/study/topics/${topicId}/results?orgUnitId=${officerUnit}&pageSize=200`)).body.items.find((r: { personId: string }) => r.personId === officerPersonId);
    // The online part is the officer's test above (90), 0 if that one did not run.
    expect(expected).toMatchObject({ offline: 87.5 });
    await page.goto(`${base}/study/topics?topicId=${topicId}`);
    await page.getByRole('group', { name: '查看' }).getByText('专题成绩', { exact: true }).click();
    await page.getByRole('heading', { level: 2, name: `专题成绩：E2E 专题 ${stamp}` }).waitFor();
    await page.getByTestId('topic-formula').filter({ hasText: '专题成绩 = 线上 × 40% + 线下 × 60%（各按百分制），60 分合格；未参加的一项按 0 分计' }).waitFor();
    const table = page.getByRole('region', { name: '本专题的成绩' });
    await table.locator('tbody tr').first().getByText(/^(合格|不合格)$/).waitFor();
    expect(await totalOf(page.locator('.exam-topics-main'))).toBeGreaterThan(500);
    await page.getByRole('combobox', { name: '单位', exact: true }).selectOption(officerUnit);
    await page.getByLabel('每页条数').selectOption('100');
    const topicRow = table.getByRole('row', { name: new RegExp(officerName) });
    await topicRow.getByText('87.5', { exact: true }).waitFor();
    await topicRow.getByText(String(expected.combined), { exact: true }).waitFor();
    await topicRow.getByText(expected.passed ? '合格' : '不合格', { exact: true }).waitFor();
    await axeClean(page, '专题成绩');
    await page.screenshot({ path: screenshotPath('e2e-topic-results.png') });
    await ctx.close();
    expect(problems).toEqual([]);
  });

  it('整顿办 corrects an exam nobody has started and withdraws it; a demo exam people have sat keeps its paper, times and scores', async () => {
    const office = await staffLogin(base, 'office', DEMO_PASSWORD);
    const fresh = `E2E 待修改 ${stamp}`;
    const renamed = `E2E 已修改 ${stamp}`;
    // Opens tomorrow: nobody can have started it.
    const made = await office.post('/api/study/exams', {
      topicId, kind: 'online_objective', title: fresh, orgUnitId: officerUnit,
      opensAt: new Date(Date.now() + 24 * 3600_000).toISOString(), closesAt: new Date(Date.now() + 48 * 3600_000).toISOString(),
      durationMinutes: 30, passScore: 12, paperMode: 'random', rules: [{ type: 'single', count: 2, points: 10 }], targetUnitIds: [officerUnit],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const exams = (await office.get('/api/study/exams?pageSize=50')).body.items as { id: string; title: string; kind: string; expectedCount: number; attempts: number }[];
    const sat = exams.find((e) => e.kind === 'online_objective' && !e.title.startsWith('E2E') && e.title.endsWith('线上测试') && e.attempts > 0);
    expect(sat, 'a demo exam people have sat').toBeTruthy();

    const { ctx, page } = await signIn(run!, 'office', DEMO_PASSWORD, problems);
    await page.goto(`${base}/study/exams?topicId=${topicId}`);
    await page.getByRole('heading', { level: 1, name: '考试管理' }).waitFor();
    await page.getByRole('button', { name: fresh }).click();
    let drawer = page.getByRole('dialog', { name: fresh });
    await drawer.getByText('20 / 12').waitFor();
    await drawer.getByRole('button', { name: '修改' }).click();
    let form = page.getByRole('dialog', { name: '修改考试' });
    await form.getByLabel('考试名称').waitFor();
    expect(await form.getByLabel('考试名称').inputValue()).toBe(fresh);
    // Topic and kind never change; nobody has started, so the rest may.
    expect(await form.getByRole('combobox', { name: '专题' }).isDisabled()).toBe(true);
    expect(await form.getByLabel('及格分').isDisabled()).toBe(false);
    expect(await form.getByText('已有人员参加，只能修改考试名称、结束时间和参考范围').count()).toBe(0);
    await axeClean(page, '修改考试');
    await form.getByLabel('考试名称').fill(renamed);
    await form.getByLabel('及格分').fill('15');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.waitFor({ state: 'hidden' });
    drawer = page.getByRole('dialog', { name: renamed });
    await drawer.getByText('20 / 15').waitFor();
    await page.getByRole('table').first().getByRole('button', { name: renamed }).waitFor();
    expect((await office.get(`/api/study/exams/${made.body.id}`)).body).toMatchObject({ title: renamed, passScore: 15, fullScore: 20 });
    await axeClean(page, '考试详情（可撤销）');

    // 撤销考试: asked first, then gone from the list and the server.
    await drawer.getByRole('button', { name: '撤销考试' }).click();
    const ask = drawer.getByRole('dialog', { name: '确定撤销这场考试吗？' });
    await ask.getByRole('button', { name: '撤销考试' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('考试已撤销').waitFor();
    await expect.poll(() => page.getByRole('button', { name: renamed }).count()).toBe(0);
    expect((await office.get(`/api/study/exams/${made.body.id}`)).status).toBe(404);

    // The demo exam people have sat: no 撤销考试; 修改 says why most of the form is greyed out.
    await page.goto(`${base}/study/exams?id=${sat!.id}`);
    drawer = page.getByRole('dialog', { name: sat!.title });
    await drawer.getByRole('button', { name: '修改' }).click();
    expect(await drawer.getByRole('button', { name: '撤销考试' }).count()).toBe(0);
    form = page.getByRole('dialog', { name: '修改考试' });
    await form.getByText('已有人员参加，只能修改考试名称、结束时间和参考范围').waitFor();
    expect(await form.getByLabel('及格分').isDisabled()).toBe(true);
    expect(await form.getByLabel('开始时间').isDisabled()).toBe(true);
    expect(await form.getByLabel('考试名称').isDisabled()).toBe(false);
    expect(await form.getByLabel('结束时间').isDisabled()).toBe(false);
    await axeClean(page, '修改考试（已有人参加）');
    await page.screenshot({ path: screenshotPath('e2e-exam-edit-locked.png') });
    await form.getByRole('button', { name: /取\s*消/ }).click();
    await form.waitFor({ state: 'hidden' });
    await ctx.close();
    expect(problems).toEqual([]);
  });
});
