import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, type DataScope } from '../../src/shared/permissions.js';
import {
  enforce, holdersDutiesDenial, manageAccountDenial, resetPasswordDenial, roleAssignmentDenial, roleDefinitionDenial,
  roleDeleteDenial, roleEditDenial, selfChangeDenial, separatedDutiesDenial, sessionRevokeDenial, type PolicyActor,
  type RoleFacts,
} from '../../src/server/modules/accounts/policy.js';
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
  });
});
