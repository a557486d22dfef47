// 三员分立 in a real browser against the real server: the security admin asks for a 整顿办 account
// and sees it waiting (待审批); the system admin approves it in their own browser and never sees the
// password; the security admin collects the one-time password once, and it opens the new account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { screenshotPath, signIn, startBrowserRun, type BrowserRun } from './support.js';

const ADMIN_PASSWORD = 'Admin#E2e2026x';
const DEMO_PASSWORD = 'Demo#E2e2026x';
const USERNAME = 'office.e2e';

describe('privileged account approval in chromium', () => {
  let run: BrowserRun | undefined;
  let base: string;
  let browser: Browser | undefined;
  const problems: string[] = [];

  /** A context of its own per administrator: two people, two browsers. */
  const signedIn = (username: string, password: string) => signIn(run!, username, password, problems);

  beforeAll(async () => {
    // Operator-chosen passwords: no forced change, so the walk starts at the work itself.
    run = await startBrowserRun('appr', { admin: ADMIN_PASSWORD, demo: DEMO_PASSWORD });
    ({ base, browser } = run);
  }, 900_000);

  afterAll(async () => {
    await run?.close();
  }, 60_000);

  it('secadmin asks, admin approves, secadmin collects the one-time password once', async () => {
    // ---- the security admin asks for a 整顿办 account
    const sec = await signedIn('secadmin', DEMO_PASSWORD);
    await sec.page.getByRole('link', { name: '账号管理' }).click();
    await sec.page.waitForURL(/\/users$/);
    await sec.page.getByRole('button', { name: /新建账号/ }).click();
    // The whole drawer (a dialog named by its title): the fields in its body, 保存 in its footer.
    const drawer = sec.page.getByRole('dialog', { name: '新建账号', exact: true });
    await drawer.getByLabel('用户名').fill(USERNAME);
    await drawer.getByLabel('姓名').fill('整顿办E2E');
    await drawer.getByLabel('所在单位').click();
    await drawer.getByLabel('所在单位').fill('赤峰市司法局');
    await sec.page.locator('.ant-select-tree-title', { hasText: '赤峰市司法局' }).first().click();
    await drawer.getByLabel('角色').click();
    await drawer.getByLabel('角色').fill('整顿办');
    await sec.page.locator('.ant-select-item-option', { hasText: '整顿办' }).first().click();
    // Leaving the select closes its list (Escape would close the drawer if the list already had).
    await drawer.getByLabel('角色').blur();
    await drawer.getByRole('button', { name: /保\s*存/ }).click();

    // Nothing was created: a notice says it waits for approval.
    const notice = sec.page.getByRole('dialog', { name: '已提交审批', exact: true });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('须由另一职责的管理员批准后生效');
    await notice.getByRole('button', { name: '查看审批' }).click();
    await sec.page.waitForURL(/\/approvals$/);
    const secRow = sec.page.locator('.data-table tbody tr', { hasText: USERNAME });
    await secRow.getByText('待审批').waitFor();
    const users = await sec.page.evaluate(async (u) => (await (await fetch(`/api/users?q=${u}`)).json()).total as number, USERNAME);
    expect(users).toBe(0);

    // ---- the system admin, in another browser, approves it
    const admin = await signedIn('admin', ADMIN_PASSWORD);
    await admin.page.getByRole('link', { name: '特权审批' }).click();
    await admin.page.waitForURL(/\/approvals$/);
    const adminRow = admin.page.locator('.data-table tbody tr', { hasText: USERNAME });
    await adminRow.getByText('待审批').waitFor();
    await adminRow.getByRole('button', { name: /批\s*准/ }).click();
    const dialog = admin.page.getByRole('dialog', { name: '批准该变更' });
    await dialog.getByLabel('审批意见').fill('已核实，同意开通');
    await dialog.getByRole('button', { name: /批\s*准/ }).click();
    await admin.page.getByText('已批准，变更已生效').waitFor();
    await adminRow.waitFor({ state: 'detached' });
    await admin.page.getByText('全部', { exact: true }).click();
    await adminRow.getByText('已批准').waitFor();
    // The approver is offered no password.
    expect(await adminRow.getByText('领取一次性密码').count()).toBe(0);

    // ---- the security admin collects the password, once
    await sec.page.getByText('全部', { exact: true }).click();
    await sec.page.getByRole('button', { name: '刷新' }).click();
    await secRow.getByText('已批准').waitFor();
    await secRow.getByRole('button', { name: '领取一次性密码' }).click();
    // It asks first, beside the button.
    await secRow.getByRole('dialog').getByRole('button', { name: /确\s*定/ }).click();
    const shown = sec.page.getByTestId('one-time-password');
    await shown.waitFor();
    const password = ((await shown.textContent()) ?? '').trim();
    expect(password).toMatch(/^.{14}$/);
    await sec.page.getByRole('button', { name: '我已记下' }).click();
    await secRow.getByText('已批准').waitFor();
    await expect.poll(() => secRow.getByRole('button', { name: '领取一次性密码' }).count()).toBe(0);

    // A second collect is refused (asked outside the page, so no failed request is logged there).
    const cookies = await sec.ctx.cookies();
    const jar = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = cookies.find((c) => c.name === 'rectify_csrf')!.value;
    const list = await (await fetch(`${base}/api/approvals?status=approved`, { headers: { cookie: jar } })).json();
    const approval = list.items.find((a: any) => a.summary.includes(USERNAME));
    const again = await fetch(`${base}/api/approvals/${approval.id}/collect`, { method: 'POST', headers: { cookie: jar, 'x-csrf-token': decodeURIComponent(csrf) } });
    expect(again.status).toBe(410);

    // The approver's page and API never held it.
    expect(await admin.page.content()).not.toContain(password);
    const adminView = await admin.page.evaluate(async (id) => (await fetch(`/api/approvals/${id}`)).text(), approval.id);
    expect(adminView).not.toContain(password);

    // The password opens the new account, which must change it first.
    const fresh = await browser!.newContext({ locale: 'zh-CN' });
    const p = await fresh.newPage();
    await p.goto(`${base}/login`);
    await p.getByLabel('用户名').fill(USERNAME);
    await p.getByLabel('密码').fill(password);
    await p.getByRole('button', { name: /登\s*录/ }).click();
    await p.waitForURL(/\/change-password$/);
    await fresh.close();

    await sec.page.screenshot({ path: screenshotPath('e2e-approvals.png'), fullPage: false });
    await sec.ctx.close();
    await admin.ctx.close();
    expect(problems).toEqual([]);
  }, 300_000);

  it('secadmin makes an Open311 key and sees it once; it works, and the list keeps only its last four characters', async () => {
    const sec = await signedIn('secadmin', DEMO_PASSWORD);
    await sec.page.goto(`${base}/open311-keys`);
    await sec.page.getByRole('button', { name: /新建密钥/ }).click();
    const naming = sec.page.getByRole('dialog', { name: '新建密钥' });
    await naming.getByLabel('名称（接入方）').fill('市12345热线E2E');
    await naming.getByRole('button', { name: /保\s*存/ }).click();

    const shown = sec.page.getByRole('dialog', { name: '密钥已生成' });
    await shown.getByText('密钥只显示这一次').waitFor();
    const apiKey = ((await shown.getByTestId('api-key').textContent()) ?? '').trim();
    expect(apiKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Only "I have it" closes it: no cancel, and a click beside it does nothing.
    expect(await shown.getByRole('button', { name: /取\s*消/ }).isVisible().catch(() => false)).toBe(false);
    await sec.page.mouse.click(5, 5);
    await shown.getByTestId('api-key').waitFor();
    await shown.getByRole('button', { name: '我已记下' }).click();
    await shown.waitFor({ state: 'hidden' });

    const row = sec.page.locator('.data-table tbody tr', { hasText: '市12345热线E2E' });
    await row.getByText(apiKey.slice(-4)).waitFor();
    expect(await sec.page.content()).not.toContain(apiKey);
    // The key opens Open311.
    const post = await fetch(`${base}/open311/v2/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({ api_key: apiKey, service_code: 'notary_service', description: '公证处周末能否开放预约' }),
    });
    expect(post.status).toBe(200);
    const [filed] = (await post.json()) as { service_request_id?: string; token?: string }[];
    expect(filed!.service_request_id ?? filed!.token).toBeTruthy();
    await sec.ctx.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
