import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { sm3 } from '../../src/server/platform/crypto.js';
import { BUILTIN_ROLES } from '../../src/shared/permissions.js';
import { APPROVAL_PENDING_MESSAGE } from '../../src/shared/schemas/approvals.js';

// Accounts, roles and online sessions through the real HTTP API, as the security admin, a unit
// admin (红山区) and the accounts themselves would use it.

const NEW_PASSWORD = 'Fresh#2026pass';

describe.each(targets())('accounts, roles and sessions on %s', (target) => {
  let s: TestServer;
  let sec: Client;
  let unitAdmin: Client;
  let auditor: Client;
  /** The system admin: another duty than the security admin, so it approves their privileged requests. */
  let admin: Client;
  const units = new Map<string, string>();
  /** Every state change made below: each must be found in the audit log. */
  const changes: { action: string; entityType: string; entityId: string }[] = [];
  /** Every one-time password handed out: none may end up in the audit log. */
  const passwords: string[] = [];

  beforeAll(async () => {
    s = await startServer(target);
    sec = await s.as('secadmin');
    unitAdmin = await s.as('unitadmin');
    auditor = await s.as('auditor');
    admin = await s.as('admin');
    const ou = await sec.get('/api/org-units');
    for (const u of ou.body.items) units.set(u.code, u.id);
  });
  afterAll(async () => s?.close());

  const unit = (code: string) => units.get(code)!;

  async function createUser(by: Client, body: Record<string, unknown>) {
    const r = await by.post('/api/users', body);
    if (r.status === 201) {
      passwords.push(r.body.initialPassword);
      changes.push({ action: 'create', entityType: 'user', entityId: r.body.id });
    }
    return r;
  }

  /**
   * A privileged account: the security admin's request writes no account until the system admin
   * approves; then the requester collects the one-time password, once.
   */
  async function createPrivileged(body: Record<string, unknown>) {
    const before = await userTotal();
    const r = await sec.post('/api/users', body);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({ status: 'pending', message: APPROVAL_PENDING_MESSAGE });
    expect(await userTotal()).toBe(before);
    const ok = await admin.post(`/api/approvals/${r.body.approvalId}/approve`, {});
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(JSON.stringify(ok.body)).not.toMatch(/password/i);
    const got = await sec.post(`/api/approvals/${r.body.approvalId}/collect`);
    expect(got.status).toBe(200);
    passwords.push(got.body.password);
    const id = ok.body.result.userId as string;
    changes.push({ action: 'create', entityType: 'user', entityId: id });
    expect(await userTotal()).toBe(before + 1);
    return { status: 201, body: { id, username: body.username as string, initialPassword: got.body.password as string } };
  }

  async function userTotal() {
    return (await sec.get('/api/users?pageSize=1')).body.total as number;
  }

  /** Logs in with the one-time password and changes it, as a new user must. */
  async function activate(username: string, initial: string) {
    const c = s.client();
    const r = await c.login(username, initial);
    expect(r.status).toBe(200);
    expect(r.body.mustChangePassword).toBe(true);
    const p = await c.post('/api/auth/password', { oldPassword: initial, newPassword: NEW_PASSWORD });
    expect(p.status).toBe(200);
    return c;
  }

  async function auditEntries(q: string) {
    const r = await auditor.get(`/api/audit-logs?pageSize=200&${q}`);
    expect(r.status).toBe(200);
    return r.body.items as any[];
  }

  it('lets the security admin create an account whose one-time password must be changed before any work', async () => {
    const r = await createUser(sec, {
      username: 'zhang.san', displayName: '张三', orgUnitId: unit('HSQ-01'), roleCodes: ['officer'],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ username: 'zhang.san' });
    expect(r.body.initialPassword).toMatch(/^.{14}$/);

    const got = await sec.get(`/api/users/${r.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: r.body.id, username: 'zhang.san', displayName: '张三', orgUnitId: unit('HSQ-01'), orgUnitName: '文钟司法所',
      status: 'active', mustChangePassword: true, roles: [{ code: 'officer', name: '干警' }], personId: null, lastLoginAt: null,
    });
    expect(got.body).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(got.body)).not.toContain('argon2');

    const c = s.client();
    const login = await c.login('zhang.san', r.body.initialPassword);
    expect(login.status).toBe(200);
    expect(login.body.mustChangePassword).toBe(true);
    const gated = await c.get('/api/people');
    expect(gated.status).toBe(403);
    expect(gated.body.error).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await c.post('/api/auth/password', { oldPassword: r.body.initialPassword, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    const people = await c.get('/api/people');
    expect(people.status).toBe(200);

    const after = await sec.get(`/api/users/${r.body.id}`);
    expect(after.body.mustChangePassword).toBe(false);
    expect(after.body.lastLoginAt).toBeTruthy();

    const listed = await sec.get('/api/users?q=zhang');
    expect(listed.body.items.map((u: any) => u.username)).toEqual(['zhang.san']);
    const [entry] = await auditEntries(`action=create&entityType=user&entityId=${r.body.id}`);
    expect(entry.after).toMatchObject({ username: 'zhang.san', roleCodes: ['officer'], mustChangePassword: true });
  });

  it('refuses a username already taken, in any letter case, with 409 naming 用户名', async () => {
    const first = await createUser(sec, { username: 'dup-user', displayName: '重复', orgUnitId: unit('HSQ'), roleCodes: ['officer'] });
    expect(first.status).toBe(201);
    const before = await userTotal();
    for (const username of ['dup-user', 'DUP-User']) {
      const again = await sec.post('/api/users', { username, displayName: '重复2', orgUnitId: unit('HSQ'), roleCodes: ['officer'] });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ message: '用户名：已被使用', field: 'username' });
    }
    expect(await userTotal()).toBe(before);
  });

  it('answers 400 naming the field on bad input and writes nothing', async () => {
    const before = await userTotal();
    const auditBefore = (await auditor.get('/api/audit-logs?pageSize=1')).body.total;
    const bad: [Record<string, unknown>, string, string][] = [
      [{ username: 'bad name!', displayName: 'x', orgUnitId: unit('HSQ'), roleCodes: ['officer'] }, '用户名', 'username'],
      [{ username: 'ab', displayName: 'x', orgUnitId: unit('HSQ'), roleCodes: ['officer'] }, '用户名', 'username'],
      [{ username: 'a'.repeat(33), displayName: 'x', orgUnitId: unit('HSQ'), roleCodes: ['officer'] }, '用户名', 'username'],
      [{ username: 'nobody1', displayName: 'x', orgUnitId: unit('HSQ'), roleCodes: [] }, '角色', 'roleCodes'],
      [{ username: 'nobody2', displayName: 'x', orgUnitId: unit('HSQ'), roleCodes: ['no_such_role'] }, '角色', 'roleCodes'],
      [{ username: 'nobody3', displayName: 'x', orgUnitId: 'no-such-unit', roleCodes: ['officer'] }, '所在单位', 'orgUnitId'],
      [{ username: 'nobody4', displayName: '', orgUnitId: unit('HSQ'), roleCodes: ['officer'] }, '姓名', 'displayName'],
    ];
    for (const [body, label, field] of bad) {
      const r = await sec.post('/api/users', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.message).toContain(label);
      expect(r.body.field).toBe(field);
    }
    expect(await userTotal()).toBe(before);
    expect((await auditor.get('/api/audit-logs?pageSize=1')).body.total).toBe(auditBefore);
  });

  it('keeps a unit admin inside 红山区: no accounts in 宁城县, none of its users seen, no privileged roles', async () => {
    const before = await userTotal();
    const outside = await unitAdmin.post('/api/users', {
      username: 'ncx.user', displayName: '宁城', orgUnitId: unit('NCX'), roleCodes: ['officer'],
    });
    expect(outside.status).toBe(403);
    for (const roleCodes of [['sysadmin'], ['officer', 'clue_handler'], ['campaign_office']]) {
      const r = await unitAdmin.post('/api/users', { username: 'hsq.boss', displayName: '越权', orgUnitId: unit('HSQ-01'), roleCodes });
      expect(r.status).toBe(403);
      expect(r.body.message).toContain('角色');
    }
    expect(await userTotal()).toBe(before);

    // Inside the subtree, ordinary roles: allowed.
    const inside = await createUser(unitAdmin, {
      username: 'hsq.clerk', displayName: '红山文员', orgUnitId: unit('HSQ-01'), roleCodes: ['officer'],
    });
    expect(inside.status).toBe(201);

    // An account in 宁城县, made by the security admin, is invisible to the unit admin.
    const ncx = await createUser(sec, { username: 'ncx.clerk', displayName: '宁城文员', orgUnitId: unit('NCX'), roleCodes: ['officer'] });
    expect(ncx.status).toBe(201);
    const list = await unitAdmin.get('/api/users?pageSize=200');
    expect(list.status).toBe(200);
    const names = list.body.items.map((u: any) => u.username);
    expect(names).toContain('hsq.clerk');
    expect(names).toContain('unitadmin');
    expect(names).not.toContain('ncx.clerk');
    expect(names).not.toContain('admin');
    expect(list.body.total).toBe(list.body.items.length);
    expect((await unitAdmin.get(`/api/users/${ncx.body.id}`)).status).toBe(404);
    expect((await unitAdmin.patch(`/api/users/${ncx.body.id}`, { displayName: '改名' })).status).toBe(404);
    expect((await unitAdmin.post(`/api/users/${ncx.body.id}/reset-password`)).status).toBe(404);
    expect((await unitAdmin.get(`/api/users?orgUnitId=${unit('NCX')}`)).body.total).toBe(0);

    // Nor may it move its own accounts out of 红山区, or grant them more.
    const move = await unitAdmin.patch(`/api/users/${inside.body.id}`, { orgUnitId: unit('NCX') });
    expect(move.status).toBe(403);
    const grant = await unitAdmin.patch(`/api/users/${inside.body.id}`, { roleCodes: ['officer', 'sysadmin'] });
    expect(grant.status).toBe(403);
    expect((await sec.get(`/api/users/${inside.body.id}`)).body).toMatchObject({
      orgUnitId: unit('HSQ-01'), roles: [{ code: 'officer' }],
    });

    // An account in its unit holding a role it could not grant is not its to manage either.
    const clue = await createPrivileged({ username: 'hsq.clue', displayName: '线索', orgUnitId: unit('HSQ'), roleCodes: ['clue_handler'] });
    expect(clue.status).toBe(201);
    expect((await unitAdmin.post(`/api/users/${clue.body.id}/reset-password`)).status).toBe(403);
    expect((await unitAdmin.patch(`/api/users/${clue.body.id}`, { status: 'disabled' })).status).toBe(403);
  });

  it('links an account to a person in scope, once', async () => {
    const taken = new Set((await sec.get('/api/users?pageSize=200')).body.items.map((u: any) => u.personId));
    const people = await unitAdmin.get(`/api/people?orgUnitId=${unit('HSQ-01')}&includeSub=0&pageSize=50`);
    const person = people.body.items.find((p: any) => !taken.has(p.id));
    expect(person).toBeTruthy();
    const mismatch = await unitAdmin.post('/api/users', {
      username: 'linked.bad', displayName: person.name, orgUnitId: unit('HSQ'), personId: person.id, roleCodes: ['officer'],
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.field).toBe('orgUnitId');
    const r = await createUser(unitAdmin, {
      username: 'linked.one', displayName: person.name, orgUnitId: unit('HSQ-01'), personId: person.id, roleCodes: ['officer'],
    });
    expect(r.status).toBe(201);
    expect((await unitAdmin.get(`/api/users/${r.body.id}`)).body).toMatchObject({ personId: person.id, personName: person.name });
    const twice = await unitAdmin.post('/api/users', {
      username: 'linked.two', displayName: person.name, orgUnitId: unit('HSQ-01'), personId: person.id, roleCodes: ['officer'],
    });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain('关联干警');

    const ncxPeople = await sec.get(`/api/people?orgUnitId=${unit('NCX')}&includeSub=0&pageSize=1`);
    const far = await unitAdmin.post('/api/users', {
      username: 'linked.far', displayName: 'x', orgUnitId: unit('HSQ-01'), personId: ncxPeople.body.items[0].id, roleCodes: ['officer'],
    });
    expect(far.status).toBe(400);
    expect(far.body.message).toContain('关联干警');
  });

  it('enforces the three separated duties on create and on edit', async () => {
    const before = await userTotal();
    for (const roleCodes of [['sysadmin', 'auditor'], ['secadmin', 'auditor'], ['sysadmin', 'secadmin']]) {
      const r = await sec.post('/api/users', { username: 'two.hats', displayName: '兼任', orgUnitId: unit('CFSJ'), roleCodes });
      expect(r.status).toBe(400);
      expect(r.body.message).toContain('角色');
      expect(r.body.message).toContain('三员分立');
    }
    expect(await userTotal()).toBe(before);
    const admin2 = await createPrivileged({ username: 'sysadmin2', displayName: '系统管理员二', orgUnitId: unit('CFSJ'), roleCodes: ['sysadmin'] });
    expect(admin2.status).toBe(201);
    const edit = await sec.patch(`/api/users/${admin2.body.id}`, { roleCodes: ['sysadmin', 'auditor'] });
    expect(edit.status).toBe(400);
    expect(edit.body.message).toContain('角色');
    expect((await sec.get(`/api/users/${admin2.body.id}`)).body.roles).toEqual([{ code: 'sysadmin', name: '系统管理员' }]);
  });

  it('lets nobody change their own roles or disable themselves', async () => {
    const me = (await sec.get('/api/me')).body.user.id;
    const roles = await sec.patch(`/api/users/${me}`, { roleCodes: ['secadmin', 'officer'] });
    expect(roles.status).toBe(400);
    expect(roles.body.field).toBe('roleCodes');
    const disable = await sec.patch(`/api/users/${me}`, { status: 'disabled' });
    expect(disable.status).toBe(400);
    expect(disable.body.field).toBe('status');
    const ua = (await unitAdmin.get('/api/me')).body.user.id;
    expect((await unitAdmin.patch(`/api/users/${ua}`, { roleCodes: ['officer'] })).status).toBe(400);
    // Unchanged roles and other fields of one's own account are fine.
    const ok = await sec.patch(`/api/users/${me}`, { displayName: '安全管理员', roleCodes: ['secadmin'] });
    expect(ok.status).toBe(200);
    changes.push({ action: 'update', entityType: 'user', entityId: me });
    expect((await sec.get('/api/me')).status).toBe(200);
  });

  it('resets a password: one-time, old sessions out, lockout cleared', async () => {
    const created = await createUser(sec, { username: 'forgetful', displayName: '健忘', orgUnitId: unit('HSQ'), roleCodes: ['officer'] });
    const old = await activate('forgetful', created.body.initialPassword);
    expect((await old.get('/api/me')).status).toBe(200);

    // Five wrong passwords lock the account, even against the right one.
    const stranger = s.client();
    for (let i = 0; i < 5; i++) expect((await stranger.login('forgetful', 'Wrong#2026pw')).status).toBe(401);
    expect((await s.client().login('forgetful', NEW_PASSWORD)).status).toBe(423);

    const reset = await sec.post(`/api/users/${created.body.id}/reset-password`);
    expect(reset.status).toBe(200);
    expect(reset.body.password).toMatch(/^.{14}$/);
    passwords.push(reset.body.password);
    changes.push({ action: 'reset_password', entityType: 'user', entityId: created.body.id });

    expect((await old.get('/api/me')).status).toBe(401);
    expect((await s.client().login('forgetful', NEW_PASSWORD)).status).toBe(401);
    const fresh = s.client();
    const login = await fresh.login('forgetful', reset.body.password);
    expect(login.status).toBe(200);
    expect(login.body.mustChangePassword).toBe(true);
    expect((await fresh.get('/api/people')).body.error).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await sec.get(`/api/users/${created.body.id}`)).body.mustChangePassword).toBe(true);

    const me = (await sec.get('/api/me')).body.user.id;
    expect((await sec.post(`/api/users/${me}/reset-password`)).status).toBe(400);
  });

  it('disabling an account ends its sessions; enabling lets it back in', async () => {
    const created = await createUser(sec, { username: 'leaver', displayName: '离岗', orgUnitId: unit('HSQ-01'), roleCodes: ['officer'] });
    const c = await activate('leaver', created.body.initialPassword);
    const off = await sec.patch(`/api/users/${created.body.id}`, { status: 'disabled' });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: created.body.id, status: 'disabled' });
    changes.push({ action: 'update', entityType: 'user', entityId: created.body.id });
    expect((await c.get('/api/me')).status).toBe(401);
    const refused = await s.client().login('leaver', NEW_PASSWORD);
    expect(refused.status).toBe(401);
    // Answered like a wrong password: a login attempt does not learn that the account exists but is disabled.
    expect(refused.body.message).toContain('用户名或密码错误');
    const sessions = await sec.get('/api/sessions?pageSize=200');
    expect(sessions.body.items.some((x: any) => x.userId === created.body.id)).toBe(false);
    expect((await sec.get('/api/users?status=disabled')).body.items.map((u: any) => u.username)).toContain('leaver');

    const [entry] = await auditEntries(`action=update&entityType=user&entityId=${created.body.id}`);
    expect(entry.before.status).toBe('active');
    expect(entry.after.status).toBe('disabled');

    const on = await sec.patch(`/api/users/${created.body.id}`, { status: 'active' });
    expect(on.status).toBe(200);
    expect((await s.client().login('leaver', NEW_PASSWORD)).status).toBe(200);
  });

  it('lists online sessions with the caller’s own marked current, and forces a logout', async () => {
    const created = await createUser(sec, { username: 'kickme', displayName: '被下线', orgUnitId: unit('HSQ-01'), roleCodes: ['officer'] });
    const victim = await activate('kickme', created.body.initialPassword);
    const victimSession = sm3(victim.cookies.get('rectify_sid')!);
    const secSession = sm3(sec.cookies.get('rectify_sid')!);

    const list = await sec.get('/api/sessions?pageSize=200');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(list.body.items.length);
    const mine = list.body.items.filter((x: any) => x.current);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: secSession, username: 'secadmin', displayName: '安全管理员' });
    const theirs = list.body.items.find((x: any) => x.id === victimSession);
    expect(theirs).toMatchObject({ userId: created.body.id, username: 'kickme', current: false });
    expect(theirs.lastSeenAt).toBeTruthy();
    expect(theirs.createdAt).toBeTruthy();

    expect((await victim.get('/api/sessions')).status).toBe(403);
    expect((await unitAdmin.delete(`/api/sessions/${victimSession}`)).status).toBe(403);
    expect((await sec.delete(`/api/sessions/${secSession}`)).status).toBe(400);

    const kick = await sec.delete(`/api/sessions/${victimSession}`);
    expect(kick.status).toBe(200);
    changes.push({ action: 'force_logout', entityType: 'session', entityId: victimSession.slice(0, 16) });
    const after = await victim.get('/api/me');
    expect(after.status).toBe(401);
    expect((await sec.delete(`/api/sessions/${victimSession}`)).status).toBe(404);
    expect((await sec.get('/api/sessions?pageSize=200')).body.items.some((x: any) => x.id === victimSession)).toBe(false);

    const [entry] = await auditEntries(`action=force_logout&entityType=session&entityId=${victimSession.slice(0, 16)}`);
    expect(entry.actorName).toContain('secadmin');
    expect(entry.after).toMatchObject({ userId: created.body.id, username: 'kickme', reason: 'forced' });
  });

  it('lists roles and permissions to those who assign them, and nobody else', async () => {
    const roles = await sec.get('/api/roles');
    expect(roles.status).toBe(200);
    expect(roles.body.items.slice(0, BUILTIN_ROLES.length).map((r: any) => r.code)).toEqual(BUILTIN_ROLES.map((r) => r.code));
    const secRole = roles.body.items.find((r: any) => r.code === 'secadmin');
    expect(secRole).toMatchObject({ builtin: true, dataScope: 'all', customUnitIds: [], name: '安全管理员' });
    expect(secRole.permissions).toContain('roles:write');
    expect(secRole.userCount).toBeGreaterThanOrEqual(1);
    expect((await unitAdmin.get('/api/roles')).status).toBe(200);
    expect((await auditor.get('/api/roles')).status).toBe(403);
    const officer = await s.as('officer');
    expect((await officer.get('/api/roles')).status).toBe(403);
    expect((await officer.get('/api/users')).status).toBe(403);

    const perms = await unitAdmin.get('/api/permissions');
    expect(perms.status).toBe(200);
    expect(perms.body.items).toContainEqual({ code: 'users:read', label: '查看账号' });
    expect(perms.body.dataScopes).toContainEqual({ code: 'custom', label: '自定义单位' });
  });

  it('creates, edits and deletes custom roles; built-in roles are read-only; custom scopes apply', async () => {
    const builtin = await sec.patch('/api/roles/role-officer', { name: '改名' });
    expect(builtin.status).toBe(400);
    expect(builtin.body.message).toBe('内置角色不能修改');
    expect((await sec.delete('/api/roles/role-officer')).status).toBe(409);
    expect((await unitAdmin.post('/api/roles', { code: 'x_role', name: 'x', permissions: [], dataScope: 'all' })).status).toBe(403);

    const base = { code: 'hsq_reader', name: '红山区只读', permissions: ['people:read', 'org:read', 'users:read'], dataScope: 'custom' };
    const rolesBefore = (await sec.get('/api/roles')).body.total;
    const noUnits = await sec.post('/api/roles', { ...base, customUnitIds: [] });
    expect(noUnits.status).toBe(400);
    expect(noUnits.body.message).toContain('自定义单位');
    const unknownPerm = await sec.post('/api/roles', { ...base, permissions: ['people:fly'], customUnitIds: [unit('HSQ')] });
    expect(unknownPerm.status).toBe(400);
    expect(unknownPerm.body.message).toContain('权限');
    const badCode = await sec.post('/api/roles', { ...base, code: 'Bad Code', customUnitIds: [unit('HSQ')] });
    expect(badCode.status).toBe(400);
    expect(badCode.body.message).toContain('角色编码');
    const mixed = await sec.post('/api/roles', { ...base, code: 'mixed', permissions: ['audit:read', 'users:write'], dataScope: 'all' });
    expect(mixed.status).toBe(400);
    expect(mixed.body.message).toContain('三员分立');
    expect((await sec.get('/api/roles')).body.total).toBe(rolesBefore);

    const created = await sec.post('/api/roles', { ...base, customUnitIds: [unit('HSQ')] });
    expect(created.status).toBe(201);
    const roleId = created.body.id;
    changes.push({ action: 'create', entityType: 'role', entityId: roleId });
    expect((await sec.post('/api/roles', { ...base, customUnitIds: [unit('HSQ')] })).status).toBe(409);
    const listed = (await sec.get('/api/roles')).body.items.find((r: any) => r.id === roleId);
    expect(listed).toMatchObject({ code: 'hsq_reader', builtin: false, dataScope: 'custom', customUnitIds: [unit('HSQ')], userCount: 0 });

    // A unit admin may not hand out a custom role either.
    expect((await unitAdmin.post('/api/users', {
      username: 'hsq.reader', displayName: '只读', orgUnitId: unit('HSQ'), roleCodes: ['hsq_reader'],
    })).status).toBe(403);
    const holder = await createUser(sec, { username: 'hsq.reader', displayName: '只读', orgUnitId: unit('HSQ'), roleCodes: ['hsq_reader'] });
    expect(holder.status).toBe(201);
    const reader = await activate('hsq.reader', holder.body.initialPassword);
    // Custom scope: exactly the listed units, not their offices.
    const people = await reader.get('/api/people?pageSize=200');
    expect(people.status).toBe(200);
    expect(people.body.total).toBeGreaterThan(0);
    expect(people.body.items.every((p: any) => p.orgUnitId === unit('HSQ'))).toBe(true);
    const users = await reader.get('/api/users?pageSize=200');
    expect(users.body.items.every((u: any) => u.orgUnitId === unit('HSQ'))).toBe(true);
    expect(users.body.items.map((u: any) => u.username)).toContain('unitadmin');

    // Widening the scope of a role an account holds waits for another duty's approval.
    const widened = await sec.patch(`/api/roles/${roleId}`, { dataScope: 'all', description: '全市只读' });
    expect(widened.status).toBe(202);
    expect(widened.body.status).toBe('pending');
    expect((await reader.get('/api/people?pageSize=1')).body.total).toBe(people.body.total);
    expect((await sec.get('/api/roles')).body.items.find((r: any) => r.id === roleId)).toMatchObject({ dataScope: 'custom' });
    const approved = await admin.post(`/api/approvals/${widened.body.approvalId}/approve`, { note: '同意' });
    expect(approved.status).toBe(200);
    changes.push({ action: 'update', entityType: 'role', entityId: roleId });
    expect((await reader.get('/api/people?pageSize=1')).body.total).toBe(835);
    const [upd] = await auditEntries(`action=update&entityType=role&entityId=${roleId}`);
    expect(upd.before).toMatchObject({ dataScope: 'custom', customUnitIds: [unit('HSQ')] });
    expect(upd.after).toMatchObject({ dataScope: 'all', customUnitIds: [], description: '全市只读' });

    // Giving it audit:read would let a holder who also administers accounts read the audit log.
    const ua = await createUser(sec, {
      username: 'hsq.ua2', displayName: '管理员二', orgUnitId: unit('HSQ'), roleCodes: ['unit_admin', 'hsq_reader'],
    });
    expect(ua.status).toBe(201);
    const toAudit = await sec.patch(`/api/roles/${roleId}`, { permissions: ['people:read', 'audit:read'] });
    expect(toAudit.status).toBe(400);
    expect(toAudit.body.message).toContain('hsq.ua2');

    const inUse = await sec.delete(`/api/roles/${roleId}`);
    expect(inUse.status).toBe(409);
    for (const id of [holder.body.id, ua.body.id]) {
      const u = await sec.patch(`/api/users/${id}`, { roleCodes: ['officer'] });
      expect(u.status).toBe(200);
      changes.push({ action: 'update', entityType: 'user', entityId: id });
    }
    const del = await sec.delete(`/api/roles/${roleId}`);
    expect(del.status).toBe(200);
    changes.push({ action: 'delete', entityType: 'role', entityId: roleId });
    expect((await sec.get('/api/roles')).body.items.some((r: any) => r.id === roleId)).toBe(false);
    expect((await sec.delete(`/api/roles/${roleId}`)).status).toBe(404);
  });

  it('keeps privileged roles for the security admin even when an account manager sees everything', async () => {
    const mgrRole = await sec.post('/api/roles', {
      code: 'city_user_mgr', name: '全市账号管理', permissions: ['users:read', 'users:write', 'org:read', 'people:read'], dataScope: 'all',
    });
    expect(mgrRole.status).toBe(201);
    // A custom role that administers accounts is privileged: granting it needs approval too.
    const mgr = await createPrivileged({ username: 'city.mgr', displayName: '账号管理', orgUnitId: unit('CFSJ'), roleCodes: ['city_user_mgr'] });
    const c = await activate('city.mgr', mgr.body.initialPassword);
    for (const roleCodes of [['campaign_office'], ['sysadmin'], ['clue_handler']]) {
      const r = await c.post('/api/users', { username: 'promoted', displayName: 'x', orgUnitId: unit('NCX'), roleCodes });
      expect(r.status).toBe(403);
      expect(r.body.message).toContain('安全管理员');
    }
    const ok = await createUser(c, { username: 'ncx.officer', displayName: '宁城干警', orgUnitId: unit('NCX'), roleCodes: ['officer'] });
    expect(ok.status).toBe(201);
    // Nor may it take over an administrator's account with a password reset.
    const adminId = (await sec.get('/api/users?q=admin&roleCode=sysadmin')).body.items.find((u: any) => u.username === 'admin').id;
    expect((await c.post(`/api/users/${adminId}/reset-password`)).status).toBe(403);
  });

  it('keeps everyday changes immediate: officer and unit admin roles, and their passwords', async () => {
    // The security admin gives 干警 / 单位管理员 at once…
    const ua = await createUser(sec, { username: 'hsq.ua3', displayName: '单位管理员三', orgUnitId: unit('HSQ'), roleCodes: ['unit_admin'] });
    expect(ua.status).toBe(201);
    const off = await createUser(sec, { username: 'hsq.off3', displayName: '干警三', orgUnitId: unit('HSQ-01'), roleCodes: ['officer'] });
    expect(off.status).toBe(201);
    const promote = await sec.patch(`/api/users/${off.body.id}`, { roleCodes: ['officer', 'unit_admin'] });
    expect(promote.status).toBe(200);
    expect(promote.body.roles.map((r: any) => r.code)).toEqual(['officer', 'unit_admin']);
    changes.push({ action: 'update', entityType: 'user', entityId: off.body.id });
    // …and a unit admin resets an officer's password at once, the officer being told in the app.
    const reset = await unitAdmin.post(`/api/users/${off.body.id}/reset-password`);
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toContain('no-store');
    passwords.push(reset.body.password);
    changes.push({ action: 'reset_password', entityType: 'user', entityId: off.body.id });
    const officer = await activate('hsq.off3', reset.body.password);
    const notes = await officer.get('/api/notifications?pageSize=50');
    expect(notes.body.items.map((n: any) => n.title)).toContain('您的账号密码已被重置');
    // Disabling and re-enabling an everyday account needs nobody else either.
    expect((await sec.patch(`/api/users/${off.body.id}`, { status: 'disabled' })).status).toBe(200);
    expect((await sec.patch(`/api/users/${off.body.id}`, { status: 'active' })).status).toBe(200);
    // A unit admin still never reaches a privileged role, not even by asking for approval.
    const ask = await unitAdmin.patch(`/api/users/${off.body.id}`, { roleCodes: ['officer', 'campaign_office'] });
    expect(ask.status).toBe(403);
    expect((await unitAdmin.get('/api/approvals')).status).toBe(403);
  });

  it('filters the account list by unit subtree, status and role', async () => {
    const hsq = await sec.get(`/api/users?orgUnitId=${unit('HSQ')}&pageSize=200`);
    const names = hsq.body.items.map((u: any) => u.username);
    expect(names).toContain('unitadmin');
    expect(names).toContain('officer'); // 文钟司法所 is under 红山区
    expect(names).not.toContain('ncx.clerk');
    const officers = await sec.get('/api/users?roleCode=unit_admin&pageSize=200');
    expect(officers.body.items.every((u: any) => u.roles.some((r: any) => r.code === 'unit_admin'))).toBe(true);
    expect(officers.body.items.map((u: any) => u.username)).toContain('unitadmin');
    const page = await sec.get('/api/users?page=2&pageSize=3');
    expect(page.body.items).toHaveLength(3);
    expect(page.body.total).toBeGreaterThan(6);
  });

  it('records every state change above in the audit log, without passwords or hashes', async () => {
    for (const c of changes) {
      const found = await auditEntries(`action=${c.action}&entityType=${c.entityType}&entityId=${encodeURIComponent(c.entityId)}`);
      expect(found.length, JSON.stringify(c)).toBeGreaterThanOrEqual(1);
      for (const e of found) {
        expect(e.action).toBe(c.action);
        expect(e.entityType).toBe(c.entityType);
      }
    }
    const all = JSON.stringify(await auditEntries('entityType=user'));
    expect(all).not.toContain('argon2');
    for (const p of passwords) expect(all).not.toContain(p);
    const verify = await auditor.get('/api/audit-logs/verify');
    expect(verify.body.ok).toBe(true);
  });
});
