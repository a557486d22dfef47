// What every browser test needs: the built app, the real server started as `npm start` starts it,
// and Debian's chromium (never a downloaded browser).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = '/usr/bin/chromium';

let shotDir: string | undefined;
/**
 * Where a screenshot goes: a folder of this run under the system's temp directory (one per test
 * file), never the repository and never a fixed path another run could overwrite.
 */
export function screenshotPath(name: string): string {
  shotDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-e2e-shots-'));
  return path.join(shotDir, name);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Builds as `npm start` does, when the sources are newer than the build. NODE_ENV=production:
 * under vitest's NODE_ENV=test Vite would bundle React's development build into dist/web.
 */
export function buildApp() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`缺少 ${CHROMIUM}：apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei`);
  }
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], {
    cwd: root, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000,
  });
}

/** The environment of a fresh server on its own database; nothing inherited that `npm start` would not see. */
export function serverEnv(dataDir: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: path.join(dataDir, 'rectify.db'), PORT: String(port), HOST: '127.0.0.1' };
  for (const k of ['RECTIFY_ADMIN_PASSWORD', 'RECTIFY_DEMO_PASSWORD', 'RECTIFY_PUBLIC_CHALLENGE', 'RECTIFY_PUBLIC_RATE_LIMIT', 'RECTIFY_DATA_DIR', 'NODE_ENV']) {
    delete env[k];
  }
  return { ...env, RECTIFY_DEMO: '1', RECTIFY_LOG_LEVEL: 'warn', ...extra };
}

/** Starts `node dist/server/main.js`; resolves once it says it is serving, with what it printed. */
export function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/server/main.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`服务器未在时限内启动。\nstdout:\n${out}\nstderr:\n${err}`));
    }, 180_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('教育整顿工作平台已启动')) {
        clearTimeout(timer);
        resolve({ child, output: () => out + err });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`服务器退出（${code}）。\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
}

export function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Headless chromium with the machine's closed network in mind (no background fetches). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A browser test's world: the built app served from its own new data folder, and chromium. */
export interface BrowserRun {
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the app if needed, starts a server on a fresh demo database with the operator-chosen
 * passwords (so no forced change), and launches chromium. `close()` undoes all of it.
 */
export async function startBrowserRun(name: string, passwords: { admin: string; demo: string }): Promise<BrowserRun> {
  buildApp();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `rectify-e2e-${name}-`));
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await stopServer(child);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    child = (await startServer(serverEnv(tmp, port, { RECTIFY_ADMIN_PASSWORD: passwords.admin, RECTIFY_DEMO_PASSWORD: passwords.demo }))).child;
    browser = await launchChromium();
    return { base: `http://127.0.0.1:${port}`, browser, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A staff session driven with fetch, as the admin app would (cookie + CSRF header). */
export async function staffLogin(base: string, username: string, password: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`${username} 登录失败（${res.status}）：${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  const download = async (url: string) => Buffer.from(await (await fetch(`${base}${url}`, { headers: { cookie } })).arrayBuffer());
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, body: unknown) => call('POST', url, body),
    patch: (url: string, body: unknown) => call('PATCH', url, body),
    download,
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; failureSummary?: string }[];
}

/**
 * axe-core on the page as it is now. Evaluated through the DevTools protocol: the page's CSP
 * (script-src 'self') rightly refuses an injected inline <script>, and we do not switch the CSP off.
 */
export async function runAxe(page: Page): Promise<{ violations: AxeViolation[]; passes: unknown[] }> {
  await page.evaluate(`${axe.source}\n;true`);
  return (await page.evaluate(() => (window as any).axe.run())) as { violations: AxeViolation[]; passes: unknown[] };
}

/** axe on what the page shows now (an open drawer or dialog with it): the serious and critical findings, each led by `what`. */
export async function seriousAxe(page: Page, what: string): Promise<string[]> {
  // A popup still sliding away (a date picker just taken with Enter) is no part of what the user sees next.
  await page.waitForFunction(() => !document.querySelector('[class*="-leave-active"]'));
  // A list still loading is dimmed under its spinner (its headers fail contrast until the rows land):
  // judge the settled page. Bounded, for a page that refreshes on a timer.
  await page.waitForFunction(() => !document.querySelector('.ant-spin-blur, .ant-spin-spinning'), undefined, { timeout: 10_000 }).catch(() => undefined);
  const { violations } = await runAxe(page);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} (${v.impact}) ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}

/** A headline figure (StatCards' Figure) by its exact title, once it shows a number. */
export async function figureValue(page: Page, title: string): Promise<number> {
  const value = page.locator('.figure', { has: page.locator('.figure-title', { hasText: new RegExp(`^${title}$`) }) }).locator('.figure-value');
  await value.filter({ hasText: /^\d+$/ }).waitFor();
  return Number(((await value.textContent()) ?? '').trim());
}

/** A phone as citizens hold it (360×740, touch), set to a zone far from Beijing: pages must still show Beijing time. */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    locale: 'zh-CN', timezoneId: 'America/New_York',
  });
}

/**
 * A new page of `context` whose script errors and console errors go into `problems`, except a failed
 * response whose address matches one of `expected()` (a 404 or 409 a step asks for: Chromium logs
 * those as console errors too).
 */
export async function watchedPage(context: BrowserContext, problems: string[], expected: () => RegExp[] = () => []): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location().url ?? '';
    if (/Failed to load resource/.test(m.text()) && expected().some((re) => re.test(where))) return;
    problems.push(`console: ${m.text()} (${where})`);
  });
  return page;
}

/**
 * A browser of its own for one member of staff (a new context, a laptop's screen), signed in through
 * the login page as they would; the page is watched (watchedPage), the 401 of GET /api/me before
 * signing in expected.
 */
export async function signIn(
  run: BrowserRun,
  username: string,
  password: string,
  problems: string[],
  expected: () => RegExp[] = () => [],
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await run.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await watchedPage(ctx, problems, () => [/\/api\/me$/, ...expected()]);
  await page.goto(`${run.base}/`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL(`${run.base}/`);
  return { ctx, page };
}

/**
 * Picks an option of an antd select by its text (`typed` first where the select searches: long lists
 * render only what is in view). Under load a click can land while the dropdown is still sliding in,
 * so the choice is checked on the select and made again if it did not take; then the list is closed,
 * so what follows (axe, the next field) sees the form as it is.
 */
/** Waits until no finite animation runs (a dialog or drawer done sliding in); endless ones never end. */
export async function whenSettled(page: Page) {
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { timeout: 10_000 },
  ).catch(() => undefined);
}

/**
 * Checks a radio or checkbox in a form that has just opened. Under CI load a first check has been lost
 * ("Clicking the checkbox did not change its state" in a dialog still opening): wait for it to settle
 * and check again, up to three times, and say so.
 */
export async function checkIn(page: Page, box: ReturnType<Page['getByLabel']>) {
  for (let attempt = 1; ; attempt++) {
    await whenSettled(page);
    try {
      await box.check({ timeout: 10_000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      console.warn(`checkIn: the check did not take on try ${attempt}: ${String(err).split('\n')[0]}`);
    }
  }
}

export async function pickOption(page: Page, field: ReturnType<Page['getByLabel']>, text: string | RegExp, typed?: string) {
  const pattern = typeof text === 'string' ? { source: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags: '' } : { source: text.source, flags: text.flags };
  // The select shows the choice once it took (its text, not the search box's value).
  const took = () =>
    field.evaluate((el, p) => new RegExp(p.source, p.flags).test((el.closest('.ant-select') as HTMLElement | null)?.innerText ?? ''), pattern);
  for (let attempt = 1; ; attempt++) {
    // A drawer still sliding in moves the select under the click (Playwright: "not stable", "outside of
    // the viewport"): let finite animations end first (endless ones, a pulsing badge, never do).
    await whenSettled(page);
    const opened = await field.click({ timeout: 10_000 }).then(
      () => true,
      (err: unknown) => {
        if (attempt === 3) throw err;
        return false;
      },
    );
    if (!opened) continue;
    if (typed) await field.fill(typed);
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first();
    await option.waitFor();
    // A click that landed on something else (a label above the sliding list) closes the list: the
    // option never becomes clickable again, so give up on it early and open the select anew.
    const clicked = await option.click({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (!clicked) {
      if (attempt === 3) throw new Error(`the option “${String(text)}” could not be clicked after 3 tries`);
      // Leave the select (which closes its list if still open), never Escape: with the list already
      // closed, Escape reaches the drawer or modal around it and closes the whole form.
      await field.blur();
      continue;
    }
    let ok = false;
    for (let i = 0; i < 25 && !ok; i++) {
      ok = await took();
      if (!ok) await page.waitForTimeout(200);
    }
    // CI showed the click performed yet the list still open with this option active and nothing chosen
    // (the list's item re-rendered between press and release, so no click reached it): choose it with
    // Enter, as a keyboard user would.
    if (!ok && (await option.isVisible().catch(() => false))) {
      await option.hover({ timeout: 5_000 }).catch(() => undefined);
      await field.press('Enter').catch(() => undefined);
      for (let i = 0; i < 10 && !ok; i++) {
        ok = await took();
        if (!ok) await page.waitForTimeout(200);
      }
    }
    if (ok) break;
    console.warn(`pickOption: the choice “${String(text)}” did not take on try ${attempt}`);
    if (attempt === 3) {
      // Say what the select shows instead, to tell a lost choice from a remounted form.
      const shows = await field.evaluate((el) => (el.closest('.ant-select') as HTMLElement | null)?.outerHTML ?? '(no select)').catch(() => '(gone)');
      throw new Error(`the choice “${String(text)}” did not take after 3 tries; the select: ${shows.slice(0, 1500)}`);
    }
  }
  await field.blur();
  await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
}

/** The passwords the browser walks start their servers with (operator-chosen: no forced change). */
export const WALK_PASSWORDS = { admin: 'Admin#E2e2026x', demo: 'Demo#E2e2026x' } as const;

/**
 * A browser walk's world, set up inside its describe(): the run started before the tests and closed
 * after them, and each test's problems (script and console errors) its own. `signedIn` signs a demo
 * user in; `axeClean` expects nothing serious or critical from axe on what is open now.
 */
export function browserWalk(name: string) {
  let run: BrowserRun | undefined;
  const problems: string[] = [];
  beforeAll(async () => {
    run = await startBrowserRun(name, WALK_PASSWORDS);
  }, 900_000);
  afterAll(async () => {
    await run?.close();
  }, 60_000);
  beforeEach(() => {
    problems.length = 0;
  });
  return {
    problems,
    base: () => run!.base,
    signedIn: (username: string) => signIn(run!, username, username === 'admin' ? WALK_PASSWORDS.admin : WALK_PASSWORDS.demo, problems),
    axeClean: async (page: Page, what: string) => expect(await seriousAxe(page, what)).toEqual([]),
  };
}
