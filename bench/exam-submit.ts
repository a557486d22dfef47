// `BENCH_ONLY=exams npm run bench`: issue 9's figure — 200 officers hand in an online exam in the
// same minute. The real `npm start` process on a fresh demo database (SQLite, and PostgreSQL when
// BENCH_DATABASE_URL or TEST_DATABASE_URL is set); 200 officer accounts, each signed in, each with
// the demo's open self-test started and its answers autosaved once; then every one submits at the
// same instant (a burst, harder than a minute's spread). Reported: answers lost (what the server
// acknowledged vs what the database holds: must be 0), failures, submit latency p50/p99, and a bare
// Fastify process answering the same burst of 200 in the same run as the baseline for the ratio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/server/db/index.js';
import { newId } from '../src/server/platform/ids.js';
import {
  BASELINE, DEMO_PASSWORD, ADMIN_PASSWORD, MAIN, PG_URL, cleanupAll, envNumber, freshPostgres, hookSigint, launch, log, percentile, ratio, request, root,
  round, stop, table, tempDir,
} from './lib.js';

const OFFICERS = Math.max(1, Math.round(envNumber('BENCH_OFFICERS', 200)));

interface Db {
  name: 'sqlite' | 'postgres';
  url: string;
  dataDir: string;
}

async function addOfficers(url: string, n: number): Promise<string[]> {
  const database = await openDatabase(url);
  try {
    const db = database.db;
    const officer = await db.selectFrom('app_user').selectAll().where('username', '=', 'officer').executeTakeFirstOrThrow();
    const role = await db.selectFrom('role').select('id').where('code', '=', 'officer').executeTakeFirstOrThrow();
    const taken = (await db.selectFrom('app_user').select('person_id').where('person_id', 'is not', null).execute()).map((u) => u.person_id!);
    const people = await db.selectFrom('person').select(['id', 'name', 'org_unit_id']).where('status', '=', 'active').where('id', 'not in', taken).orderBy('id').limit(n).execute();
    const now = new Date().toISOString();
    const users = people.map((p, i) => ({
      ...officer, id: newId(), username: `bench${String(i).padStart(3, '0')}`, display_name: p.name, person_id: p.id, org_unit_id: p.org_unit_id,
      // The demo password's hash: every bench account signs in with it.
      must_change_password: 0, last_login_at: null, created_at: now, updated_at: now,
    }));
    for (let i = 0; i < users.length; i += 50) await db.insertInto('app_user').values(users.slice(i, i + 50)).execute();
    await db.insertInto('user_role').values(users.map((u) => ({ user_id: u.id, role_id: role.id }))).execute();
    return users.map((u) => u.username);
  } finally {
    await database.close();
  }
}

function cookieOf(headers: Record<string, unknown>): string {
  const set = headers['set-cookie'];
  return (Array.isArray(set) ? set : [String(set ?? '')]).map((c) => String(c).split(';')[0]).join('; ');
}

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

async function burst(n: number, fn: (i: number) => Promise<number>): Promise<{ ms: number[]; failures: number; wall: number }> {
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const s = performance.now();
    const status = await fn(i).catch(() => 0);
    return { ms: performance.now() - s, ok: status >= 200 && status < 300 };
  }));
  return { ms: results.map((r) => r.ms).sort((a, b) => a - b), failures: results.filter((r) => !r.ok).length, wall: performance.now() - t0 };
}

async function runOne(db: Db, logDir: string) {
  const env = { DATABASE_URL: db.url, RECTIFY_DATA_DIR: db.dataDir, RECTIFY_DEMO: '1', RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD, RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD };
  // First start seeds the demo; then the accounts are added with the server stopped.
  await stop((await launch(MAIN, env, path.join(logDir, `${db.name}-seed.log`))).server);
  const usernames = await addOfficers(db.url, OFFICERS);
  const { server } = await launch(MAIN, env, path.join(logDir, `${db.name}-load.log`));
  const base = server.url;
  try {
    log(`  ${db.name}: signing in ${usernames.length} officers…`);
    const sessions = await inBatches(usernames, 8, async (username) => {
      const r = await request('POST', `${base}/api/auth/login`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }), timeoutMs: 30_000 });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body.slice(0, 200)}`);
      return { cookie: cookieOf(r.headers as Record<string, unknown>), csrf: (JSON.parse(r.body) as { csrfToken: string }).csrfToken };
    });
    type Session = { cookie: string; csrf: string };
    const get = (s: Session, url: string) => request('GET', base + url, { headers: { cookie: s.cookie }, timeoutMs: 30_000 });
    const send = (s: Session, method: string, url: string, body: unknown) =>
      request(method, base + url, { headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: JSON.stringify(body), timeoutMs: 60_000 });
    const exams = JSON.parse((await get(sessions[0]!, '/api/study/my/exams')).body) as { items: { id: string; title: string; state: string }[] };
    const exam = exams.items.find((e) => e.state === 'open');
    if (!exam) throw new Error('the demo has no open exam');
    // Each starts the exam and autosaves once, as they would while answering.
    const attempts = await inBatches(sessions, 20, async (cookie: Session) => {
      const started = await send(cookie, 'POST', `/api/study/exams/${exam.id}/start`, {});
      if (started.status !== 200) throw new Error(`start: ${started.status} ${started.body.slice(0, 200)}`);
      const id = (JSON.parse(started.body) as { id: string }).id;
      const paper = JSON.parse((await get(cookie, `/api/study/my/attempts/${id}`)).body) as { version: number; questions: { id: string; type: string; options: { key: string }[] }[] };
      const answers: Record<string, unknown> = {};
      for (const q of paper.questions) {
        if (q.type === 'single') answers[q.id] = q.options[0]!.key;
        if (q.type === 'multiple') answers[q.id] = q.options.slice(0, 2).map((o) => o.key);
        if (q.type === 'judge') answers[q.id] = true;
        if (q.type === 'blank') answers[q.id] = ['上海'];
      }
      const first = Object.fromEntries(Object.entries(answers).slice(0, 2));
      const saved = await send(cookie, 'PUT', `/api/study/my/attempts/${id}/answers`, { answers: first, version: paper.version });
      if (saved.status !== 200) throw new Error(`save: ${saved.status} ${saved.body.slice(0, 200)}`);
      return { cookie, id, answers };
    });
    log(`  ${db.name}: ${attempts.length} attempts started; all submit at once…`);
    const acknowledged = new Map<string, { score: number | null }>();
    const submit = await burst(attempts.length, async (i) => {
      const a = attempts[i]!;
      const r = await send(a.cookie, 'POST', `/api/study/my/attempts/${a.id}/submit`, { answers: a.answers, tabSwitches: 0 });
      if (r.status === 200) acknowledged.set(a.id, JSON.parse(r.body) as { score: number | null });
      return r.status;
    });
    // The proof: every acknowledged submission is in the database, graded, with exactly the answers sent.
    const database = await openDatabase(db.url);
    let lost = 0;
    try {
      const rows = await database.db.selectFrom('exam_attempt').select(['id', 'answers', 'status', 'score']).where('exam_id', '=', exam.id).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const a of attempts) {
        if (!acknowledged.has(a.id)) continue;
        const row = byId.get(a.id);
        const stored = row ? (JSON.parse(row.answers) as Record<string, unknown>) : {};
        const same = row && row.status === 'graded' && Object.entries(a.answers).every(([k, v]) => JSON.stringify(stored[k]) === JSON.stringify(v)) && row.score! / 10 === acknowledged.get(a.id)!.score;
        if (!same) lost++;
      }
      if (db.name === 'postgres') await sql`select 1`.execute(database.db);
    } finally {
      await database.close();
    }
    return { exam: exam.title, officers: attempts.length, acknowledged: acknowledged.size, failures: submit.failures, lost, p50: percentile(submit.ms, 0.5), p99: percentile(submit.ms, 0.99), max: submit.ms.at(-1)!, wall: submit.wall };
  } finally {
    await stop(server);
  }
}

export async function runExamSubmit() {
  hookSigint();
  const logDir = tempDir();
  const dbs: Db[] = [];
  const dir = tempDir();
  dbs.push({ name: 'sqlite', url: path.join(dir, 'rectify.db'), dataDir: dir });
  if (PG_URL) dbs.push({ name: 'postgres', url: await freshPostgres(PG_URL), dataDir: tempDir() });
  // The baseline: a bare Fastify process answering a burst of as many GETs at once.
  const { server: bare } = await launch(BASELINE, {}, path.join(logDir, 'baseline.log'));
  const baseline = await burst(OFFICERS, async () => (await request('GET', bare.url + '/api/health', { timeoutMs: 60_000 })).status);
  await stop(bare);
  const results: Record<string, Awaited<ReturnType<typeof runOne>>> = {};
  for (const db of dbs) results[db.name] = await runOne(db, logDir);
  const rows = Object.entries(results).map(([name, r]) => [
    name, r.officers, r.acknowledged, r.failures, r.lost, round(r.p50, 0), round(r.p99, 0), round(r.max, 0), round(r.wall, 0), ratio(r.p99, percentile(baseline.ms, 0.99)),
  ]);
  rows.push(['bare Fastify burst', OFFICERS, OFFICERS - baseline.failures, baseline.failures, 0, round(percentile(baseline.ms, 0.5), 0), round(percentile(baseline.ms, 0.99), 0), round(baseline.ms.at(-1)!, 0), round(baseline.wall, 0), 1]);
  log('\n' + table(['database', 'officers', 'acknowledged', 'failed', 'answers lost', 'p50 ms', 'p99 ms', 'max ms', 'all done ms', 'p99 × bare'], rows));
  const out = path.join(root, 'bench/results/exams-latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() }, officers: OFFICERS, baseline: { p50: percentile(baseline.ms, 0.5), p99: percentile(baseline.ms, 0.99) }, results }, null, 2) + '\n');
  await cleanupAll();
  return Object.values(results).every((r) => r.lost === 0 && r.failures === 0);
}
