import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type Res, type TestServer } from '../support/http.js';
import { createTestDb, movableClock, targets } from '../support/db.js';
import { syncBuiltinRoles } from '../../src/server/seed/roles.js';
import { BUILTIN_ROLES } from '../../src/shared/permissions.js';
import { hashPassword } from '../../src/server/platform/auth.js';
import { newId } from '../../src/server/platform/ids.js';
import { APPROVAL_PENDING_MESSAGE } from '../../src/shared/schemas/approvals.js';

// 三员分立 that holds: every way the security admin alone could take over an account or reach
// another duty's access ends in a pending request that writes nothing; only an administrator of
// another duty, who is neither the requester nor the target, can approve it; the one-time password
// goes to the requester, once, never to the approver.

const NEW_PASSWORD = 'Fresh#2026pass';
const LEGACY_PASSWORD = 'Legacy#2026pass';

describe.each(targets())('privileged changes wait for another duty on %s', (target) => {
  let s: TestServer;
  let sec: Client;
  let admin: Client;
  let auditor: Client;
  let unitAdmin: Client;
  let officer: Client;
  const clock = movableClock(new Date('2026-11-27T02:00:00Z'));
  const units = new Map<string, string>();
  const ids = new Map<string, string>();
  /** Every one-time password handed out: none may reach the approver or the audit log. */
  const passwords: string[] = [];

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    sec = await s.as('secadmin');
    admin = await s.as('admin');
    auditor = await s.as('auditor');
    unitAdmin = await s.as('unitadmin');
    officer = await s.as('officer');
    for (const u of (await sec.get('/api/org-units')).body.items) units.set(u.code, u.id);
    for (const u of (await sec.get('/api/users?pageSize=200')).body.items) ids.set(u.username, u.id);
  });
  afterAll(async () => s?.close());

  const unit = (code: string) => units.get(code)!;

  async function userTotal() {
    return (await sec.get('/api/users?pageSize=1')).body.total as number;
  }
  async function auditTotal() {
    return (await auditor.get('/api/audit-logs?pageSize=1')).body.total as number;
  }
  async function auditEntries(q: string) {
    const r = await auditor.get(`/api/audit-logs?pageSize=200&${q}`);
    expect(r.status).toBe(200);
    return r.body.items as any[];
  }
  async function userOf(username: string) {
    const r = await sec.get(`/api/users?q=${encodeURIComponent(username)}&pageSize=50`);
    return r.body.items.find((u: any) => u.username === username);
  }
  async function roleOf(code: string) {
    return (await sec.get('/api/roles')).body.items.find((r: any) => r.code === code);
  }
  function expectPending(r: Res) {
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toEqual({ approvalId: expect.any(String), status: 'pending', message: APPROVAL_PENDING_MESSAGE });
    return r.body.approvalId as string;
  }
  /** An account made at once (an everyday role), then activated with its own password. */
  async function everydayAccount(username: string, roleCodes = ['officer']) {
    const r = await sec.post('/api/users', { username, displayName: username, orgUnitId: unit('HSQ-01'), roleCodes });
    expect(r.status).toBe(201);
    ids.set(username, r.body.id);
    const c = s.client();
    expect((await c.login(username, r.body.initialPassword)).status).toBe(200);
    expect((await c.post('/api/auth/password', { oldPassword: r.body.initialPassword, newPassword: NEW_PASSWORD })).status).toBe(200);
    return { id: r.body.id as string, client: c };
  }
  async function approveAndCollect(approvalId: string, approver = admin) {
    const ok = await approver.post(`/api/approvals/${approvalId}/approve`, {});
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const got = await sec.post(`/api/approvals/${approvalId}/collect`);
    expect(got.status).toBe(200);
    passwords.push(got.body.password);
    return { approval: ok.body, password: got.body.password as string };
  }

  // ------------------------------------------------------------ the attacks, each refused

  it('the security admin alone cannot create a 整顿办 account: a pending request, no account', async () => {
    const users = await userTotal();
    const audits = await auditTotal();
    const r = await sec.post('/api/users', { username: 'office.sock', displayName: '傀儡', orgUnitId: unit('CFSJ'), roleCodes: ['campaign_office'] });
    const approvalId = expectPending(r);
    expect(JSON.stringify(r.body)).not.toMatch(/password/i);
    expect(await userTotal()).toBe(users);
    expect(await userOf('office.sock')).toBeUndefined();
    // Exactly one audit entry: the request itself.
    expect(await auditTotal()).toBe(audits + 1);
    const [entry] = await auditEntries(`action=request_approval&entityType=approval_request&entityId=${approvalId}`);
    expect(entry.actorName).toContain('secadmin');
    expect(entry.after).toMatchObject({ kind: 'create_user', change: { username: 'office.sock', roleCodes: ['campaign_office'] } });

    // The username is held by the request: neither a second request nor an everyday account takes it.
    const again = await sec.post('/api/users', { username: 'OFFICE.sock', displayName: '傀儡', orgUnitId: unit('CFSJ'), roleCodes: ['campaign_office'] });
    expect(again.status).toBe(409);
    expect(again.body.field).toBe('username');
    expect((await sec.post('/api/users', { username: 'office.sock', displayName: '傀儡', orgUnitId: unit('CFSJ'), roleCodes: ['officer'] })).status).toBe(409);

    // Both administrators of the other duties are asked; the requester sees it waiting.
    for (const c of [admin, auditor]) {
      const n = await c.get('/api/notifications?pageSize=50');
      expect(n.body.items.some((x: any) => x.title.startsWith('待审批') && x.title.includes('office.sock') && x.link === '/approvals')).toBe(true);
    }
    const mine = await sec.get('/api/approvals?status=pending');
    expect(mine.status).toBe(200);
    expect(mine.body.items.find((a: any) => a.id === approvalId)).toMatchObject({
      kind: 'create_user', status: 'pending', mine: true, canCancel: true, canDecide: false, canCollect: false,
      requestedBy: { username: 'secadmin' },
    });
    ids.set('approval:office.sock', approvalId);
  });

  it('cannot add 整顿办 or 审计管理员 to an existing account', async () => {
    const a = await everydayAccount('grant.a');
    const b = await everydayAccount('grant.b');
    const r1 = await sec.patch(`/api/users/${a.id}`, { roleCodes: ['officer', 'campaign_office'] });
    expectPending(r1);
    const r2 = await sec.patch(`/api/users/${b.id}`, { roleCodes: ['auditor'], displayName: '改名' });
    expectPending(r2);
    expect((await sec.get(`/api/users/${a.id}`)).body.roles.map((r: any) => r.code)).toEqual(['officer']);
    const bNow = (await sec.get(`/api/users/${b.id}`)).body;
    expect(bNow.roles.map((r: any) => r.code)).toEqual(['officer']);
    expect(bNow.displayName).toBe('grant.b'); // nothing of the patch, not even the harmless part
    // The account itself still cannot read what 整顿办 / the auditor reads.
    expect((await a.client.get('/api/opinions')).status).toBe(403);
    expect((await b.client.get('/api/audit-logs')).status).toBe(403);
    // One request per account at a time.
    const dup = await sec.patch(`/api/users/${a.id}`, { roleCodes: ['officer', 'clue_handler'] });
    expect(dup.status).toBe(409);
  });

  it('cannot reset the password of the system admin or the auditor', async () => {
    for (const username of ['admin', 'auditor']) {
      const r = await sec.post(`/api/users/${ids.get(username)}/reset-password`);
      expectPending(r);
      expect(JSON.stringify(r.body)).not.toMatch(/"password"/);
      ids.set(`approval:reset:${username}`, r.body.approvalId);
    }
    // Their passwords and sessions are untouched.
    expect((await admin.get('/api/me')).status).toBe(200);
    expect((await auditor.get('/api/me')).status).toBe(200);
    expect((await s.client().login('admin')).status).toBe(200);
    expect((await s.client().login('auditor')).status).toBe(200);
    // Each target is told a request waits, being a decider; never about their own as approvable.
    const n = await admin.get('/api/notifications?pageSize=50');
    expect(n.body.items.some((x: any) => x.title.includes('重置账号“admin”'))).toBe(false);
    expect(n.body.items.some((x: any) => x.title.includes('重置账号“auditor”'))).toBe(true);
  });

  it('cannot re-enable a disabled privileged account', async () => {
    const r = await sec.post('/api/users', { username: 'office.two', displayName: '整顿办二', orgUnitId: unit('CFSJ'), roleCodes: ['campaign_office'] });
    const { approval } = await approveAndCollect(expectPending(r));
    const id = approval.result.userId as string;
    // Disabling takes access away: immediate.
    const off = await sec.patch(`/api/users/${id}`, { status: 'disabled' });
    expect(off.status).toBe(200);
    const on = await sec.patch(`/api/users/${id}`, { status: 'active' });
    expectPending(on);
    expect((await sec.get(`/api/users/${id}`)).body.status).toBe('disabled');
    ids.set('office.two', id);
    ids.set('approval:enable:office.two', on.body.approvalId);
  });

  it('cannot give a role that accounts hold the permission to see reporters’ identities, nor a wider scope', async () => {
    const role = await sec.post('/api/roles', { code: 'reader_x', name: '只读X', permissions: ['people:read', 'opinions:read'], dataScope: 'unit' });
    expect(role.status).toBe(201);
    const holder = await everydayAccount('reader.x', ['reader_x']);
    const audits = await auditTotal();
    const r = await sec.patch(`/api/roles/${role.body.id}`, { permissions: ['people:read', 'opinions:read', 'opinions:identity'] });
    expectPending(r);
    expect((await roleOf('reader_x')).permissions).toEqual(['people:read', 'opinions:read']);
    expect(await auditTotal()).toBe(audits + 1);
    const me = await holder.client.get('/api/me');
    expect(me.body.permissions).not.toContain('opinions:identity');
    // Cancelled by the requester, audited; then a wider scope is refused alike.
    const cancelled = await sec.post(`/api/approvals/${r.body.approvalId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(await auditEntries(`action=cancel&entityType=approval_request&entityId=${r.body.approvalId}`)).toHaveLength(1);
    expectPending(await sec.patch(`/api/roles/${role.body.id}`, { dataScope: 'all' }));
    expect((await roleOf('reader_x')).dataScope).toBe('unit');
    // Narrowing, renaming and harmless permissions stay immediate (a pending request does not block them).
    expect((await sec.patch(`/api/roles/${role.body.id}`, { name: '只读X改' })).status).toBe(200);
    expect((await sec.patch(`/api/roles/${role.body.id}`, { dataScope: 'self' })).status).toBe(200);
  });

  it('may create a custom role with opinions:identity, but assigning it waits for approval', async () => {
    const role = await sec.post('/api/roles', { code: 'identity_x', name: '身份查看', permissions: ['opinions:read', 'opinions:identity'], dataScope: 'all' });
    expect(role.status).toBe(201); // nobody holds it: nobody gained anything
    const users = await userTotal();
    expectPending(await sec.post('/api/users', { username: 'ident.new', displayName: '新', orgUnitId: unit('CFSJ'), roleCodes: ['identity_x'] }));
    expect(await userTotal()).toBe(users);
    const acc = await everydayAccount('ident.old');
    const grant = await sec.patch(`/api/users/${acc.id}`, { roleCodes: ['officer', 'identity_x'] });
    ids.set('approval:identity', expectPending(grant));
    expect((await sec.get(`/api/users/${acc.id}`)).body.roles.map((r: any) => r.code)).toEqual(['officer']);
    // Editing the role after asking makes the request lapse at approval (the approver saw another role).
    expect((await sec.patch(`/api/roles/${role.body.id}`, { permissions: ['opinions:read', 'opinions:identity', 'people:sensitive'] })).status).toBe(200);
    const stale = await auditor.post(`/api/approvals/${grant.body.approvalId}/approve`, {});
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('申请已失效');
    expect((await sec.get(`/api/users/${acc.id}`)).body.roles.map((r: any) => r.code)).toEqual(['officer']);
    const after = (await admin.get(`/api/approvals/${grant.body.approvalId}`)).body;
    expect(after).toMatchObject({ status: 'rejected', result: { outcome: 'stale' }, canDecide: false });
  });

  // ------------------------------------------------------------ who may decide

  it('refuses approvals by officers and unit admins, on every approval endpoint', async () => {
    const id = ids.get('approval:office.sock')!;
    for (const c of [officer, unitAdmin]) {
      expect((await c.get('/api/approvals')).status).toBe(403);
      expect((await c.get(`/api/approvals/${id}`)).status).toBe(403);
      expect((await c.post(`/api/approvals/${id}/approve`, {})).status).toBe(403);
      expect((await c.post(`/api/approvals/${id}/reject`, { reason: '不行' })).status).toBe(403);
      expect((await c.post(`/api/approvals/${id}/cancel`)).status).toBe(403);
      expect((await c.post(`/api/approvals/${id}/collect`)).status).toBe(403);
    }
    // The security admin cannot decide either (not even its own request).
    expect((await sec.post(`/api/approvals/${id}/approve`, {})).status).toBe(403);
    expect((await sec.post(`/api/approvals/${id}/reject`, { reason: 'x' })).status).toBe(403);
    expect((await userOf('office.sock'))).toBeUndefined();
  });

  it('refuses the target approving a change to their own account; another duty approves; the requester collects once', async () => {
    const approvalId = ids.get('approval:reset:admin')!;
    const self = await admin.post(`/api/approvals/${approvalId}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.message).toContain('本人账号');
    expect((await admin.get(`/api/approvals/${approvalId}`)).body).toMatchObject({ status: 'pending', canDecide: false });
    expect((await auditor.get(`/api/approvals/${approvalId}`)).body).toMatchObject({ status: 'pending', canDecide: true });

    const ok = await auditor.post(`/api/approvals/${approvalId}/approve`, { note: '经电话核实本人遗忘密码' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: approvalId, status: 'approved', result: { username: 'admin' } });
    // The reset took effect: the admin's sessions are gone.
    expect((await admin.get('/api/me')).status).toBe(401);
    // A second approval of the same request: 409.
    const twice = await auditor.post(`/api/approvals/${approvalId}/approve`, {});
    expect(twice.status).toBe(409);
    // The approver never sees the password: not in the answer, the request, or a collect.
    const seen = await auditor.get(`/api/approvals/${approvalId}`);
    expect(seen.body).toMatchObject({ canCollect: false, decisionNote: '经电话核实本人遗忘密码', decidedBy: { username: 'auditor' } });
    expect(JSON.stringify(seen.body)).not.toMatch(/secret|"password"/i);
    expect((await auditor.post(`/api/approvals/${approvalId}/collect`)).status).toBe(404);

    // The requester collects it once, uncached; a second time it is gone.
    expect((await sec.get(`/api/approvals/${approvalId}`)).body.canCollect).toBe(true);
    const got = await sec.post(`/api/approvals/${approvalId}/collect`);
    expect(got.status).toBe(200);
    expect(got.headers.get('cache-control')).toContain('no-store');
    expect(got.body).toEqual({ password: expect.stringMatching(/^.{14}$/), username: 'admin' });
    passwords.push(got.body.password);
    expect(JSON.stringify(ok.body)).not.toContain(got.body.password);
    const again = await sec.post(`/api/approvals/${approvalId}/collect`);
    expect(again.status).toBe(410);
    expect((await sec.get(`/api/approvals/${approvalId}`)).body.canCollect).toBe(false);

    // The password works, once changed; the admin is told in the app.
    const fresh = s.client();
    const login = await fresh.login('admin', got.body.password);
    expect(login.status).toBe(200);
    expect(login.body.mustChangePassword).toBe(true);
    expect((await fresh.post('/api/auth/password', { oldPassword: got.body.password, newPassword: NEW_PASSWORD })).status).toBe(200);
    admin = fresh;
    const notes = (await admin.get('/api/notifications?pageSize=50')).body.items.map((n: any) => n.title);
    expect(notes).toContain('您的账号密码已被重置');
    // The requester was told it was approved.
    const secNotes = (await sec.get('/api/notifications?pageSize=50')).body.items.map((n: any) => n.title);
    expect(secNotes.some((t: string) => t.startsWith('审批已通过') && t.includes('admin'))).toBe(true);

    // Audited: the approval and the reset, in one chain, without the password.
    const [appr] = await auditEntries(`action=approve&entityType=approval_request&entityId=${approvalId}`);
    expect(appr.actorName).toContain('auditor');
    const [reset] = await auditEntries(`action=reset_password&entityType=user&entityId=${ids.get('admin')}`);
    expect(reset.after).toMatchObject({ approval: { approvalId, requestedBy: expect.stringContaining('secadmin') }, mustChangePassword: true });
    expect((await auditEntries(`action=collect_secret&entityType=approval_request&entityId=${approvalId}`))).toHaveLength(1);
  });

  it('the auditor’s reset is approved by the system admin', async () => {
    const approvalId = ids.get('approval:reset:auditor')!;
    expect((await auditor.post(`/api/approvals/${approvalId}/approve`, {})).status).toBe(403);
    const { password } = await approveAndCollect(approvalId, admin);
    const c = s.client();
    expect((await c.login('auditor', password)).status).toBe(200);
    expect((await c.post('/api/auth/password', { oldPassword: password, newPassword: NEW_PASSWORD })).status).toBe(200);
    auditor = c;
  });

  it('refuses an approver of the same duty and one’s own request, even for accounts made before the rule', async () => {
    // An account from before approvals existed: system admin plus a custom account-administration
    // role. Today neither the role list nor the rules would allow it; the approval rules still hold.
    const db = s.deps.db;
    const now = clock().toISOString();
    const roleId = newId();
    await db.insertInto('role').values({
      id: roleId, code: 'legacy_acct', name: '旧账号管理', description: null, builtin: 0,
      permissions: JSON.stringify(['users:read', 'users:write', 'roles:read', 'roles:write']), data_scope: 'all', created_at: now, updated_at: now,
    }).execute();
    const userId = newId();
    await db.insertInto('app_user').values({
      id: userId, username: 'legacy', display_name: '旧管理员', person_id: null, org_unit_id: unit('CFSJ'),
      password_hash: await hashPassword(LEGACY_PASSWORD), must_change_password: 0, status: 'active', password_changed_at: now,
      last_login_at: null, created_at: now, updated_at: now,
    }).execute();
    await db.insertInto('user_role').values([{ user_id: userId, role_id: 'role-sysadmin' }, { user_id: userId, role_id: roleId }]).execute();
    const legacy = await s.as('legacy', LEGACY_PASSWORD);

    const r = await legacy.post('/api/users', { username: 'legacy.office', displayName: '整顿办三', orgUnitId: unit('CFSJ'), roleCodes: ['campaign_office'] });
    const approvalId = expectPending(r);
    const own = await legacy.post(`/api/approvals/${approvalId}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.body.message).toContain('本人提交');
    const same = await admin.post(`/api/approvals/${approvalId}/approve`, {});
    expect(same.status).toBe(403);
    expect(same.body.message).toContain('系统管理员');
    expect((await admin.post(`/api/approvals/${approvalId}/reject`, { reason: '同职责' })).status).toBe(403);
    expect(await userOf('legacy.office')).toBeUndefined();
    // Only the auditor was asked.
    const adminNotes = (await admin.get('/api/notifications?pageSize=100')).body.items.map((n: any) => n.title);
    expect(adminNotes.some((t: string) => t.includes('legacy.office'))).toBe(false);
    const auditorNotes = (await auditor.get('/api/notifications?pageSize=100')).body.items.map((n: any) => n.title);
    expect(auditorNotes.some((t: string) => t.includes('legacy.office'))).toBe(true);

    // Rejecting needs a reason; rejected, nothing is written and the requester is told.
    const noReason = await auditor.post(`/api/approvals/${approvalId}/reject`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.field).toBe('reason');
    const rej = await auditor.post(`/api/approvals/${approvalId}/reject`, { reason: '账号来历不明' });
    expect(rej.status).toBe(200);
    expect((await auditor.post(`/api/approvals/${approvalId}/approve`, {})).status).toBe(409);
    expect(await userOf('legacy.office')).toBeUndefined();
    const [entry] = await auditEntries(`action=reject&entityType=approval_request&entityId=${approvalId}`);
    expect(entry.after).toMatchObject({ status: 'rejected', reason: '账号来历不明' });
    const notes = (await legacy.get('/api/notifications?pageSize=50')).body.items.map((n: any) => n.title);
    expect(notes.some((t: string) => t.startsWith('审批未通过'))).toBe(true);
  });

  it('lets a request lapse when its facts change, its requester is disabled, or 72 hours pass', async () => {
    // Facts changed: the account was renamed after the request.
    const a = await everydayAccount('lapse.a');
    const req = expectPending(await sec.patch(`/api/users/${a.id}`, { roleCodes: ['officer', 'clue_handler'] }));
    expect((await sec.patch(`/api/users/${a.id}`, { displayName: '改过名' })).status).toBe(200);
    const stale = await admin.post(`/api/approvals/${req}/approve`, {});
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('已被修改');
    expect((await sec.get(`/api/users/${a.id}`)).body.roles.map((r: any) => r.code)).toEqual(['officer']);
    expect((await sec.get(`/api/approvals/${req}`)).body.status).toBe('rejected');

    // The requester lost their authority: a second security admin, disabled after asking.
    const mk = await sec.post('/api/users', { username: 'sec.two', displayName: '安全管理员二', orgUnitId: unit('CFSJ'), roleCodes: ['secadmin'] });
    const { password } = await approveAndCollect(expectPending(mk));
    const sec2 = s.client();
    await sec2.login('sec.two', password);
    await sec2.post('/api/auth/password', { oldPassword: password, newPassword: NEW_PASSWORD });
    const b = await everydayAccount('lapse.b');
    const req2 = expectPending(await sec2.patch(`/api/users/${b.id}`, { roleCodes: ['officer', 'campaign_office'] }));
    const secTwoId = (await userOf('sec.two')).id;
    expect((await sec.patch(`/api/users/${secTwoId}`, { status: 'disabled' })).status).toBe(200);
    const gone = await admin.post(`/api/approvals/${req2}/approve`, {});
    expect(gone.status).toBe(409);
    expect(gone.body.message).toContain('申请人');
    expect((await sec.get(`/api/users/${b.id}`)).body.roles.map((r: any) => r.code)).toEqual(['officer']);

    // 72 hours without a decision: expired, refused, and no longer blocking a new request.
    const c = await everydayAccount('lapse.c');
    const req3 = expectPending(await sec.patch(`/api/users/${c.id}`, { roleCodes: ['officer', 'campaign_office'] }));
    clock.advance(73 * 3600_000);
    // Sessions time out meanwhile: log in again.
    admin = await s.as('admin', NEW_PASSWORD);
    sec = await s.as('secadmin');
    auditor = await s.as('auditor', NEW_PASSWORD);
    const late = await admin.post(`/api/approvals/${req3}/approve`, {});
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('过期');
    expect((await sec.get(`/api/approvals?status=expired`)).body.items.map((x: any) => x.id)).toContain(req3);
    expect((await sec.get(`/api/approvals?status=pending`)).body.items.map((x: any) => x.id)).not.toContain(req3);
    expect((await sec.get(`/api/users/${c.id}`)).body.roles.map((r: any) => r.code)).toEqual(['officer']);
    expectPending(await sec.patch(`/api/users/${c.id}`, { roleCodes: ['officer', 'campaign_office'] }));
  });

  // ------------------------------------------------------------ the happy path

  it('carries out approved grants and re-enabling, telling the affected user', async () => {
    // The office.sock account requested first (its request expired above): ask again and approve.
    const r = await sec.post('/api/users', { username: 'office.real', displayName: '整顿办干部', orgUnitId: unit('CFSJ'), roleCodes: ['campaign_office'] });
    const { approval, password } = await approveAndCollect(expectPending(r), auditor);
    const c = s.client();
    expect((await c.login('office.real', password)).status).toBe(200);
    await c.post('/api/auth/password', { oldPassword: password, newPassword: NEW_PASSWORD });
    expect((await c.get('/api/me')).body.permissions).toContain('opinions:identity');
    const notes = (await c.get('/api/notifications?pageSize=20')).body.items.map((n: any) => n.title);
    expect(notes).toContain('您的账号已开通');
    const [created] = await auditEntries(`action=create&entityType=user&entityId=${approval.result.userId}`);
    expect(created.after).toMatchObject({ username: 'office.real', roleCodes: ['campaign_office'], approval: { approvalId: r.body.approvalId } });

    // A grant to an existing account, approved: the holder gains it and is told.
    const g = await everydayAccount('grant.c');
    const req = expectPending(await sec.patch(`/api/users/${g.id}`, { roleCodes: ['officer', 'clue_handler'] }));
    const ok = await admin.post(`/api/approvals/${req}/approve`, { note: '同意' });
    expect(ok.status).toBe(200);
    expect((await sec.get(`/api/users/${g.id}`)).body.roles.map((x: any) => x.code)).toEqual(['clue_handler', 'officer']);
    expect((await g.client.get('/api/notifications?pageSize=20')).body.items.map((n: any) => n.title)).toContain('您的账号权限已变更');
    // No password to collect for a grant.
    expect((await sec.post(`/api/approvals/${req}/collect`)).status).toBe(404);

    // Re-enabling a disabled 整顿办 account (made and disabled here, whatever ran before): ask, approve.
    const made = await sec.post('/api/users', { username: 'office.three', displayName: '整顿办三', orgUnitId: unit('CFSJ'), roleCodes: ['campaign_office'] });
    const three = (await approveAndCollect(expectPending(made))).approval.result.userId as string;
    expect((await sec.patch(`/api/users/${three}`, { status: 'disabled' })).status).toBe(200);
    const en = expectPending(await sec.patch(`/api/users/${three}`, { status: 'active' }));
    expect((await auditor.post(`/api/approvals/${en}/approve`, {})).status).toBe(200);
    expect((await sec.get(`/api/users/${three}`)).body.status).toBe('active');
  });

  it('lists requests: deciders see all, requesters their own; history filters by status', async () => {
    const all = await admin.get('/api/approvals?pageSize=200');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(all.body.items.length);
    expect(all.body.items.some((a: any) => a.requestedBy.username === 'legacy')).toBe(true);
    const mine = await sec.get('/api/approvals?pageSize=200');
    expect(mine.body.items.every((a: any) => a.requestedBy.username === 'secadmin')).toBe(true);
    expect(mine.body.items.length).toBeGreaterThan(5);
    const approved = await admin.get('/api/approvals?status=approved&pageSize=200');
    expect(approved.body.items.every((a: any) => a.status === 'approved' && a.decidedBy && a.decidedAt)).toBe(true);
    // Newest first.
    const times = all.body.items.map((a: any) => a.requestedAt);
    expect([...times].sort().reverse()).toEqual(times);
    // The legacy account's request is not the security admin's to see.
    const legacyReq = all.body.items.find((a: any) => a.requestedBy.username === 'legacy');
    expect((await sec.get(`/api/approvals/${legacyReq.id}`)).status).toBe(404);
    expect((await sec.post(`/api/approvals/${legacyReq.id}/cancel`)).status).toBe(404);
  });

  it('never writes a one-time password to the audit log or an approver’s notifications, and the chain holds', async () => {
    const all = JSON.stringify(await auditEntries('entityType=approval_request')) + JSON.stringify(await auditEntries('entityType=user'));
    expect(all).not.toContain('argon2');
    expect(passwords.length).toBeGreaterThan(3);
    for (const p of passwords) expect(all).not.toContain(p);
    for (const c of [admin, auditor]) {
      const notes = JSON.stringify((await c.get('/api/notifications?pageSize=200')).body);
      for (const p of passwords) expect(notes).not.toContain(p);
    }
    const stored = await s.deps.db.selectFrom('approval_request').select(['payload', 'secret_enc', 'result']).execute();
    for (const row of stored) for (const p of passwords) expect(JSON.stringify(row)).not.toContain(p);
    expect((await auditor.get('/api/audit-logs/verify')).body.ok).toBe(true);
  });
});

describe.each(targets())('built-in roles brought up to date on every start on %s', (target) => {
  it('gives an existing database approvals:decide, restores a missing built-in role, audits once, then does nothing', async () => {
    const t = await createTestDb(target, { demo: false });
    try {
      const db = t.deps.db;
      // A database from before approvals: the old sysadmin role, an edited description, no officer role.
      const old = BUILTIN_ROLES.find((r) => r.code === 'sysadmin')!.permissions.filter((p) => !p.startsWith('approvals:'));
      await db.updateTable('role').set({ permissions: JSON.stringify(old), description: '旧说明' }).where('code', '=', 'sysadmin').execute();
      await db.deleteFrom('role').where('code', '=', 'officer').execute();
      const before = Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

      const report = await syncBuiltinRoles(t.deps);
      expect(report.changed.sort()).toEqual(['officer', 'sysadmin']);
      const rows = await db.selectFrom('role').selectAll().where('builtin', '=', 1).execute();
      for (const want of BUILTIN_ROLES) {
        const row = rows.find((r) => r.code === want.code)!;
        expect(row, want.code).toBeTruthy();
        expect(JSON.parse(row.permissions).sort()).toEqual([...want.permissions].sort());
        expect(row).toMatchObject({ name: want.name, description: want.description, data_scope: want.dataScope });
      }
      const entries = await db.selectFrom('audit_log').selectAll().where('seq', '>', before).execute();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'sync_builtin_roles', entity_type: 'role' });
      expect(JSON.parse(entries[0]!.after_json!).sysadmin.permissions).toContain('approvals:decide');

      // Nothing left to do: no change, no entry.
      expect(await syncBuiltinRoles(t.deps)).toEqual({ changed: [], conflicts: [] });
      const n = Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(n).toBe(before + 1);
    } finally {
      await t.cleanup();
    }
  });
});
