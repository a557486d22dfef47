// The staff app in a real browser against the real server, started as `npm start` starts it:
// first start prints the generated admin password → log in → forced password change → 干警管理 →
// search a demo person by name. Also the public entry page. Debian's chromium, never a downloaded one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ChildProcess } from 'node:child_process';
import { buildApp, freePort, launchChromium, serverEnv, startServer, stopServer, screenshotPath } from './support.js';

const NEW_PASSWORD = 'E2e#Pass2026';

/** Starts the server and reads the admin's one-time password from what the first start printed. */
async function startWithGeneratedAdmin(env: NodeJS.ProcessEnv) {
  const started = await startServer(env);
  const line = started.output().split('\n').find((l) => /^\s*admin\s/.test(l) && l.includes('初始密码：'));
  const adminPassword = line?.split('初始密码：')[1]?.trim();
  if (!adminPassword) throw new Error(`未在启动输出中找到 admin 的初始密码：\n${started.output()}`);
  return { child: started.child, adminPassword };
}

describe('staff app and public page in chromium', () => {
  let tmp: string;
  let server: ChildProcess | undefined;
  let adminPassword: string;
  let base: string;
  let browser: Browser | undefined;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    buildApp();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-e2e-'));
    const port = await freePort();
    // No RECTIFY_ADMIN_PASSWORD: the server must generate and print it, as on a real first start.
    const started = await startWithGeneratedAdmin(serverEnv(tmp, port));
    server = started.child;
    adminPassword = started.adminPassword;
    base = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page.setDefaultTimeout(30_000);
    // A CSP violation (an inline script, say) or an uncaught error would break the app for real users.
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  }, 900_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('logs in with the printed password, must change it, then finds a demo person in 干警管理', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(adminPassword);
    await page.getByRole('button', { name: /登\s*录/ }).click();

    // The one-time password must be replaced before anything else.
    await page.waitForURL(/\/change-password$/);
    await page.getByText('至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类').first().waitFor();
    await page.getByLabel('原密码').fill(adminPassword);
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '确认修改' }).click();

    await page.waitForURL(`${base}/`);
    await page.getByText('系统管理员，您好').waitFor();

    // A demo person far down the list, asked for with the browser's own session.
    const person = await page.evaluate(async () => {
      const res = await fetch('/api/people?pageSize=1&page=300');
      const body = await res.json();
      return { status: res.status, name: body.items?.[0]?.name as string, unit: body.items?.[0]?.orgUnitName as string };
    });
    expect(person.status).toBe(200);
    expect(person.name).toBeTruthy();

    await page.getByRole('link', { name: '干警管理' }).click();
    await page.waitForURL(/\/people$/);
    const rows = page.locator('.data-table tbody tr:not(.empty)');
    await rows.first().waitFor();

    const search = page.getByPlaceholder('姓名或警号');
    await search.fill(person.name);
    await search.press('Enter');
    const firstCell = rows.first().locator('td').first();
    await expect.poll(() => firstCell.textContent(), { timeout: 30_000 }).toBe(person.name);
    await rows.filter({ hasText: person.unit }).first().waitFor();
    // Every row left matches the search.
    const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toContain(person.name);

    await page.screenshot({ path: screenshotPath('e2e-people.png'), fullPage: false });
    expect(problems).toEqual([]);
  }, 240_000);

  it('serves the public entry page on a phone-sized screen', async () => {
    const phone = await browser!.newPage({ viewport: { width: 360, height: 740 }, locale: 'zh-CN', deviceScaleFactor: 2 });
    const errors: string[] = [];
    phone.on('pageerror', (e) => errors.push(e.message));
    phone.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await phone.goto(`${base}/public`);
    await phone.getByRole('heading', { level: 1, name: '教育整顿公众参与' }).waitFor();
    await phone.getByText('提交意见建议').waitFor();
    await expect.poll(() => phone.getByRole('status').textContent(), { timeout: 30_000 }).toContain('服务运行正常');
    expect(await phone.getByRole('link', { name: '工作人员登录' }).getAttribute('href')).toBe('/');
    // Nothing wider than the screen.
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: screenshotPath('e2e-public.png'), fullPage: true });
    expect(errors).toEqual([]);
    await phone.close();
  }, 120_000);
});
