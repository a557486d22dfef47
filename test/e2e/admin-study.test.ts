// 学习教育 "九学" in a real browser against the real server. A county's unit admin organises an important
// event to follow, starting now, for the county and shows its check-in QR code; an officer on a phone
// opens the address the code holds while signed out, signs in and is checked in at once (签到成功), and
// again finds 已签到; the organiser's drawer lists the officer as attended with the hours. The officer
// posts a share and likes a colleague's in 分享促学, and writes the 观评 of the event in 我的学习, which
// the organiser then reads in the activity's drawer. Every page and dialog axe-clean, no console error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { pickOption, screenshotPath, seriousAxe, signIn, staffLogin, startBrowserRun, watchedPage, type BrowserRun } from './support.js';

const ADMIN_PASSWORD = 'Admin#E2e2026x';
const DEMO_PASSWORD = 'Demo#E2e2026x';

describe('study activities, QR check-in, shares and reviews in chromium', () => {
  let run: BrowserRun | undefined;
  let base: string;
  const problems: string[] = [];
  const stamp = Date.now().toString(36);
  const eventTitle = `收看“七一”庆祝大会直播E2E${stamp}`;
  const colleagueShare = `红色故事：半条被子E2E${stamp}`;
  const officerShare = `学党史——这些事我感触最深E2E${stamp}`;
  const reviewText = `收看庆祝大会直播深受教育，要立足司法所岗位为群众办实事、解难题，把学习成果落到调解工作中。E2E${stamp}`;

  // Carried from one step to the next (the steps run in order).
  let staff: { ctx: BrowserContext; page: Page } | undefined;
  let phone: BrowserContext | undefined;
  let phonePage: Page | undefined;
  let officerName = '';
  /** The check-in address of the code on the screen now (the QR dialog fetches a new one every few seconds). */
  let checkinUrl = '';

  const axeClean = async (page: Page, what: string) => expect(await seriousAxe(page, what)).toEqual([]);

  beforeAll(async () => {
    run = await startBrowserRun('study', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
    ({ base } = run);
    // A colleague's share for the officer to like: 整顿办's lead posts one in the feed's campaign.
    const office = await staffLogin(base, 'office', DEMO_PASSWORD);
    const feed = await office.get('/api/study/shares?pageSize=1');
    expect(feed.status).toBe(200);
    const posted = await office.post('/api/study/shares', {
      kind: 'text', category: 'red_story', title: colleagueShare, campaignId: feed.body.campaignId,
      body: '三位女红军借宿徐解秀老人家，临走时把仅有的一条被子剪下一半留给老人。',
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  }, 900_000);

  afterAll(async () => {
    await staff?.ctx.close().catch(() => undefined);
    await phone?.close().catch(() => undefined);
    await run?.close();
  }, 60_000);

  // Each step answers for what went wrong in its own pages only.
  beforeEach(() => {
    problems.length = 0;
  });

  it('a unit admin organises an event to follow, starting now, and shows its check-in QR code', { timeout: 300_000 }, async () => {
    staff = await signIn(run!, 'unitadmin', DEMO_PASSWORD, problems);
    const { page } = staff;
    // Every code the dialog fetches: the latest one is the one on the screen.
    page.on('response', (r: Response) => {
      if (/\/api\/study\/activities\/[^/]+\/checkin-code$/.test(new URL(r.url()).pathname) && r.status() === 200) {
        void r.json().then((b: { url: string }) => (checkinUrl = b.url)).catch(() => undefined);
      }
    });
    await page.getByRole('link', { name: '学习活动' }).click();
    await page.waitForURL(/\/study\/activities$/);
    await page.getByRole('heading', { level: 1, name: '学习活动' }).waitFor();
    await page.getByRole('region', { name: '“九学”开展情况' }).getByRole('button', { name: /重要活动跟学/ }).waitFor();
    // The list settled (rows in, no loading veil over its headers) before judging contrast.
    await page.locator('.data-table tbody tr', { hasText: '学党史' }).first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.ant-table-wrapper .ant-spin-blur'));
    await page.waitForTimeout(300);
    await axeClean(page, '学习活动');

    await page.getByRole('button', { name: '组织学习活动' }).click();
    const form = page.getByRole('dialog', { name: '组织学习活动' });
    await form.getByLabel('活动名称').waitFor();
    await pickOption(page, form.getByLabel('学习方式（“九学”）'), '重要活动跟学');
    await form.getByLabel('活动名称').fill(eventTitle);
    await form.getByLabel('地点').fill('红山区司法局三楼会议室');
    await form.getByLabel('主讲人', { exact: true }).fill('中央广播电视总台直播');
    await form.getByLabel('内容摘要').fill('组织全体干警收听收看庆祝中国共产党成立 100 周年大会直播，会后撰写观评。');
    // Starts now (the form's default), for the unit admin's own county (the default organiser and participants).
    await form.locator('.ant-select-selection-item', { hasText: '红山区司法局' }).first().waitFor();
    await axeClean(page, '组织学习活动');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('学习活动已创建').waitFor();
    await form.waitFor({ state: 'hidden' });

    // The new activity opens in its drawer.
    await page.waitForURL(/\/study\/activities\?id=/);
    const drawer = page.getByRole('dialog', { name: eventTitle });
    await drawer.getByText('签到中').waitFor();
    await drawer.getByText('尚无人签到').waitFor();
    await axeClean(page, '学习活动详情');

    await drawer.getByRole('button', { name: '现场签到二维码' }).click();
    const qr = page.getByRole('dialog', { name: '现场签到二维码' });
    const img = qr.getByRole('img', { name: `签到二维码：${eventTitle}` });
    await img.waitFor();
    await qr.getByText(/^已签到 0 人 \/ 应到 \d+ 人$/).waitFor();
    // Big enough to scan from the back of the room.
    const box = (await img.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(400);
    await expect.poll(() => checkinUrl).toMatch(new RegExp(`^${base}/study/checkin\\?a=[^&]+&c=[0-9a-f]{20}$`));
    expect(checkinUrl).toContain(`c=${await img.getAttribute('data-code')}`);
    await axeClean(page, '现场签到二维码');
    await page.screenshot({ path: screenshotPath('e2e-study-qr.png') });
    expect(problems).toEqual([]);
  });

  it('the officer scans it on a phone while signed out, signs in and is checked in at once; again: 已签到', async () => {
    phone = await run!.browser.newContext({
      viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    });
    phonePage = await watchedPage(phone, problems, () => [/\/api\/me$/]);
    const page = phonePage;
    // The address of the code on the screen now.
    await page.goto(checkinUrl);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('用户名').fill('officer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    // Back to the check-in address, and checked in without another tap.
    await page.waitForURL(/\/study\/checkin\?a=/);
    await page.getByRole('heading', { level: 2, name: '签到成功' }).waitFor();
    await page.getByText(eventTitle).waitFor();
    await page.getByText(/计入 1 学时/).waitFor();
    await axeClean(page, '签到成功');
    await page.screenshot({ path: screenshotPath('e2e-study-checkin-phone.png') });
    // Nothing sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    officerName = ((await (await phone.request.get(`${base}/api/me`)).json()) as { user: { displayName: string } }).user.displayName;

    // Scanning again (the code now on the screen): already checked in.
    await page.goto(checkinUrl);
    await page.getByRole('heading', { level: 2, name: '已签到' }).waitFor();
    await page.getByText('您此前已签到，无需重复签到。').waitFor();
    await axeClean(page, '已签到');

    // Without an address: how to check in.
    await page.goto(`${base}/study/checkin`);
    await page.getByRole('heading', { level: 2, name: '如何扫码签到' }).waitFor();
    await axeClean(page, '扫码签到说明');
    expect(problems).toEqual([]);
  }, 300_000);

  it('the organiser sees the officer attended, with the hours', async () => {
    const { page } = staff!;
    const qr = page.getByRole('dialog', { name: '现场签到二维码' });
    // The live count moves without a reload.
    await qr.getByText(/^已签到 1 人 \/ 应到 \d+ 人$/).waitFor();
    await qr.getByRole('button', { name: /关\s*闭|Close/ }).first().click();
    await qr.waitFor({ state: 'hidden' });
    const drawer = page.getByRole('dialog', { name: eventTitle });
    const attendance = drawer.getByRole('region', { name: '已签到人员' });
    const row = attendance.locator('tbody tr', { hasText: officerName });
    await row.waitFor();
    const cells = (await row.locator('td').allTextContents()).map((s) => s.trim());
    expect(cells).toContain('扫码签到');
    expect(cells).toContain('应参加');
    expect(cells).toContain('1');
    await drawer.getByText('签到名单（1）').waitFor();
    await axeClean(page, '签到名单');
    expect(problems).toEqual([]);
  }, 120_000);

  it('the officer posts a share and likes a colleague’s in 分享促学', async () => {
    const page = phonePage!;
    await page.goto(`${base}/study/shares`);
    await page.getByRole('heading', { level: 1, name: '分享促学' }).waitFor();
    await page.getByText('学党史——这些事我感触最深', { exact: false }).first().waitFor();
    const theirs = page.getByRole('article', { name: colleagueShare });
    await theirs.waitFor();
    await axeClean(page, '分享促学');

    await page.getByRole('button', { name: '发布分享' }).click();
    const form = page.getByRole('dialog', { name: '发布分享' });
    await form.getByLabel('标题').fill(officerShare);
    await form.getByLabel('内容').fill('读到“为有牺牲多壮志，敢教日月换新天”，想到调解室里一次次耐心的劝解：为民办实事，就在一件件小事里。');
    await axeClean(page, '发布分享');
    await form.getByRole('button', { name: /发\s*布/ }).click();
    await page.getByText('分享已发布').waitFor();
    await form.waitFor({ state: 'hidden' });
    const mine = page.getByRole('article', { name: officerShare });
    await mine.getByText('我发布的').waitFor();
    // Under today's heading, newest first.
    const today = page.getByRole('region', { name: '今天' });
    expect(await today.getByRole('article').first().getAttribute('aria-labelledby')).toBe(await mine.getAttribute('aria-labelledby'));

    const like = theirs.getByRole('button', { name: /^点赞/ });
    expect(await like.getAttribute('aria-pressed')).toBe('false');
    expect(await like.locator('.like-count').textContent()).toBe('0');
    await like.click();
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true');
    expect(await like.locator('.like-count').textContent()).toBe('1');
    // The like is the server's: a reload shows it.
    await page.reload();
    await page.getByRole('article', { name: colleagueShare }).getByRole('button', { name: /^点赞/, pressed: true }).waitFor();
    await axeClean(page, '分享促学（已点赞）');

    // A reading's player: a listen counts when it starts, once per page view (the demo's readings are MP3s).
    const reading = page.getByRole('article').filter({ has: page.locator('audio') }).first();
    await reading.waitFor();
    const plays = async () => Number(((await reading.locator('.share-plays').textContent()) ?? '').match(/^收听 (\d+) 次$/)![1]);
    const before = await plays();
    const audio = reading.locator('audio');
    expect(await audio.getAttribute('preload')).toBe('none');
    await audio.evaluate((a: HTMLAudioElement) => a.play());
    await expect.poll(plays).toBe(before + 1);
    await audio.evaluate(async (a: HTMLAudioElement) => {
      a.pause();
      a.currentTime = 0;
      await a.play();
    });
    await page.waitForTimeout(500);
    expect(await plays()).toBe(before + 1);
    await page.screenshot({ path: screenshotPath('e2e-study-shares-phone.png') });
    expect(problems).toEqual([]);
  }, 300_000);

  it('the officer writes the 观评 of the event in 我的学习, and the organiser reads it', async () => {
    const page = phonePage!;
    await page.goto(`${base}/study/my`);
    await page.getByRole('heading', { level: 1, name: '我的学习' }).waitFor();
    const row = page.getByRole('list', { name: '本人应参加或已签到的学习活动' }).getByRole('listitem').filter({ hasText: eventTitle });
    await row.waitFor();
    await row.getByText('已签到（扫码签到）').waitFor();
    await row.getByText('计入 1 学时').waitFor();
    await page.getByRole('main').getByRole('link', { name: '我的考试' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: '学习档案' }).waitFor();
    await axeClean(page, '我的学习');

    await row.getByRole('button', { name: `为“${eventTitle}”写观评` }).click();
    const form = page.getByRole('dialog', { name: '撰写观评' });
    await form.getByLabel('观评内容').fill('收看后很受教育。');
    await form.getByRole('button', { name: /提\s*交/ }).click();
    await form.getByText('观评至少 20 个字').waitFor();
    await form.getByLabel('观评内容').fill(reviewText);
    // The refusal fades out before axe looks (its fading copy is pale on purpose).
    await form.locator('.ant-form-item-explain-error').waitFor({ state: 'detached' });
    await axeClean(page, '撰写观评');
    await form.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByText('观评已保存').waitFor();
    await form.waitFor({ state: 'hidden' });
    const reviews = page.getByRole('region', { name: '我的观评' });
    await reviews.getByText(reviewText).waitFor();
    await row.getByRole('button', { name: `修改“${eventTitle}”的观评` }).waitFor();
    await page.screenshot({ path: screenshotPath('e2e-study-my-phone.png') });

    // The organiser reads it in the activity's drawer.
    const staffPage = staff!.page;
    await staffPage.reload();
    const drawer = staffPage.getByRole('dialog', { name: eventTitle });
    await drawer.getByText('观评（1）').waitFor();
    await drawer.getByRole('region', { name: '本次活动的观评' }).locator('tbody tr', { hasText: officerName }).waitFor();
    await axeClean(staffPage, '活动观评');
    expect(problems).toEqual([]);
  }, 300_000);
});
