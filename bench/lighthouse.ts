// `npm run bench:lighthouse`: Lighthouse (mobile: a mid-range phone, slow 4G, 4× CPU slowdown,
// simulated) against every public page of the real `npm start` process, in Debian's chromium (never
// a downloaded browser). Prints, per page, the median of BENCH_LH_RUNS runs of the four category
// scores, CLS, TBT, LCP, and what the page's HTML, CSS and JS weigh raw, gzip and brotli as served;
// the staff login page is weighed beside them. Goals for the public pages: every score ≥ 95, CLS < 0.1.
//
// Scores move with the machine's load (Lighthouse's own CPU benchmark scales the simulation), so
// this is a benchmark, never part of `npm test`; the load average is printed with the results.
// The deterministic parts (script weight budget, no layout shift, proof of work off the main thread)
// are checked in test/e2e/public-opinion.test.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import {
  ADMIN_PASSWORD, DEMO_PASSWORD, MAIN, cleanupAll, envNumber, hookSigint, launch, loadAvgText, log, machine, median, root, stop,
  table, tempDir,
} from './lib.js';

const RUNS = Math.max(1, Math.round(envNumber('BENCH_LH_RUNS', 3)));
const RESULTS = path.join(root, 'bench/results/lighthouse-latest.json');
const CHROME_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync',
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

interface Run {
  scores: Record<(typeof CATEGORIES)[number], number>;
  cls: number;
  tbt: number;
  lcp: number;
  fcp: number;
  requests: { url: string; resourceType: string }[];
}

/** A body as sent for one Accept-Encoding: its length on the wire. */
function wireSize(url: string, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
      })
      .on('error', reject);
  });
}

/** An ALTCHA v1 challenge solved here, to file one opinion whose tracking page can be measured. */
async function receiptCode(base: string): Promise<string> {
  const c = (await (await fetch(`${base}/api/public/challenge`)).json()) as { algorithm: string; challenge: string; maxnumber: number; salt: string; signature: string };
  let number = -1;
  for (let n = 0; n <= c.maxnumber; n++) {
    if (crypto.createHash('sha256').update(c.salt + n).digest('hex') === c.challenge) {
      number = n;
      break;
    }
  }
  const altcha = Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature })).toString('base64');
  const res = await fetch(`${base}/api/public/opinions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'notary_service', content: `Lighthouse 基准测试意见：公证处排队时间较长（${Date.now()}）`, identity: 'anonymous', altcha }),
  });
  if (res.status !== 201) throw new Error(`submission answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { receiptCode: string }).receiptCode;
}

async function audit(port: number, url: string): Promise<Run> {
  const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
  if (!result) throw new Error(`lighthouse gave no result for ${url}`);
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const num = (id: string) => Number(lhr.audits[id]?.numericValue ?? NaN);
  const items = ((lhr.audits['network-requests']?.details as { items?: { url: string; resourceType: string }[] } | undefined)?.items ?? []);
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)])) as Run['scores'],
    cls: num('cumulative-layout-shift'),
    tbt: num('total-blocking-time'),
    lcp: num('largest-contentful-paint'),
    fcp: num('first-contentful-paint'),
    requests: items.map((i) => ({ url: i.url, resourceType: i.resourceType })),
  };
}

async function weigh(requests: Run['requests'], base: string) {
  const sizes = { raw: 0, gzip: 0, br: 0, jsBr: 0 };
  const seen = new Set<string>();
  for (const r of requests) {
    if (!r.url.startsWith(base) || !['Document', 'Script', 'Stylesheet', 'Other'].includes(r.resourceType)) continue;
    if (r.url.includes('/api/') || seen.has(r.url)) continue;
    seen.add(r.url);
    const [raw, gz, br] = await Promise.all([wireSize(r.url, ''), wireSize(r.url, 'gzip'), wireSize(r.url, 'br')]);
    sizes.raw += raw;
    sizes.gzip += gz;
    sizes.br += br;
    if (r.resourceType === 'Script' || r.url.endsWith('.js')) sizes.jsBr += br;
  }
  return sizes;
}

async function main() {
  hookSigint();
  const dir = tempDir();
  log(`load average before: ${loadAvgText()}`);
  const { server } = await launch(
    MAIN,
    { DATABASE_URL: path.join(dir, 'rectify.db'), RECTIFY_DATA_DIR: dir, RECTIFY_DEMO: '1', RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD, RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD, RECTIFY_LOG_LEVEL: 'warn' },
    path.join(dir, 'server.log'),
  );
  const base = server.url;
  const code = await receiptCode(base);
  const ledger = (await (await fetch(`${base}/api/public/rectification?pageSize=1`)).json()) as { items: { id: string }[] };
  const pages: [string, string][] = [
    ['首页', '/public'],
    ['提交意见', '/public/submit'],
    ['查询进度', '/public/track'],
    ['办理进度', `/public/track/${code}`],
    ['问卷列表', '/public/surveys'],
    ['整改公开', '/public/rectification'],
    ['整治事项', `/public/rectification/${ledger.items[0]!.id}`],
    ['工作人员登录（参考）', '/login'],
  ];
  const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: CHROME_FLAGS });
  const rows: (string | number | null)[][] = [];
  const results: Record<string, unknown> = {};
  try {
    for (const [name, p] of pages) {
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        log(`lighthouse ${p} (${i + 1}/${RUNS}), load ${loadAvgText()}`);
        // A trace lost under heavy load (NO_NAVSTART…) is retried, twice at most.
        for (let attempt = 0; ; attempt++) {
          try {
            runs.push(await audit(chrome.port, base + p));
            break;
          } catch (err) {
            if (attempt >= 2) throw err;
            log(`  retrying: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        const last = runs[runs.length - 1]!;
        log(`  ${JSON.stringify(last.scores)} CLS ${last.cls.toFixed(3)} TBT ${Math.round(last.tbt)} ms LCP ${Math.round(last.lcp)} ms`);
      }
      const med = (f: (r: Run) => number) => median(runs.map(f));
      const sizes = await weigh(runs[0]!.requests, base);
      const row = {
        performance: med((r) => r.scores.performance),
        accessibility: med((r) => r.scores.accessibility),
        bestPractices: med((r) => r.scores['best-practices']),
        seo: med((r) => r.scores.seo),
        cls: Number(med((r) => r.cls).toFixed(3)),
        tbtMs: Math.round(med((r) => r.tbt)),
        lcpMs: Math.round(med((r) => r.lcp)),
        fcpMs: Math.round(med((r) => r.fcp)),
        performanceRuns: runs.map((r) => r.scores.performance),
        ...sizes,
      };
      results[p.startsWith('/public/track/') ? '/public/track/{code}' : p.startsWith('/public/rectification/') ? '/public/rectification/{id}' : p] = row;
      rows.push([
        name, row.performance, row.accessibility, row.bestPractices, row.seo, row.cls, row.tbtMs, row.lcpMs,
        (sizes.raw / 1024).toFixed(1), (sizes.gzip / 1024).toFixed(1), (sizes.br / 1024).toFixed(1),
      ]);
    }
  } finally {
    await chrome.kill();
    await stop(server);
  }
  const loadAfter = loadAvgText();
  console.log(
    table(['页面', '性能', '无障碍', '最佳实践', 'SEO', 'CLS', 'TBT ms', 'LCP ms', '原始 KB', 'gzip KB', 'brotli KB'], rows),
  );
  console.log(`Lighthouse ${RUNS} 次取中位数（移动端模拟：慢速 4G、CPU 4× 降速）；大小为 HTML、CSS、JS 按实际传输计。负载：${loadAfter}`);
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify({ at: new Date().toISOString(), machine: machine(), runs: RUNS, pages: results }, null, 2) + '\n');
}

main().then(
  () => cleanupAll(),
  async (err) => {
    log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await cleanupAll();
    process.exitCode = 1;
  },
);
