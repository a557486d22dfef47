import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, assertUnitWritable, unitWritable } from '../../platform/access.js';
import { generatePassword, hashPassword } from '../../platform/auth.js';
import { newId } from '../../platform/ids.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import type { RoleInput, RolePatch, UserInput, UserPatch } from '../../../shared/schemas/accounts.js';
import type { DataScope } from '../../../shared/permissions.js';
import { getUser, USER_NOT_FOUND, USER_SCOPE } from './queries.js';
import {
  enforce, holdersDutiesDenial, manageAccountDenial, resetPasswordDenial, roleAssignmentDenial, roleDefinitionDenial,
  roleDeleteDenial, roleEditDenial, selfChangeDenial, separatedDutiesDenial, sessionRevokeDenial, type RoleFacts,
} from './policy.js';

type RoleRow = RoleFacts & { id: string };

const unique = <T>(xs: readonly T[]) => [...new Set(xs)];

/** A concurrent insert may still win the race the explicit check lost; answer it the same way. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

async function loadRolesByCode(trx: Trx, codes: readonly string[]): Promise<RoleRow[]> {
  const wanted = unique(codes);
  const rows = await trx.selectFrom('role').select(['id', 'code', 'name', 'permissions']).where('code', 'in', wanted).execute();
  const missing = wanted.find((c) => !rows.some((r) => r.code === c));
  if (missing) throw badRequest(`角色：不存在“${missing}”`, 'roleCodes');
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, permissions: JSON.parse(r.permissions) as string[] }));
}

async function rolesOfUser(trx: Trx, userId: string): Promise<RoleRow[]> {
  const rows = await trx
    .selectFrom('user_role')
    .innerJoin('role', 'role.id', 'user_role.role_id')
    .select(['role.id', 'role.code', 'role.name', 'role.permissions'])
    .where('user_role.user_id', '=', userId)
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, permissions: JSON.parse(r.permissions) as string[] }));
}

async function assertUnitExists(trx: Trx, unitId: string) {
  const unit = await trx.selectFrom('org_unit').select('id').where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw badRequest('所在单位：不存在', 'orgUnitId');
}

/** An account the actor may change: visible to them and in a unit they may write; 404 otherwise. */
async function writableUser(trx: Trx, actor: Actor, id: string) {
  const row = await applyScope(trx.selectFrom('app_user').selectAll('app_user'), actor, USER_SCOPE)
    .where('app_user.id', '=', id)
    .executeTakeFirst();
  if (!row || !(await unitWritable(trx, actor, row.org_unit_id))) throw notFound(USER_NOT_FOUND);
  return { row, roles: await rolesOfUser(trx, id) };
}

/** What the audit log keeps of an account: never the password hash. */
function auditView(
  u: { username: string; display_name: string; org_unit_id: string; person_id: string | null; status: string; must_change_password: number },
  roles: readonly RoleFacts[],
) {
  return {
    username: u.username,
    displayName: u.display_name,
    orgUnitId: u.org_unit_id,
    personId: u.person_id,
    status: u.status,
    mustChangePassword: Number(u.must_change_password) === 1,
    roleCodes: roles.map((r) => r.code).sort(),
  };
}

async function revokeSessionsOf(trx: Trx, userId: string, now: string, reason: string): Promise<number> {
  const res = await trx
    .updateTable('app_session')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

// ---------------------------------------------------------------- accounts

export async function createUser(ctx: Ctx, input: UserInput) {
  const actor = requirePermission(ctx, 'users:write');
  // Hashing is slow on purpose: do it before the transaction so no lock is held meanwhile.
  const initialPassword = generatePassword();
  const hash = await hashPassword(initialPassword);
  try {
    return await runCommand(ctx, { action: 'create', entityType: 'user' }, async (trx) => {
      const roles = await loadRolesByCode(trx, input.roleCodes);
      enforce(roleAssignmentDenial(actor, roles));
      enforce(separatedDutiesDenial(roles));
      await assertUnitExists(trx, input.orgUnitId);
      await assertUnitWritable(trx, actor, input.orgUnitId, '所选单位');
      if (input.personId) {
        const person = await applyScope(trx.selectFrom('person').select(['person.id', 'person.org_unit_id']), actor, {
          unit: 'person.org_unit_id',
          person: 'person.id',
        })
          .where('person.id', '=', input.personId)
          .executeTakeFirst();
        if (!person) throw badRequest('关联干警：不存在或不在您的数据范围内', 'personId');
        // The people module moves an account along with its person; they start out together too.
        if (person.org_unit_id !== input.orgUnitId) throw badRequest('所在单位：须与关联干警的所在单位一致', 'orgUnitId');
        const taken = await trx.selectFrom('app_user').select('id').where('person_id', '=', input.personId).executeTakeFirst();
        if (taken) throw conflict('关联干警：已开通账号', 'personId');
      }
      // Case-insensitive: "Admin" beside "admin" would only confuse (or deceive) people.
      const dup = await trx
        .selectFrom('app_user')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase()))
        .executeTakeFirst();
      if (dup) throw conflict('用户名：已被使用', 'username');
      const now = ctx.now().toISOString();
      const row = {
        id: newId(),
        username: input.username,
        display_name: input.displayName,
        person_id: input.personId ?? null,
        org_unit_id: input.orgUnitId,
        password_hash: hash,
        must_change_password: 1,
        status: 'active' as const,
        password_changed_at: now,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('app_user').values(row).execute();
      await trx.insertInto('user_role').values(roles.map((r) => ({ user_id: row.id, role_id: r.id }))).execute();
      return {
        result: { id: row.id, username: row.username, initialPassword },
        entityId: row.id,
        after: auditView(row, roles),
      };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('用户名：已被使用', 'username');
    throw err;
  }
}

export async function updateUser(ctx: Ctx, id: string, patch: UserPatch) {
  const actor = requirePermission(ctx, 'users:write');
  await runCommand(ctx, { action: 'update', entityType: 'user' }, async (trx) => {
    const { row: before, roles: beforeRoles } = await writableUser(trx, actor, id);
    enforce(manageAccountDenial(actor, beforeRoles));
    enforce(selfChangeDenial(actor.userId, { id, roleCodes: beforeRoles.map((r) => r.code) }, patch));
    let roles = beforeRoles;
    if (patch.roleCodes) {
      roles = await loadRolesByCode(trx, patch.roleCodes);
      enforce(roleAssignmentDenial(actor, roles));
      enforce(separatedDutiesDenial(roles));
    }
    if (patch.orgUnitId !== undefined && patch.orgUnitId !== before.org_unit_id) {
      await assertUnitExists(trx, patch.orgUnitId);
      await assertUnitWritable(trx, actor, patch.orgUnitId, '目标单位');
      if (before.person_id) {
        const person = await trx.selectFrom('person').select('org_unit_id').where('id', '=', before.person_id).executeTakeFirst();
        if (person && person.org_unit_id !== patch.orgUnitId) {
          throw badRequest('所在单位：关联了干警的账号随干警调动，请在干警信息中修改所在单位', 'orgUnitId');
        }
      }
    }
    const now = ctx.now().toISOString();
    const set = {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.orgUnitId !== undefined ? { org_unit_id: patch.orgUnitId } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      updated_at: now,
    };
    await trx.updateTable('app_user').set(set).where('id', '=', id).execute();
    if (patch.roleCodes) {
      await trx.deleteFrom('user_role').where('user_id', '=', id).execute();
      await trx.insertInto('user_role').values(roles.map((r) => ({ user_id: id, role_id: r.id }))).execute();
    }
    // A disabled account is out at once, not at its sessions' idle timeout.
    let sessionsRevoked = 0;
    if (patch.status === 'disabled' && before.status !== 'disabled') sessionsRevoked = await revokeSessionsOf(trx, id, now, 'disabled');
    return {
      result: undefined,
      entityId: id,
      before: auditView(before, beforeRoles),
      after: { ...auditView({ ...before, ...set }, roles), ...(sessionsRevoked ? { sessionsRevoked } : {}) },
    };
  });
  return getUser(ctx, null, id);
}

export async function resetPassword(ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'users:write');
  enforce(resetPasswordDenial(actor.userId, id));
  const password = generatePassword();
  const hash = await hashPassword(password);
  return runCommand(ctx, { action: 'reset_password', entityType: 'user' }, async (trx) => {
    const { row, roles } = await writableUser(trx, actor, id);
    enforce(manageAccountDenial(actor, roles));
    const now = ctx.now().toISOString();
    // password_changed_at also ends a login lockout (see recentFailures): the administrator has
    // established who is asking.
    await trx
      .updateTable('app_user')
      .set({ password_hash: hash, must_change_password: 1, password_changed_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
    const sessionsRevoked = await revokeSessionsOf(trx, id, now, 'password_reset');
    return {
      result: { password },
      entityId: id,
      before: { username: row.username, mustChangePassword: Number(row.must_change_password) === 1 },
      after: { username: row.username, mustChangePassword: true, sessionsRevoked },
    };
  });
}

// ---------------------------------------------------------------- roles

interface RoleDefinition {
  permissions: string[];
  dataScope: DataScope;
  customUnitIds: string[];
}

async function assertUnitsExist(trx: Trx, ids: string[]) {
  if (!ids.length) return;
  const found = await trx.selectFrom('org_unit').select('id').where('id', 'in', ids).execute();
  if (found.length !== ids.length) throw badRequest('自定义单位：包含不存在的单位', 'customUnitIds');
}

function normalised(def: RoleDefinition): RoleDefinition {
  return {
    permissions: unique(def.permissions),
    dataScope: def.dataScope,
    // Units only mean something for the custom scope; keeping them otherwise would mislead.
    customUnitIds: def.dataScope === 'custom' ? unique(def.customUnitIds) : [],
  };
}

async function setRoleUnits(trx: Trx, roleId: string, unitIds: string[]) {
  await trx.deleteFrom('role_unit').where('role_id', '=', roleId).execute();
  if (unitIds.length) await trx.insertInto('role_unit').values(unitIds.map((u) => ({ role_id: roleId, org_unit_id: u }))).execute();
}

export async function createRole(ctx: Ctx, input: RoleInput) {
  requirePermission(ctx, 'roles:write');
  const def = normalised(input);
  enforce(roleDefinitionDenial(def));
  try {
    return await runCommand(ctx, { action: 'create', entityType: 'role' }, async (trx) => {
      const dup = await trx.selectFrom('role').select('id').where('code', '=', input.code).executeTakeFirst();
      if (dup) throw conflict('角色编码：已被使用', 'code');
      await assertUnitsExist(trx, def.customUnitIds);
      const now = ctx.now().toISOString();
      const id = newId();
      await trx
        .insertInto('role')
        .values({
          id, code: input.code, name: input.name, description: input.description || null, builtin: 0,
          permissions: JSON.stringify(def.permissions), data_scope: def.dataScope, created_at: now, updated_at: now,
        })
        .execute();
      await setRoleUnits(trx, id, def.customUnitIds);
      return {
        result: { id },
        entityId: id,
        after: { code: input.code, name: input.name, description: input.description || null, ...def },
      };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('角色编码：已被使用', 'code');
    throw err;
  }
}

async function roleOf(trx: Trx, id: string) {
  const role = await trx.selectFrom('role').selectAll().where('id', '=', id).executeTakeFirst();
  if (!role) throw notFound('角色不存在');
  const units = await trx.selectFrom('role_unit').select('org_unit_id').where('role_id', '=', id).execute();
  return { role, customUnitIds: units.map((u) => u.org_unit_id) };
}

export async function updateRole(ctx: Ctx, id: string, patch: RolePatch) {
  requirePermission(ctx, 'roles:write');
  return runCommand(ctx, { action: 'update', entityType: 'role' }, async (trx) => {
    const { role, customUnitIds } = await roleOf(trx, id);
    enforce(roleEditDenial({ builtin: Number(role.builtin) === 1 }));
    const beforeDef: RoleDefinition = {
      permissions: JSON.parse(role.permissions) as string[],
      dataScope: role.data_scope,
      customUnitIds,
    };
    const def = normalised({
      permissions: patch.permissions ?? beforeDef.permissions,
      dataScope: patch.dataScope ?? beforeDef.dataScope,
      customUnitIds: patch.customUnitIds ?? beforeDef.customUnitIds,
    });
    enforce(roleDefinitionDenial(def));
    await assertUnitsExist(trx, def.customUnitIds);
    if (patch.permissions) {
      // Every holder's permissions after the change: their other roles plus this role's new set.
      const holders = await trx
        .selectFrom('user_role')
        .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
        .select(['app_user.id', 'app_user.username'])
        .where('user_role.role_id', '=', id)
        .execute();
      const others = holders.length
        ? await trx
            .selectFrom('user_role')
            .innerJoin('role', 'role.id', 'user_role.role_id')
            .select(['user_role.user_id', 'role.permissions'])
            .where('user_role.user_id', 'in', holders.map((h) => h.id))
            .where('user_role.role_id', '!=', id)
            .execute()
        : [];
      enforce(
        holdersDutiesDenial(
          holders.map((h) => ({
            username: h.username,
            permissions: [
              ...def.permissions,
              ...others.filter((o) => o.user_id === h.id).flatMap((o) => JSON.parse(o.permissions) as string[]),
            ],
          })),
        ),
      );
    }
    const name = patch.name ?? role.name;
    const description = patch.description !== undefined ? patch.description || null : role.description;
    await trx
      .updateTable('role')
      .set({
        name, description, permissions: JSON.stringify(def.permissions), data_scope: def.dataScope,
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    await setRoleUnits(trx, id, def.customUnitIds);
    return {
      result: { id },
      entityId: id,
      before: { code: role.code, name: role.name, description: role.description, ...beforeDef },
      after: { code: role.code, name, description, ...def },
    };
  });
}

export async function deleteRole(ctx: Ctx, id: string) {
  requirePermission(ctx, 'roles:write');
  return runCommand(ctx, { action: 'delete', entityType: 'role' }, async (trx) => {
    const { role, customUnitIds } = await roleOf(trx, id);
    const { n } = await trx
      .selectFrom('user_role')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role_id', '=', id)
      .executeTakeFirstOrThrow();
    enforce(roleDeleteDenial({ builtin: Number(role.builtin) === 1 }, Number(n)));
    await trx.deleteFrom('role_unit').where('role_id', '=', id).execute();
    await trx.deleteFrom('role').where('id', '=', id).execute();
    return {
      result: { id },
      entityId: id,
      before: {
        code: role.code, name: role.name, description: role.description, permissions: JSON.parse(role.permissions),
        dataScope: role.data_scope, customUnitIds,
      },
    };
  });
}

// ---------------------------------------------------------------- sessions

/** Forced logout: the session's next request answers 401. */
export async function revokeSession(ctx: Ctx, sessionId: string) {
  const actor = requirePermission(ctx, 'sessions:revoke');
  enforce(sessionRevokeDenial(actor.sessionId, sessionId));
  return runCommand(ctx, { action: 'force_logout', entityType: 'session' }, async (trx) => {
    const s = await applyScope(
      trx
        .selectFrom('app_session')
        .innerJoin('app_user', 'app_user.id', 'app_session.user_id')
        .select(['app_session.id', 'app_session.user_id', 'app_user.username', 'app_session.ip']),
      actor,
      USER_SCOPE,
    )
      .where('app_session.id', '=', sessionId)
      .where('app_session.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!s) throw notFound('会话不存在或已下线');
    await trx
      .updateTable('app_session')
      .set({ revoked_at: ctx.now().toISOString(), revoked_reason: 'forced' })
      .where('id', '=', sessionId)
      .execute();
    // Session entries are keyed by the first 16 characters of the id, as login and logout are.
    return {
      result: { id: sessionId },
      entityId: sessionId.slice(0, 16),
      after: { userId: s.user_id, username: s.username, ip: s.ip, reason: 'forced' },
    };
  });
}
