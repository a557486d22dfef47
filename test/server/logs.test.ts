import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { formatShanghai } from '../../src/server/platform/time.js';

// The audit log and the login log, as the auditor reads them: lists, filters, chain verification,
// Excel exports; and nobody else reads them, and nobody deletes them.

async function readXlsx(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return { name: ws.name, rows };
}

describe.each(targets())('audit and login logs on %s', (target) => {
  let s: TestServer;
  let auditor: Client;
  let sec: Client;
  // 2026-11-27 10:00 in Asia/Shanghai.
  const clock = movableClock(new Date('2026-11-27T02:00:00Z'));

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    sec = await s.as('secadmin');
    auditor = await s.as('auditor');
    // Some history: failed logins and a change by the security admin.
    expect((await s.client().login('officer', 'Wrong#2026pw')).status).toBe(401);
    expect((await s.client().login('ghost', 'Wrong#2026pw')).status).toBe(401);
    const units = (await sec.get('/api/org-units')).body.items;
    const hsq = units.find((u: any) => u.code === 'HSQ').id;
    const created = await sec.post('/api/users', { username: 'log.subject', displayName: '日志对象', orgUnitId: hsq, roleCodes: ['officer'] });
    expect(created.status).toBe(201);
    // Just after midnight in Shanghai (still the 27th in UTC): this failure belongs to the 28th.
    clock.set(new Date('2026-11-27T16:30:00Z'));
    expect((await s.client().login('late.night', 'Wrong#2026pw')).status).toBe(401);
    // The clock jump idled the sessions out; the readers sign in again (two more logins).
    sec = await s.as('secadmin');
    auditor = await s.as('auditor');
  });
  afterAll(async () => s?.close());

  it('lists the audit log newest first, with parsed before/after and the hash chain', async () => {
    const r = await auditor.get('/api/audit-logs?pageSize=50');
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThanOrEqual(4); // bootstrap, three logins, one account
    const seqs = r.body.items.map((e: any) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(seqs[seqs.length - 1]).toBe(1);
    const first = r.body.items[r.body.items.length - 1];
    expect(first).toMatchObject({ seq: 1, action: 'bootstrap', entityType: 'system', actorName: '系统', actorId: null });
    expect(first.prevHash).toBe('0'.repeat(64));
    expect(r.body.items[r.body.items.length - 2].prevHash).toBe(first.hash);
    const create = r.body.items.find((e: any) => e.action === 'create' && e.entityType === 'user');
    expect(create).toMatchObject({ actorName: '安全管理员(secadmin)', after: { username: 'log.subject' }, before: null });
    expect(typeof create.after).toBe('object');
    expect(create.at).toBe('2026-11-27T02:00:00.000Z');
    for (const key of ['seq', 'at', 'actorId', 'actorName', 'ip', 'action', 'entityType', 'entityId', 'before', 'after', 'hash', 'prevHash']) {
      expect(create).toHaveProperty(key);
    }
  });

  it('filters the audit log by actor, action, entity and Shanghai dates', async () => {
    const byActor = await auditor.get('/api/audit-logs?actor=SECADMIN&pageSize=200');
    expect(byActor.body.total).toBeGreaterThanOrEqual(2);
    expect(byActor.body.items.every((e: any) => e.actorName.includes('secadmin'))).toBe(true);

    const logins = await auditor.get('/api/audit-logs?action=login&entityType=session&pageSize=200');
    expect(logins.body.total).toBe(4); // secadmin and auditor, twice; failures are in the login log only
    expect(logins.body.items.every((e: any) => e.action === 'login' && e.entityType === 'session')).toBe(true);

    const created = await auditor.get('/api/audit-logs?action=create&entityType=user');
    const id = created.body.items[0].entityId;
    const byEntity = await auditor.get(`/api/audit-logs?entityId=${id}`);
    expect(byEntity.body.items.map((e: any) => e.entityId)).toEqual([id]);

    // Everything happened at 10:00 on the 27th, except the two sign-ins again at 00:30 on the 28th.
    const all = (await auditor.get('/api/audit-logs?pageSize=1')).body.total;
    expect((await auditor.get('/api/audit-logs?from=2026-11-27&to=2026-11-27&pageSize=1')).body.total).toBe(all - 2);
    expect((await auditor.get('/api/audit-logs?to=2026-11-26')).body.total).toBe(0);
    const day28 = await auditor.get('/api/audit-logs?from=2026-11-28');
    expect(day28.body.items.map((e: any) => e.action)).toEqual(['login', 'login']);
    expect((await auditor.get('/api/audit-logs?from=2026-11-27T01:59:59Z&to=2026-11-27T02:00:00Z&pageSize=1')).body.total).toBe(all - 2);
    expect((await auditor.get('/api/audit-logs?to=2026-11-27T01:59:59%2B00:00')).body.total).toBe(0);

    const bad = await auditor.get('/api/audit-logs?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('开始时间');
    const reversed = await auditor.get('/api/audit-logs?from=2026-11-28&to=2026-11-27');
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toContain('结束时间');
  });

  it('lists the login log with failures and their reasons, filtered', async () => {
    const r = await auditor.get('/api/login-logs?pageSize=200');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(7);
    expect(r.body.items.find((e: any) => e.username === 'late.night')).toMatchObject({
      success: false, reason: 'no_such_user', userId: null, at: '2026-11-27T16:30:00.000Z',
    });
    const ats = r.body.items.map((e: any) => e.at);
    expect(ats).toEqual([...ats].sort().reverse());

    const failed = await auditor.get('/api/login-logs?success=0&pageSize=200');
    expect(failed.body.items.every((e: any) => e.success === false)).toBe(true);
    const officer = failed.body.items.find((e: any) => e.username === 'officer');
    expect(officer).toMatchObject({ success: false, reason: 'bad_password' });
    expect(officer.userId).toBeTruthy();
    expect(failed.body.items.find((e: any) => e.username === 'ghost')).toMatchObject({ reason: 'no_such_user' });

    const ok = await auditor.get('/api/login-logs?success=1');
    expect(ok.body.items.map((e: any) => e.username).sort()).toEqual(['auditor', 'auditor', 'secadmin', 'secadmin']);
    expect(ok.body.items.every((e: any) => e.success === true && e.reason === null)).toBe(true);

    const byName = await auditor.get('/api/login-logs?username=OFFIC');
    expect(byName.body.items.map((e: any) => e.username)).toEqual(['officer']);

    // Shanghai days: 00:30 on the 28th is the 28th, though still the 27th in UTC.
    const day28 = await auditor.get('/api/login-logs?from=2026-11-28&success=0');
    expect(day28.body.items.map((e: any) => e.username)).toEqual(['late.night']);
    expect((await auditor.get('/api/login-logs?to=2026-11-27')).body.total).toBe(4);
  });

  it('verifies the audit chain', async () => {
    const r = await auditor.get('/api/audit-logs/verify');
    expect(r.status).toBe(200);
    const total = (await auditor.get('/api/audit-logs?pageSize=1')).body.total;
    expect(r.body).toEqual({ ok: true, entries: total });
  });

  it('exports the audit log as a real xlsx with Shanghai times', async () => {
    const list = await auditor.get('/api/audit-logs?action=create&entityType=user');
    const entry = list.body.items[0];
    const r = await auditor.get('/api/audit-logs/export?action=create&entityType=user');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('spreadsheetml');
    expect(r.headers.get('content-disposition')).toContain(encodeURIComponent('审计日志.xlsx'));
    const x = await readXlsx(r.body);
    expect(x.name).toBe('审计日志');
    expect(x.rows[0]).toEqual(['序号', '时间', '操作人', 'IP', '操作', '对象类型', '对象编号', '操作前', '操作后', '摘要']);
    expect(x.rows).toHaveLength(1 + list.body.total);
    const row = x.rows[1]!;
    expect(row[0]).toBe(String(entry.seq));
    expect(row[1]).toBe('2026-11-27 10:00:00');
    expect(row[1]).toBe(formatShanghai(entry.at));
    expect(row[2]).toBe('安全管理员(secadmin)');
    expect(row[4]).toBe('新增');
    expect(row[5]).toBe('账号');
    expect(row[6]).toBe(entry.entityId);
    expect(JSON.parse(row[8]!)).toMatchObject({ username: 'log.subject' });
    expect(row[9]).toBe(entry.hash);

    const everything = await readXlsx((await auditor.get('/api/audit-logs/export')).body);
    expect(everything.rows).toHaveLength(1 + (await auditor.get('/api/audit-logs?pageSize=1')).body.total);
    expect((await auditor.get('/api/audit-logs/export?from=bad')).status).toBe(400);
  });

  it('exports the login log as a real xlsx', async () => {
    const r = await auditor.get('/api/login-logs/export?success=0');
    expect(r.status).toBe(200);
    const x = await readXlsx(r.body);
    expect(x.name).toBe('登录日志');
    expect(x.rows[0]).toEqual(['时间', '用户名', '结果', '原因', 'IP', '客户端']);
    expect(x.rows).toHaveLength(1 + 3);
    expect(x.rows[1]).toEqual(expect.arrayContaining(['2026-11-28 00:30:00', 'late.night', '失败', '用户不存在']));
    expect(x.rows.slice(1).every((row) => row[2] === '失败')).toBe(true);
    expect(x.rows.find((row) => row[1] === 'officer')![3]).toBe('密码错误');
  });

  it('keeps the logs from the system and security admins (three separated duties)', async () => {
    const admin = await s.as('admin');
    for (const c of [admin, sec]) {
      for (const path of ['/api/audit-logs', '/api/audit-logs/verify', '/api/audit-logs/export', '/api/login-logs', '/api/login-logs/export']) {
        const r = await c.get(path);
        expect(r.status, path).toBe(403);
      }
    }
    const officer = await s.as('officer');
    expect((await officer.get('/api/audit-logs')).status).toBe(403);
  });

  it('has no route to change or delete either log', async () => {
    const total = (await auditor.get('/api/audit-logs?pageSize=1')).body.total;
    const logins = (await auditor.get('/api/login-logs?pageSize=1')).body.total;
    for (const c of [auditor, sec]) {
      for (const [method, path] of [
        ['DELETE', '/api/audit-logs'], ['DELETE', '/api/audit-logs/1'], ['PATCH', '/api/audit-logs/1'], ['PUT', '/api/audit-logs/1'],
        ['POST', '/api/audit-logs'], ['DELETE', '/api/login-logs'], ['DELETE', '/api/login-logs/x'],
      ] as const) {
        const r = await c.request(method, path, method === 'DELETE' ? undefined : {});
        expect([404, 405], `${method} ${path}`).toContain(r.status);
        expect(r.body.error).toBe('NOT_FOUND');
        expect(r.body.message).toContain('接口不存在');
      }
    }
    expect((await auditor.get('/api/audit-logs?pageSize=1')).body.total).toBe(total);
    expect((await auditor.get('/api/login-logs?pageSize=1')).body.total).toBe(logins);
    // Reading the logs wrote nothing to them.
    expect((await auditor.get('/api/audit-logs/verify')).body).toEqual({ ok: true, entries: total });
  });

  it('reports a tampered entry (changed behind the app\u2019s back)', async () => {
    await s.deps.db.updateTable('audit_log').set({ actor_name: '别人' }).where('seq', '=', 2).execute();
    const r = await auditor.get('/api/audit-logs/verify');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: false, brokenAt: 2 });
    expect(r.body.reason).toContain('第 2 条');
  });
});
