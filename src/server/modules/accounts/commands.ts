import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand, SYSTEM_ACTOR_NAME } from '../../platform/context.js';
import { applyScope, assertUnitWritable, unitWritable } from '../../platform/access.js';
import { appendAudit } from '../../platform/audit.js';
import { generatePassword, hashPassword } from '../../platform/auth.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { parseInput } from '../../platform/validation.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { RolePatch, UserInput, UserPatch, type RoleInput } from '../../../shared/schemas/accounts.js';
import { DATA_SCOPES, PERMISSIONS, isPrivilegedRole, type DataScope } from '../../../shared/permissions.js';
import type { ApprovalKind, PendingApproval } from '../../../shared/schemas/approvals.js';
import { ApprovalNeeded, submitApproval } from '../approvals/commands.js';
import { pendingUsernameTaken } from '../approvals/queries.js';
import { getUser, USER_NOT_FOUND, USER_SCOPE, type UserView } from './queries.js';
import {
  createPrivilege, enforce, holdersDutiesDenial, manageAccountDenial, resetPasswordDenial, resetPrivilege, roleAssignmentDenial,
  roleDefinitionDenial, roleDeleteDenial, roleEditDenial, roleEditPrivilege, selfChangeDenial, separatedDutiesDenial,
  sessionRevokeDenial, updatePrivilege, type RoleFacts,
} from './policy.js';

type RoleRow = RoleFacts & { id: string; dataScope: DataScope; customUnitIds: string[] };

const unique = <T>(xs: readonly T[]) => [...new Set(xs)];

/** A concurrent insert may still win the race the explicit check lost; answer it the same way. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

async function withUnits(
  trx: Trx,
  rows: { id: string; code: string; name: string; permissions: string; data_scope: DataScope }[],
): Promise<RoleRow[]> {
  const custom = rows.filter((r) => r.data_scope === 'custom').map((r) => r.id);
  const units = custom.length
    ? await trx.selectFrom('role_unit').select(['role_id', 'org_unit_id']).where('role_id', 'in', custom).execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    permissions: JSON.parse(r.permissions) as string[],
    dataScope: r.data_scope,
    customUnitIds: units.filter((u) => u.role_id === r.id).map((u) => u.org_unit_id).sort(),
  }));
}

async function loadRolesByCode(trx: Trx, codes: readonly string[]): Promise<RoleRow[]> {
  const wanted = unique(codes);
  const rows = await trx
    .selectFrom('role')
    .select(['id', 'code', 'name', 'permissions', 'data_scope'])
    .where('code', 'in', wanted)
    .execute();
  const missing = wanted.find((c) => !rows.some((r) => r.code === c));
  if (missing) throw badRequest(`角色：不存在“${missing}”`, 'roleCodes');
  return withUnits(trx, rows);
}

async function rolesOfUser(trx: Trx, userId: string): Promise<RoleRow[]> {
  const rows = await trx
    .selectFrom('user_role')
    .innerJoin('role', 'role.id', 'user_role.role_id')
    .select(['role.id', 'role.code', 'role.name', 'role.permissions', 'role.data_scope'])
    .where('user_role.user_id', '=', userId)
    .execute();
  return withUnits(trx, rows);
}

async function unitName(trx: Trx, unitId: string): Promise<string> {
  const unit = await trx.selectFrom('org_unit').select('name').where('id', '=', unitId).executeTakeFirst();
  if (!unit) throw badRequest('所在单位：不存在', 'orgUnitId');
  return unit.name;
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

// ---------------------------------------------------------------- approval facts

// A privileged change is approved against the facts it was requested on. When any of them has
// changed by the time of approval (another role, another status, a role's permissions), the
// approver's decision no longer covers what would happen, and the request lapses.

function roleBasis(roles: readonly RoleRow[]) {
  return [...roles]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((r) => ({
      code: r.code, name: r.name, permissions: [...r.permissions].sort(), dataScope: r.dataScope, customUnitIds: [...r.customUnitIds].sort(),
    }));
}

function accountBasis(
  u: { username: string; display_name: string; org_unit_id: string; person_id: string | null; status: string },
  roles: readonly RoleFacts[],
) {
  return {
    username: u.username, displayName: u.display_name, orgUnitId: u.org_unit_id, personId: u.person_id, status: u.status,
    roleCodes: roles.map((r) => r.code).sort(),
  };
}

function assertBasis(stored: unknown, current: unknown) {
  if (JSON.stringify(stored) !== JSON.stringify(current)) {
    throw conflict('申请提交后，目标账号或所涉角色已被修改，原审批依据已不成立');
  }
}

const roleNames = (roles: readonly RoleFacts[]) => roles.map((r) => `“${r.name}”`).join('、');
const who = (u: { username: string; display_name: string }) => `“${u.username}”（${u.display_name}）`;

/** Who the audit log names as acting: as runCommand does. */
async function auditChange(
  trx: Trx,
  ctx: Ctx,
  e: { action: string; entityType: string; entityId: string; before?: unknown; after?: unknown },
) {
  await appendAudit(trx, ctx.dialect, ctx.now().toISOString(), {
    actorId: ctx.actor?.userId ?? null,
    actorName: ctx.actor ? `${ctx.actor.displayName}(${ctx.actor.username})` : SYSTEM_ACTOR_NAME,
    ip: ctx.ip,
    ...e,
  });
}

/** Runs a command that may turn out privileged: then nothing of it is written, a request is. */
async function orApproval<T>(ctx: Ctx, run: () => Promise<T>): Promise<T | PendingApproval> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApprovalNeeded) return submitApproval(ctx, err.draft);
    throw err;
  }
}

// ---------------------------------------------------------------- accounts

interface CreatePlan {
  roles: RoleRow[];
  unitName: string;
}

/** Every rule a new account must pass, for the actor asking (or, at approval, the requester). */
async function planCreateUser(trx: Trx, actor: Actor, input: UserInput, now: Date, approvalId?: string): Promise<CreatePlan> {
  const roles = await loadRolesByCode(trx, input.roleCodes);
  enforce(roleAssignmentDenial(actor, roles));
  enforce(separatedDutiesDenial(roles));
  const name = await unitName(trx, input.orgUnitId);
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
  if (await pendingUsernameTaken(trx, input.username, now, approvalId)) {
    throw conflict('用户名：已有使用该用户名的新建申请在等待审批', 'username');
  }
  return { roles, unitName: name };
}

async function insertUser(trx: Trx, now: string, input: UserInput, roles: readonly RoleRow[], hash: string) {
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
  try {
    await trx.insertInto('app_user').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('用户名：已被使用', 'username');
    throw err;
  }
  await trx.insertInto('user_role').values(roles.map((r) => ({ user_id: row.id, role_id: r.id }))).execute();
  return row;
}

export type CreatedUser = { id: string; username: string; initialPassword: string };

/** A new account with a one-time password; with a privileged role, a request for approval instead. */
export async function createUser(ctx: Ctx, input: UserInput): Promise<CreatedUser | PendingApproval> {
  const actor = requirePermission(ctx, 'users:write');
  // Hashing is slow on purpose: do it before the transaction so no lock is held meanwhile.
  const initialPassword = generatePassword();
  const hash = await hashPassword(initialPassword);
  try {
    return await orApproval(ctx, () =>
      runCommand(ctx, { action: 'create', entityType: 'user' }, async (trx) => {
        const plan = await planCreateUser(trx, actor, input, ctx.now());
        const reason = createPrivilege(plan.roles);
        if (reason) {
          throw new ApprovalNeeded({
            kind: 'create_user',
            targetType: 'user',
            targetId: null,
            summary: `新建账号“${input.username}”（${input.displayName}），授予${roleNames(plan.roles.filter(isPrivilegedRole))}`,
            reason,
            details: [
              `用户名：${input.username}`,
              `姓名：${input.displayName}`,
              `所在单位：${plan.unitName}`,
              `角色：${roleNames(plan.roles)}`,
            ],
            change: input,
            basis: { roles: roleBasis(plan.roles) },
          });
        }
        const row = await insertUser(trx, ctx.now().toISOString(), input, plan.roles, hash);
        return {
          result: { id: row.id, username: row.username, initialPassword },
          entityId: row.id,
          after: auditView(row, plan.roles),
        };
      }),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('用户名：已被使用', 'username');
    throw err;
  }
}

interface UpdatePlan {
  before: Awaited<ReturnType<typeof writableUser>>['row'];
  beforeRoles: RoleRow[];
  roles: RoleRow[];
}

async function planUpdateUser(trx: Trx, actor: Actor, id: string, patch: UserPatch): Promise<UpdatePlan> {
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
    await unitName(trx, patch.orgUnitId);
    await assertUnitWritable(trx, actor, patch.orgUnitId, '目标单位');
    if (before.person_id) {
      const person = await trx.selectFrom('person').select('org_unit_id').where('id', '=', before.person_id).executeTakeFirst();
      if (person && person.org_unit_id !== patch.orgUnitId) {
        throw badRequest('所在单位：关联了干警的账号随干警调动，请在干警信息中修改所在单位', 'orgUnitId');
      }
    }
  }
  return { before, beforeRoles, roles };
}

async function applyUpdateUser(trx: Trx, now: string, id: string, patch: UserPatch, plan: UpdatePlan) {
  const { before, beforeRoles, roles } = plan;
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
    before: auditView(before, beforeRoles),
    after: { ...auditView({ ...before, ...set }, roles), ...(sessionsRevoked ? { sessionsRevoked } : {}) },
  };
}

/** Edits an account; adding a privileged role or re-enabling a privileged account asks for approval. */
export async function updateUser(ctx: Ctx, id: string, patch: UserPatch): Promise<UserView | PendingApproval> {
  const actor = requirePermission(ctx, 'users:write');
  const out = await orApproval(ctx, () =>
    runCommand(ctx, { action: 'update', entityType: 'user' }, async (trx) => {
      const plan = await planUpdateUser(trx, actor, id, patch);
      const after = { roles: plan.roles, status: patch.status ?? plan.before.status };
      const reason = updatePrivilege({ roles: plan.beforeRoles, status: plan.before.status }, after);
      if (reason) {
        const details = [`账号：${who(plan.before)}`, `现有角色：${roleNames(plan.beforeRoles) || '（无）'}`];
        if (patch.roleCodes) details.push(`修改后角色：${roleNames(plan.roles)}`);
        if (patch.status) details.push(`状态：${plan.before.status === 'active' ? '启用' : '停用'} → ${patch.status === 'active' ? '启用' : '停用'}`);
        if (patch.displayName !== undefined && patch.displayName !== plan.before.display_name) details.push(`姓名改为：${patch.displayName}`);
        if (patch.orgUnitId !== undefined && patch.orgUnitId !== plan.before.org_unit_id) {
          details.push(`所在单位改为：${await unitName(trx, patch.orgUnitId)}`);
        }
        throw new ApprovalNeeded({
          kind: 'update_user',
          targetType: 'user',
          targetId: id,
          summary: `账号${who(plan.before)}：${reason}`,
          reason,
          details,
          change: patch,
          basis: { account: accountBasis(plan.before, plan.beforeRoles), roles: roleBasis(plan.roles) },
        });
      }
      const audit = await applyUpdateUser(trx, ctx.now().toISOString(), id, patch, plan);
      return { result: undefined, entityId: id, ...audit };
    }),
  );
  return out ?? getUser(ctx, null, id);
}

async function applyReset(trx: Trx, now: string, id: string, hash: string) {
  // password_changed_at also ends a login lockout (see recentFailures): the administrator has
  // established who is asking.
  await trx
    .updateTable('app_user')
    .set({ password_hash: hash, must_change_password: 1, password_changed_at: now, updated_at: now })
    .where('id', '=', id)
    .execute();
  return revokeSessionsOf(trx, id, now, 'password_reset');
}

const RESET_NOTICE = {
  title: '您的账号密码已被重置',
  body: '原密码已失效，全部登录已下线。新的一次性密码由管理员当面或通过安全渠道交给您，登录后须立即修改。如非您本人申请，请立即联系审计管理员。',
};

/** A one-time password for another account; for an account holding a privileged role, a request for approval. */
export async function resetPassword(ctx: Ctx, id: string): Promise<{ password: string } | PendingApproval> {
  const actor = requirePermission(ctx, 'users:write');
  enforce(resetPasswordDenial(actor.userId, id));
  const password = generatePassword();
  const hash = await hashPassword(password);
  return orApproval(ctx, () =>
    runCommand(ctx, { action: 'reset_password', entityType: 'user' }, async (trx) => {
      const { row, roles } = await writableUser(trx, actor, id);
      enforce(manageAccountDenial(actor, roles));
      const reason = resetPrivilege(roles);
      if (reason) {
        throw new ApprovalNeeded({
          kind: 'reset_password',
          targetType: 'user',
          targetId: id,
          summary: `重置账号${who(row)}的密码`,
          reason,
          details: [`账号：${who(row)}`, `角色：${roleNames(roles)}`, '批准后生成一次性密码，由申请人领取一次并交给本人；该账号全部会话下线'],
          change: {},
          basis: { account: accountBasis(row, roles) },
        });
      }
      const now = ctx.now().toISOString();
      const sessionsRevoked = await applyReset(trx, now, id, hash);
      await notify(trx, now, [id], RESET_NOTICE);
      return {
        result: { password },
        entityId: id,
        before: { username: row.username, mustChangePassword: Number(row.must_change_password) === 1 },
        after: { username: row.username, mustChangePassword: true, sessionsRevoked },
      };
    }),
  );
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

interface RolePlan {
  role: Awaited<ReturnType<typeof roleOf>>['role'];
  beforeDef: RoleDefinition;
  def: RoleDefinition;
  name: string;
  description: string | null;
  holders: { id: string; username: string }[];
}

async function planUpdateRole(trx: Trx, id: string, patch: RolePatch): Promise<RolePlan> {
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
  const holders = await trx
    .selectFrom('user_role')
    .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
    .select(['app_user.id', 'app_user.username'])
    .where('user_role.role_id', '=', id)
    .orderBy('app_user.id')
    .execute();
  if (patch.permissions && holders.length) {
    // Every holder's permissions after the change: their other roles plus this role's new set.
    const others = await trx
      .selectFrom('user_role')
      .innerJoin('role', 'role.id', 'user_role.role_id')
      .select(['user_role.user_id', 'role.permissions'])
      .where('user_role.user_id', 'in', holders.map((h) => h.id))
      .where('user_role.role_id', '!=', id)
      .execute();
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
  return { role, beforeDef, def, name, description, holders };
}

async function applyUpdateRole(trx: Trx, now: string, id: string, plan: RolePlan) {
  const { role, beforeDef, def, name, description } = plan;
  await trx
    .updateTable('role')
    .set({ name, description, permissions: JSON.stringify(def.permissions), data_scope: def.dataScope, updated_at: now })
    .where('id', '=', id)
    .execute();
  await setRoleUnits(trx, id, def.customUnitIds);
  return {
    before: { code: role.code, name: role.name, description: role.description, ...beforeDef },
    after: { code: role.code, name, description, ...def },
  };
}

function roleEditBasis(plan: RolePlan) {
  const { role, beforeDef } = plan;
  return {
    role: {
      code: role.code, name: role.name, permissions: [...beforeDef.permissions].sort(), dataScope: beforeDef.dataScope,
      customUnitIds: [...beforeDef.customUnitIds].sort(),
    },
    holders: plan.holders.map((h) => h.id),
  };
}

/** Edits a custom role; giving its holders a protected permission or a wider scope asks for approval. */
export async function updateRole(ctx: Ctx, id: string, patch: RolePatch): Promise<{ id: string } | PendingApproval> {
  requirePermission(ctx, 'roles:write');
  return orApproval(ctx, () =>
    runCommand(ctx, { action: 'update', entityType: 'role' }, async (trx) => {
      const plan = await planUpdateRole(trx, id, patch);
      const reason = roleEditPrivilege(plan.beforeDef, plan.def, plan.holders.length);
      if (reason) {
        throw new ApprovalNeeded({
          kind: 'update_role',
          targetType: 'role',
          targetId: id,
          summary: `角色“${plan.role.name}”：${reason}`,
          reason,
          details: [
            `角色：${plan.role.name}（${plan.role.code}）`,
            `持有该角色的账号：${plan.holders.map((h) => h.username).join('、')}`,
            `修改后权限：${plan.def.permissions.map((p) => PERMISSIONS[p as keyof typeof PERMISSIONS] ?? p).join('、') || '（无）'}`,
            `数据范围：${DATA_SCOPES[plan.beforeDef.dataScope]} → ${DATA_SCOPES[plan.def.dataScope]}`,
          ],
          change: patch,
          basis: roleEditBasis(plan),
        });
      }
      const audit = await applyUpdateRole(trx, ctx.now().toISOString(), id, plan);
      return { result: { id }, entityId: id, ...audit };
    }),
  );
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

// ---------------------------------------------------------------- approved privileged changes

export interface ApprovedChange {
  id: string;
  kind: ApprovalKind;
  targetId: string | null;
  change: unknown;
  basis: unknown;
}

/**
 * Carries out an approved request inside the approval's transaction: every rule is checked again
 * with the requester's authority as it is now, the facts must be those the request was made on, and
 * the change is audited (by the approving session, naming the request). Any AppError thrown here
 * means the request no longer holds; the caller marks it lapsed.
 */
export async function executeApprovedChange(
  trx: Trx,
  ctx: Ctx,
  requester: Actor,
  req: ApprovedChange,
  passwordHash: string | null,
): Promise<Record<string, unknown>> {
  const now = ctx.now().toISOString();
  const approval = { approvalId: req.id, requestedBy: `${requester.displayName}(${requester.username})` };
  const basis = req.basis as Record<string, unknown>;
  if (req.kind === 'update_role') {
    if (!requester.permissions.has('roles:write')) throw forbidden('申请人已不再具有维护角色的权限');
    const patch = parseInput(RolePatch, req.change);
    const plan = await planUpdateRole(trx, req.targetId!, patch);
    assertBasis(basis, roleEditBasis(plan));
    const audit = await applyUpdateRole(trx, now, req.targetId!, plan);
    await auditChange(trx, ctx, { action: 'update', entityType: 'role', entityId: req.targetId!, before: audit.before, after: { ...audit.after, approval } });
    const reason = roleEditPrivilege(plan.beforeDef, plan.def, plan.holders.length);
    await notify(trx, now, plan.holders.map((h) => h.id), {
      title: `您持有的角色“${plan.name}”权限已变更`,
      body: `${reason ?? '角色权限已修改'}。该变更经审批后生效。`,
    });
    return { roleId: req.targetId, roleName: plan.name };
  }
  if (!requester.permissions.has('users:write')) throw forbidden('申请人已不再具有维护账号的权限');
  if (req.kind === 'create_user') {
    const input = parseInput(UserInput, req.change);
    const plan = await planCreateUser(trx, requester, input, ctx.now(), req.id);
    assertBasis(basis, { roles: roleBasis(plan.roles) });
    if (!passwordHash) throw new Error('approved create_user needs a password hash');
    const row = await insertUser(trx, now, input, plan.roles, passwordHash);
    await auditChange(trx, ctx, { action: 'create', entityType: 'user', entityId: row.id, after: { ...auditView(row, plan.roles), approval } });
    await notify(trx, now, [row.id], {
      title: '您的账号已开通',
      body: `角色：${roleNames(plan.roles)}。其中${roleNames(plan.roles.filter(isPrivilegedRole))}为特权角色，经审批后授予。初始密码须在首次登录时修改。`,
    });
    return { userId: row.id, username: row.username };
  }
  if (req.kind === 'update_user') {
    const patch = parseInput(UserPatch, req.change);
    const plan = await planUpdateUser(trx, requester, req.targetId!, patch);
    assertBasis(basis, { account: accountBasis(plan.before, plan.beforeRoles), roles: roleBasis(plan.roles) });
    const audit = await applyUpdateUser(trx, now, req.targetId!, patch, plan);
    await auditChange(trx, ctx, { action: 'update', entityType: 'user', entityId: req.targetId!, before: audit.before, after: { ...audit.after, approval } });
    const reason = updatePrivilege({ roles: plan.beforeRoles, status: plan.before.status }, { roles: plan.roles, status: patch.status ?? plan.before.status });
    await notify(trx, now, [req.targetId!], {
      title: '您的账号权限已变更',
      body: `${reason ?? '账号信息已修改'}。该变更经审批后生效。如有疑问，请联系审计管理员。`,
    });
    return { userId: req.targetId, username: plan.before.username };
  }
  if (req.kind === 'reset_password') {
    enforce(resetPasswordDenial(requester.userId, req.targetId!));
    const { row, roles } = await writableUser(trx, requester, req.targetId!);
    enforce(manageAccountDenial(requester, roles));
    assertBasis(basis, { account: accountBasis(row, roles) });
    if (!passwordHash) throw new Error('approved reset_password needs a password hash');
    const sessionsRevoked = await applyReset(trx, now, row.id, passwordHash);
    await auditChange(trx, ctx, {
      action: 'reset_password', entityType: 'user', entityId: row.id,
      before: { username: row.username, mustChangePassword: Number(row.must_change_password) === 1 },
      after: { username: row.username, mustChangePassword: true, sessionsRevoked, approval },
    });
    await notify(trx, now, [row.id], { title: RESET_NOTICE.title, body: `${RESET_NOTICE.body}（本次重置经审批）` });
    return { userId: row.id, username: row.username };
  }
  throw new AppError(409, 'CONFLICT', '未知的申请类型');
}
