import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, PROTECTED_PERMISSIONS, isPrivilegedRole, type DataScope } from '../../src/shared/permissions.js';
import {
  createPrivilege, dutiesOf, enforce, holdersDutiesDenial, manageAccountDenial, resetPasswordDenial, resetPrivilege,
  roleAssignmentDenial, roleDefinitionDenial, roleDeleteDenial, roleEditDenial, roleEditPrivilege, scopeWidened,
  selfChangeDenial, separatedDutiesDenial, sessionRevokeDenial, updatePrivilege, type PolicyActor, type RoleFacts,
} from '../../src/server/modules/accounts/policy.js';
import {
  cancelDenial, collectDenial, deciderDenial, displayStatus, openRequestDenial, type DeciderFacts, type RequestFacts,
} from '../../src/server/modules/approvals/policy.js';
import { AppError } from '../../src/server/platform/errors.js';

// The account rules on their own: plain facts in, a decision out.

const role = (code: string): RoleFacts => {
  const r = BUILTIN_ROLES.find((x) => x.code === code)!;
  return { code: r.code, name: r.name, permissions: r.permissions };
};

function actorWith(codes: string[], userId = 'u-actor'): PolicyActor {
  const roles = codes.map((c) => BUILTIN_ROLES.find((x) => x.code === c)!);
  return {
    userId,
    permissions: new Set(roles.flatMap((r) => r.permissions)),
    roles: roles.map((r) => ({ code: r.code, dataScope: r.dataScope, customUnitIds: [] })),
  };
}

const secadmin = actorWith(['secadmin']);
const unitAdmin = actorWith(['unit_admin']);
/** A custom account manager with the 'all' scope but without roles:write. */
const cityUserManager: PolicyActor = {
  userId: 'u-mgr',
  permissions: new Set(['users:read', 'users:write', 'people:read', 'org:read']),
  roles: [{ code: 'user_manager', dataScope: 'all', customUnitIds: [] }],
};

describe('three separated duties (rule 2)', () => {
  it('allows one duty role, alone or with ordinary roles', () => {
    expect(separatedDutiesDenial([role('sysadmin')])).toBeNull();
    expect(separatedDutiesDenial([role('secadmin'), role('officer')])).toBeNull();
    expect(separatedDutiesDenial([role('auditor'), role('officer')])).toBeNull();
  });

  it.each([
    ['sysadmin', 'secadmin'],
    ['sysadmin', 'auditor'],
    ['secadmin', 'auditor'],
  ])('refuses %s together with %s, naming 角色', (a, b) => {
    const d = separatedDutiesDenial([role(a), role(b)]);
    expect(d).toMatchObject({ status: 400, field: 'roleCodes' });
    expect(d!.message).toContain('角色');
    expect(d!.message).toContain('三员分立');
    expect(d!.message).toContain(role(a).name);
    expect(d!.message).toContain(role(b).name);
  });

  it('refuses custom roles that together give audit reading and account administration', () => {
    const reader: RoleFacts = { code: 'log_reader', name: '日志查阅', permissions: ['audit:read'] };
    expect(separatedDutiesDenial([role('secadmin'), reader])).toMatchObject({ status: 400, field: 'roleCodes' });
    expect(separatedDutiesDenial([role('unit_admin'), reader])).toMatchObject({ status: 400 });
    expect(separatedDutiesDenial([role('officer'), reader])).toBeNull();
  });
});

describe('who may assign which roles (rules 1 and 4)', () => {
  it('lets the security admin (roles:write) assign any role', () => {
    for (const r of BUILTIN_ROLES) expect(roleAssignmentDenial(secadmin, [role(r.code)])).toBeNull();
  });

  it('lets a unit admin assign only officer and unit_admin', () => {
    expect(roleAssignmentDenial(unitAdmin, [role('officer')])).toBeNull();
    expect(roleAssignmentDenial(unitAdmin, [role('unit_admin'), role('officer')])).toBeNull();
    for (const code of ['sysadmin', 'secadmin', 'auditor', 'campaign_office', 'clue_handler']) {
      const d = roleAssignmentDenial(unitAdmin, [role('officer'), role(code)]);
      expect(d).toMatchObject({ status: 403, field: 'roleCodes' });
      expect(d!.message).toContain(role(code).name);
    }
  });

  it('keeps a unit admin to the two roles even for harmless custom roles', () => {
    const custom: RoleFacts = { code: 'reader', name: '只读', permissions: ['people:read'] };
    expect(roleAssignmentDenial(unitAdmin, [custom])).toMatchObject({ status: 403 });
  });

  it('keeps privileged roles for roles:write holders even when the actor sees everything', () => {
    for (const code of ['sysadmin', 'secadmin', 'auditor', 'campaign_office', 'clue_handler']) {
      const d = roleAssignmentDenial(cityUserManager, [role(code)]);
      expect(d).toMatchObject({ status: 403 });
      expect(d!.message).toContain('安全管理员');
    }
  });

  it('never lets an actor without roles:write grant a permission they lack', () => {
    const strong: RoleFacts = { code: 'strong', name: '强角色', permissions: ['people:write'] };
    const weak: RoleFacts = { code: 'weak', name: '弱角色', permissions: ['people:read'] };
    expect(roleAssignmentDenial(cityUserManager, [strong])).toMatchObject({ status: 403 });
    expect(roleAssignmentDenial(cityUserManager, [weak])).toBeNull();
    // The two everyday roles stay assignable by any account manager.
    expect(roleAssignmentDenial(cityUserManager, [role('officer'), role('unit_admin')])).toBeNull();
  });

  it('lets only those who could grant all of an account’s roles manage that account', () => {
    expect(manageAccountDenial(unitAdmin, [role('officer')])).toBeNull();
    const d = manageAccountDenial(unitAdmin, [role('officer'), role('clue_handler')]);
    expect(d).toMatchObject({ status: 403 });
    expect(d!.message).toContain('线索管理员');
    expect(manageAccountDenial(secadmin, [role('sysadmin')])).toBeNull();
  });
});

describe('no changes to oneself (rule 3)', () => {
  const me = { id: 'u-actor', roleCodes: ['secadmin'] };

  it('refuses changing one’s own roles or disabling oneself', () => {
    expect(selfChangeDenial('u-actor', me, { roleCodes: ['secadmin', 'officer'] })).toMatchObject({ status: 400, field: 'roleCodes' });
    expect(selfChangeDenial('u-actor', me, { roleCodes: ['officer'] })).toMatchObject({ status: 400 });
    expect(selfChangeDenial('u-actor', me, { status: 'disabled' })).toMatchObject({ status: 400, field: 'status' });
  });

  it('allows resending one’s unchanged roles and other edits of oneself', () => {
    expect(selfChangeDenial('u-actor', me, { roleCodes: ['secadmin'] })).toBeNull();
    expect(selfChangeDenial('u-actor', me, { status: 'active' })).toBeNull();
    expect(selfChangeDenial('u-actor', me, {})).toBeNull();
  });

  it('does not apply to other accounts', () => {
    expect(selfChangeDenial('u-actor', { id: 'u-other', roleCodes: ['officer'] }, { roleCodes: ['unit_admin'], status: 'disabled' })).toBeNull();
  });

  it('sends one’s own password and session to the self-service routes', () => {
    expect(resetPasswordDenial('u1', 'u1')).toMatchObject({ status: 400 });
    expect(resetPasswordDenial('u1', 'u2')).toBeNull();
    expect(sessionRevokeDenial('s1', 's1')).toMatchObject({ status: 400 });
    expect(sessionRevokeDenial('s1', 's2')).toBeNull();
  });
});

describe('role definitions', () => {
  const def = (permissions: string[], dataScope: DataScope = 'all', customUnitIds: string[] = []) => ({
    permissions, dataScope, customUnitIds,
  });

  it('needs units for the custom scope', () => {
    expect(roleDefinitionDenial(def(['people:read'], 'custom'))).toMatchObject({ status: 400, field: 'customUnitIds' });
    expect(roleDefinitionDenial(def(['people:read'], 'custom'))!.message).toContain('自定义单位');
    expect(roleDefinitionDenial(def(['people:read'], 'custom', ['ou-1']))).toBeNull();
  });

  it('refuses audit:read together with users:write or roles:write', () => {
    for (const admin of ['users:write', 'roles:write']) {
      const d = roleDefinitionDenial(def(['audit:read', admin]));
      expect(d).toMatchObject({ status: 400, field: 'permissions' });
      expect(d!.message).toContain('三员分立');
    }
    expect(roleDefinitionDenial(def(['audit:read', 'loginlog:read']))).toBeNull();
    expect(roleDefinitionDenial(def(['users:write', 'roles:write']))).toBeNull();
  });

  it('checks every holder of an edited role together with their other roles', () => {
    expect(holdersDutiesDenial([{ username: 'secadmin', permissions: ['users:write', 'audit:read'] }])).toMatchObject({
      status: 400,
      field: 'permissions',
    });
    expect(holdersDutiesDenial([{ username: 'x', permissions: ['audit:read'] }])).toBeNull();
    expect(holdersDutiesDenial([])).toBeNull();
  });

  it('keeps built-in roles read-only and undeletable, and in-use roles undeletable', () => {
    expect(roleEditDenial({ builtin: true })).toMatchObject({ status: 400, message: '内置角色不能修改' });
    expect(roleEditDenial({ builtin: false })).toBeNull();
    expect(roleDeleteDenial({ builtin: true }, 0)).toMatchObject({ status: 409 });
    expect(roleDeleteDenial({ builtin: false }, 2)).toMatchObject({ status: 409 });
    expect(roleDeleteDenial({ builtin: false }, 0)).toBeNull();
  });
});

describe('privileged roles and changes', () => {
  const identity: RoleFacts = { code: 'identity_reader', name: '身份查看', permissions: ['opinions:read', 'opinions:identity'] };
  const harmless: RoleFacts = { code: 'reader', name: '只读', permissions: ['people:read', 'users:read'] };

  it('calls privileged the three duties, 整顿办, 线索管理员 and any role with a protected permission', () => {
    for (const code of ['sysadmin', 'secadmin', 'auditor', 'campaign_office', 'clue_handler']) expect(isPrivilegedRole(role(code))).toBe(true);
    expect(isPrivilegedRole(role('officer'))).toBe(false);
    // 单位管理员 holds users:write, bounded by the assignment rules: an everyday role.
    expect(isPrivilegedRole(role('unit_admin'))).toBe(false);
    expect(isPrivilegedRole(harmless)).toBe(false);
    for (const p of PROTECTED_PERMISSIONS) expect(isPrivilegedRole({ code: 'c', permissions: ['people:read', p] }), p).toBe(true);
  });

  it('lists the protected permissions, approvals:decide included', () => {
    for (const p of ['users:write', 'roles:write', 'audit:read', 'loginlog:read', 'people:sensitive', 'opinions:identity', 'open311:keys', 'sessions:revoke', 'approvals:decide']) {
      expect(PROTECTED_PERMISSIONS).toContain(p);
    }
  });

  it('gives approvals:decide to the system admin and the auditor only, never beside account administration', () => {
    const holders = BUILTIN_ROLES.filter((r) => (r.permissions as string[]).includes('approvals:decide')).map((r) => r.code);
    expect(holders.sort()).toEqual(['auditor', 'sysadmin']);
    expect(separatedDutiesDenial([role('sysadmin'), role('unit_admin')])).toMatchObject({ status: 400, field: 'roleCodes' });
    expect(roleDefinitionDenial({ permissions: ['approvals:decide', 'roles:write'], dataScope: 'all', customUnitIds: [] })).toMatchObject({
      status: 400, field: 'permissions',
    });
    expect(holdersDutiesDenial([{ username: 'x', permissions: ['approvals:decide', 'users:write'] }])).toMatchObject({ status: 400 });
  });

  it('keeps privileged custom roles from account managers without roles:write', () => {
    const cityUserMgrWithWrite: PolicyActor = { ...cityUserManager, permissions: new Set([...cityUserManager.permissions, 'users:write']) };
    const manager: RoleFacts = { code: 'mgr', name: '账号管理', permissions: ['users:read', 'users:write'] };
    expect(roleAssignmentDenial(cityUserMgrWithWrite, [manager])).toMatchObject({ status: 403 });
    expect(roleAssignmentDenial(cityUserMgrWithWrite, [harmless])).toBeNull();
    expect(manageAccountDenial(cityUserMgrWithWrite, [identity])).toMatchObject({ status: 403 });
  });

  it('finds a new account privileged by any privileged role', () => {
    expect(createPrivilege([role('officer')])).toBeNull();
    expect(createPrivilege([role('unit_admin'), role('officer')])).toBeNull();
    expect(createPrivilege([role('officer'), role('campaign_office')])).toContain('整顿办');
    expect(createPrivilege([identity])).toContain('身份查看');
  });

  it('finds an edit privileged when it adds a privileged role or re-enables a privileged account', () => {
    const active = 'active';
    expect(updatePrivilege({ roles: [role('officer')], status: active }, { roles: [role('officer'), role('auditor')], status: active })).toContain('审计管理员');
    expect(updatePrivilege({ roles: [role('officer')], status: active }, { roles: [role('unit_admin')], status: active })).toBeNull();
    // Keeping or removing a privileged role, disabling: nobody gains anything.
    expect(updatePrivilege({ roles: [role('campaign_office')], status: active }, { roles: [role('campaign_office')], status: active })).toBeNull();
    expect(updatePrivilege({ roles: [role('campaign_office'), role('officer')], status: active }, { roles: [role('officer')], status: active })).toBeNull();
    expect(updatePrivilege({ roles: [role('campaign_office')], status: active }, { roles: [role('campaign_office')], status: 'disabled' })).toBeNull();
    expect(updatePrivilege({ roles: [role('campaign_office')], status: 'disabled' }, { roles: [role('campaign_office')], status: active })).toContain('启用');
    expect(updatePrivilege({ roles: [role('officer')], status: 'disabled' }, { roles: [role('officer')], status: active })).toBeNull();
  });

  it('finds a password reset privileged when the account holds a privileged role', () => {
    expect(resetPrivilege([role('officer')])).toBeNull();
    expect(resetPrivilege([role('unit_admin')])).toBeNull();
    expect(resetPrivilege([role('sysadmin')])).toContain('系统管理员');
    expect(resetPrivilege([role('officer'), identity])).toContain('身份查看');
  });

  it('knows when a data scope gets wider', () => {
    const sc = (dataScope: DataScope, customUnitIds: string[] = []) => ({ dataScope, customUnitIds });
    expect(scopeWidened(sc('unit'), sc('all'))).toBe(true);
    expect(scopeWidened(sc('self'), sc('unit'))).toBe(true);
    expect(scopeWidened(sc('unit'), sc('unit_and_below'))).toBe(true);
    expect(scopeWidened(sc('unit_and_below'), sc('unit'))).toBe(false);
    expect(scopeWidened(sc('all'), sc('custom', ['a']))).toBe(false);
    expect(scopeWidened(sc('custom', ['a', 'b']), sc('custom', ['a']))).toBe(false);
    expect(scopeWidened(sc('custom', ['a']), sc('custom', ['a', 'b']))).toBe(true);
    expect(scopeWidened(sc('custom', ['a']), sc('unit'))).toBe(true);
    expect(scopeWidened(sc('unit'), sc('custom', ['a']))).toBe(true);
    expect(scopeWidened(sc('custom', ['a']), sc('self'))).toBe(false);
  });

  it('finds a role edit privileged only when accounts hold it and it gains a protected permission or scope', () => {
    const def = (permissions: string[], dataScope: DataScope = 'unit') => ({ permissions, dataScope, customUnitIds: [] });
    expect(roleEditPrivilege(def(['people:read']), def(['people:read', 'opinions:identity']), 2)).toContain('查看实名提交人身份');
    expect(roleEditPrivilege(def(['people:read']), def(['people:read', 'opinions:identity']), 0)).toBeNull();
    expect(roleEditPrivilege(def(['people:read']), def(['people:read', 'people:write']), 2)).toBeNull();
    expect(roleEditPrivilege(def(['people:read']), def(['people:read'], 'all'), 1)).toContain('扩大数据范围');
    expect(roleEditPrivilege(def(['people:read', 'opinions:identity']), def(['people:read']), 1)).toBeNull();
  });

  it('names an account’s duties by its duty roles and by what its permissions let it do', () => {
    expect(dutiesOf(['secadmin'], role('secadmin').permissions)).toEqual(['secadmin']);
    expect(dutiesOf(['sysadmin'], role('sysadmin').permissions)).toEqual(['sysadmin']);
    expect(dutiesOf(['custom'], ['roles:write'])).toEqual(['secadmin']);
    expect(dutiesOf(['custom'], ['audit:read'])).toEqual(['auditor']);
    expect(dutiesOf(['officer'], role('officer').permissions)).toEqual([]);
  });
});

describe('who decides an approval request', () => {
  const decider = (code: string, userId = `u-${code}`, personId: string | null = null): DeciderFacts => {
    const r = BUILTIN_ROLES.find((x) => x.code === code)!;
    return { userId, personId, roleCodes: [code], permissions: new Set(r.permissions) };
  };
  const request = (over: Partial<RequestFacts> = {}): RequestFacts => ({
    kind: 'reset_password', requestedBy: 'u-secadmin', requesterDuties: ['secadmin'], targetType: 'user', targetId: 'u-target', ...over,
  });

  it('lets an administrator of another duty decide', () => {
    expect(deciderDenial(decider('sysadmin'), request())).toBeNull();
    expect(deciderDenial(decider('auditor'), request())).toBeNull();
  });

  it('refuses whoever lacks approvals:decide, the requester, and account administrators', () => {
    expect(deciderDenial(decider('secadmin', 'u-other'), request())).toMatchObject({ status: 403 });
    expect(deciderDenial(decider('campaign_office'), request())).toMatchObject({ status: 403 });
    const self = deciderDenial({ ...decider('sysadmin'), userId: 'u-secadmin' }, request());
    expect(self).toMatchObject({ status: 403 });
    expect(self!.message).toContain('本人提交');
    const admin = { ...decider('sysadmin'), permissions: new Set(['approvals:decide', 'users:write']) };
    expect(deciderDenial(admin, request())).toMatchObject({ status: 403 });
  });

  it('refuses an approver of the same duty', () => {
    const d = deciderDenial(decider('sysadmin'), request({ requesterDuties: ['secadmin', 'sysadmin'] }));
    expect(d).toMatchObject({ status: 403 });
    expect(d!.message).toContain('系统管理员');
    expect(deciderDenial(decider('auditor'), request({ requesterDuties: ['auditor'] }))).toMatchObject({ status: 403 });
  });

  it('refuses the one who would gain: the target account, the person of a new account, a holder of the role', () => {
    expect(deciderDenial(decider('sysadmin', 'u-target'), request())!.message).toContain('本人账号');
    const forMe = request({ kind: 'create_user', targetId: null, targetPersonId: 'p-1' });
    expect(deciderDenial(decider('auditor', 'u-a', 'p-1'), forMe)).toMatchObject({ status: 403 });
    expect(deciderDenial(decider('auditor', 'u-a', 'p-2'), forMe)).toBeNull();
    const role = request({ kind: 'update_role', targetType: 'role', targetId: 'r-1', targetRoleCode: 'auditor' });
    expect(deciderDenial(decider('auditor'), role)).toMatchObject({ status: 403 });
    expect(deciderDenial(decider('sysadmin'), role)).toBeNull();
  });

  it('decides only pending requests within 72 hours', () => {
    const at = '2026-11-27T00:00:00.000Z';
    const now = new Date('2026-11-29T23:59:00Z');
    expect(openRequestDenial({ status: 'pending', requested_at: at }, now)).toBeNull();
    const later = new Date('2026-11-30T00:00:00Z');
    expect(displayStatus({ status: 'pending', requested_at: at }, later)).toBe('expired');
    expect(openRequestDenial({ status: 'pending', requested_at: at }, later)).toMatchObject({ status: 409 });
    for (const status of ['approved', 'rejected', 'cancelled']) {
      expect(openRequestDenial({ status, requested_at: at }, now)).toMatchObject({ status: 409 });
    }
  });

  it('lets only the requester cancel, and collect a password once', () => {
    expect(cancelDenial('u1', { requested_by: 'u1' })).toBeNull();
    expect(cancelDenial('u2', { requested_by: 'u1' })).toMatchObject({ status: 403 });
    const approved = { requested_by: 'u1', status: 'approved', kind: 'reset_password', secret_enc: 'v1.x.y' };
    expect(collectDenial('u1', approved)).toBeNull();
    expect(collectDenial('u2', approved)).toMatchObject({ status: 404 });
    expect(collectDenial('u1', { ...approved, secret_enc: null })).toMatchObject({ status: 410 });
    expect(collectDenial('u1', { ...approved, status: 'pending', secret_enc: null })).toMatchObject({ status: 409 });
    expect(collectDenial('u1', { ...approved, kind: 'update_user', secret_enc: null })).toMatchObject({ status: 404 });
  });
});

describe('enforce', () => {
  it('passes on null and throws the denial as an AppError with its status and field', () => {
    expect(() => enforce(null)).not.toThrow();
    try {
      enforce({ status: 403, message: '不行', field: 'roleCodes' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', message: '不行', field: 'roleCodes' });
    }
    expect(() => enforce({ status: 410, message: '已领取' })).toThrow(expect.objectContaining({ statusCode: 410, code: 'GONE' }));
    expect(() => enforce({ status: 404, message: '不存在' })).toThrow(expect.objectContaining({ statusCode: 404, code: 'NOT_FOUND' }));
  });
});
