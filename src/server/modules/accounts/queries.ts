import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { contains, countAll } from '../../platform/sqlx.js';
import { BUILTIN_ROLES, DATA_SCOPES, PERMISSIONS } from '../../../shared/permissions.js';
import type { SessionsQuery, UsersQuery } from '../../../shared/schemas/accounts.js';

/** Accounts are scoped by their org unit; 'self' sees only its own account. */
export const USER_SCOPE = { unit: 'app_user.org_unit_id', user: 'app_user.id' };

export const USER_NOT_FOUND = '账号不存在或不在您的数据范围内';

/** Accounts with their unit and person, for display. actor null: unscoped, for presenting an account a command has just been allowed to change. */
function usersBase(db: Kysely<DB>, actor: Actor | null) {
  const q = db
    .selectFrom('app_user')
    .innerJoin('org_unit', 'org_unit.id', 'app_user.org_unit_id')
    .leftJoin('person', 'person.id', 'app_user.person_id');
  return actor ? applyScope(q, actor, USER_SCOPE) : q;
}

const USER_COLUMNS = [
  'app_user.id', 'app_user.username', 'app_user.display_name', 'app_user.person_id', 'person.name as person_name',
  'app_user.org_unit_id', 'org_unit.name as org_unit_name', 'app_user.status', 'app_user.must_change_password',
  'app_user.last_login_at', 'app_user.created_at',
] as const;

type UserRow = {
  id: string; username: string; display_name: string; person_id: string | null; person_name: string | null;
  org_unit_id: string; org_unit_name: string; status: string; must_change_password: number;
  last_login_at: string | null; created_at: string;
};

/** The roles of some users, by user id. */
export async function rolesOfUsers(db: Kysely<DB>, userIds: string[]) {
  const out = new Map<string, { code: string; name: string }[]>();
  if (!userIds.length) return out;
  const rows = await db
    .selectFrom('user_role')
    .innerJoin('role', 'role.id', 'user_role.role_id')
    .select(['user_role.user_id', 'role.code', 'role.name'])
    .where('user_role.user_id', 'in', userIds)
    .orderBy('role.code')
    .execute();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ code: r.code, name: r.name });
    out.set(r.user_id, list);
  }
  return out;
}

function presentUser(r: UserRow, roles: { code: string; name: string }[]) {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    personId: r.person_id,
    personName: r.person_name,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    status: r.status,
    mustChangePassword: Number(r.must_change_password) === 1,
    roles,
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
  };
}
export type UserView = ReturnType<typeof presentUser>;

export async function listUsers(ctx: Ctx, actor: Actor, f: UsersQuery) {
  // The filters need app_user alone; usersBase's display joins are for the page's rows.
  let from = applyScope(ctx.db.selectFrom('app_user'), actor, USER_SCOPE);
  if (f.q) {
    const text = f.q;
    from = from.where((eb) => eb.or([contains('app_user.username', text), contains('app_user.display_name', text)]));
  }
  if (f.orgUnitId) from = from.where('app_user.org_unit_id', 'in', subtreeUnitIds(ctx.db, f.orgUnitId));
  // No index on status alone: it would lure the planner away from the sessions list's index, and
  // checking it along the username order costs little.
  if (f.status) from = from.where('app_user.status', '=', f.status);
  if (f.roleCode) {
    const code = f.roleCode;
    from = from.where('app_user.id', 'in', (eb) =>
      eb.selectFrom('user_role').innerJoin('role', 'role.id', 'user_role.role_id').select('user_role.user_id').where('role.code', '=', code),
    );
  }
  const page = await listPage(ctx.db, {
    name: 'users',
    from,
    id: 'app_user.id',
    // username is unique: it is its own tie-break.
    order: [['app_user.username', 'asc']],
    rows: (ids) => usersBase(ctx.db, null).select(USER_COLUMNS).where('app_user.id', 'in', ids) as any as SelectQueryBuilder<DB, any, UserRow>,
    // Unit and role filters are index lookups; a text search or the status walks rows: capped.
    count: f.q || f.status ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const roles = await rolesOfUsers(ctx.db, page.items.map((r) => r.id));
  return { ...page, items: page.items.map((r) => presentUser(r, roles.get(r.id) ?? [])) };
}

/** The ids of a unit and every unit below it, as a subquery. */
function subtreeUnitIds(db: Kysely<DB>, unitId: string) {
  return db
    .selectFrom('org_unit as sub')
    .select('sub.id')
    .where('sub.path', 'like', (eb) => eb.selectFrom('org_unit as top').select(sql<string>`top.path || '%'`.as('p')).where('top.id', '=', unitId));
}

/** One account as the actor may see it; 404 outside the actor's scope. */
export async function getUser(ctx: Ctx, actor: Actor | null, id: string): Promise<UserView> {
  const row = (await usersBase(ctx.db, actor).select(USER_COLUMNS).where('app_user.id', '=', id).executeTakeFirst()) as
    | UserRow
    | undefined;
  if (!row) throw notFound(USER_NOT_FOUND);
  const roles = await rolesOfUsers(ctx.db, [id]);
  return presentUser(row, roles.get(id) ?? []);
}

const BUILTIN_ORDER = new Map(BUILTIN_ROLES.map((r, i) => [r.code, i]));

export async function listRoles(ctx: Ctx) {
  const rows = await ctx.db
    .selectFrom('role')
    .select((eb) => [
      'role.id', 'role.code', 'role.name', 'role.description', 'role.builtin', 'role.permissions', 'role.data_scope',
      'role.created_at',
      eb.selectFrom('user_role').select(countAll().as('n')).whereRef('user_role.role_id', '=', 'role.id').as('user_count'),
    ])
    .execute();
  const units = await ctx.db.selectFrom('role_unit').select(['role_id', 'org_unit_id']).execute();
  const items = rows
    .map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      description: r.description,
      builtin: Number(r.builtin) === 1,
      permissions: JSON.parse(r.permissions) as string[],
      dataScope: r.data_scope,
      customUnitIds: units.filter((u) => u.role_id === r.id).map((u) => u.org_unit_id),
      userCount: Number(r.user_count ?? 0),
      createdAt: r.created_at,
    }))
    // Built-in roles first in their documented order, then custom roles oldest first.
    .sort(
      (a, b) =>
        (BUILTIN_ORDER.get(a.code) ?? 999) - (BUILTIN_ORDER.get(b.code) ?? 999) ||
        a.createdAt.localeCompare(b.createdAt) ||
        a.code.localeCompare(b.code),
    )
    .map(({ createdAt: _c, ...rest }) => rest);
  return { items, total: items.length };
}

export function listPermissions() {
  return {
    items: Object.entries(PERMISSIONS).map(([code, label]) => ({ code, label })),
    dataScopes: Object.entries(DATA_SCOPES).map(([code, label]) => ({ code, label })),
  };
}

/** Sessions neither revoked nor idle past the timeout, within the actor's scope of accounts. */
export async function listSessions(ctx: Ctx, actor: Actor, f: SessionsQuery) {
  const since = new Date(ctx.now().getTime() - ctx.config.sessionIdleMs).toISOString();
  // Index app_session_live: live sessions only (partial), newest first.
  const from = applyScope(
    ctx.db
      .selectFrom('app_session')
      .innerJoin('app_user', 'app_user.id', 'app_session.user_id')
      .where('app_session.revoked_at', 'is', null)
      .where('app_session.last_seen_at', '>=', since)
      .where('app_user.status', '=', 'active'),
    actor,
    USER_SCOPE,
  );
  const page = await listPage(ctx.db, {
    name: 'sessions',
    from,
    id: 'app_session.id',
    order: [['app_session.last_seen_at', 'desc'], ['app_session.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('app_session')
        .innerJoin('app_user', 'app_user.id', 'app_session.user_id')
        .select([
          'app_session.id', 'app_session.user_id', 'app_user.username', 'app_user.display_name', 'app_session.ip',
          'app_session.user_agent', 'app_session.created_at', 'app_session.last_seen_at',
        ])
        .where('app_session.id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    items: page.items.map((r) => ({
      id: r.id,
      userId: r.user_id,
      username: r.username,
      displayName: r.display_name,
      ip: r.ip,
      userAgent: r.user_agent,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      current: r.id === actor.sessionId,
    })),
  };
}

/**
 * The ids of the accounts within the actor's scope, as a subquery: how other modules (the logs)
 * limit records that point at users without reading the accounts tables themselves.
 */
export function scopedUserIds(db: Kysely<DB>, actor: Actor) {
  return applyScope(db.selectFrom('app_user').select('app_user.id'), actor, USER_SCOPE);
}

/**
 * Active accounts holding a permission through any of their roles, each with all its role codes and
 * permissions: how the approvals module finds who may decide (and who may not, sharing a duty).
 */
export async function usersWithPermission(db: Kysely<DB>, permission: string) {
  const holders = await db
    .selectFrom('user_role')
    .innerJoin('role', 'role.id', 'user_role.role_id')
    .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
    .select('user_role.user_id')
    .where('app_user.status', '=', 'active')
    // Permissions are a JSON array of codes; the quotes keep 'x:read' from matching 'x:read_all'.
    .where('role.permissions', 'like', `%"${permission}"%`)
    .distinct()
    .execute();
  if (!holders.length) return [];
  const rows = await db
    .selectFrom('user_role')
    .innerJoin('role', 'role.id', 'user_role.role_id')
    .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
    .select(['user_role.user_id', 'app_user.person_id', 'role.code', 'role.permissions'])
    .where('user_role.user_id', 'in', holders.map((h) => h.user_id))
    .execute();
  const out = new Map<string, { id: string; personId: string | null; roleCodes: string[]; permissions: Set<string> }>();
  for (const r of rows) {
    const u = out.get(r.user_id) ?? { id: r.user_id, personId: r.person_id, roleCodes: [], permissions: new Set<string>() };
    u.roleCodes.push(r.code);
    for (const p of JSON.parse(r.permissions) as string[]) u.permissions.add(p);
    out.set(r.user_id, u);
  }
  return [...out.values()].filter((u) => u.permissions.has(permission));
}

/** Usernames and names of some accounts, by id, for naming who asked and who decided. */
export async function userNames(db: Kysely<DB>, ids: readonly string[]) {
  const out = new Map<string, { id: string; username: string; displayName: string }>();
  const wanted = [...new Set(ids.filter(Boolean))];
  if (!wanted.length) return out;
  const rows = await db.selectFrom('app_user').select(['id', 'username', 'display_name']).where('id', 'in', wanted).execute();
  for (const r of rows) out.set(r.id, { id: r.id, username: r.username, displayName: r.display_name });
  return out;
}
