import type { Deps, Trx } from '../platform/context.js';
import { runCommand, systemCtx } from '../platform/context.js';
import { BUILTIN_ROLES, type BuiltinRole } from '../../shared/permissions.js';

// Built-in roles live in the database, seeded once from BUILTIN_ROLES. A release that changes them
// (a new permission such as approvals:decide, a new built-in role) must reach databases created
// earlier too: call syncBuiltinRoles on every start, after migrating and bootstrapping.

export interface RoleSyncReport {
  /** Built-in roles inserted or brought in line, by code. */
  changed: string[];
  /** Codes of built-in roles already taken by a custom role: left alone, never promoted. */
  conflicts: string[];
}

interface Diff {
  code: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

const view = (r: BuiltinRole) => ({
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  dataScope: r.dataScope,
});

async function differences(db: Deps['db'] | Trx): Promise<{ diffs: Diff[]; conflicts: string[] }> {
  const rows = await db
    .selectFrom('role')
    .select(['id', 'code', 'name', 'description', 'builtin', 'permissions', 'data_scope'])
    .where('code', 'in', BUILTIN_ROLES.map((r) => r.code))
    .execute();
  const diffs: Diff[] = [];
  const conflicts: string[] = [];
  for (const want of BUILTIN_ROLES) {
    const row = rows.find((r) => r.code === want.code);
    if (!row) {
      diffs.push({ code: want.code, before: null, after: view(want) });
      continue;
    }
    // A custom role holding a new built-in's code must not silently gain the built-in's permissions.
    if (Number(row.builtin) !== 1) {
      conflicts.push(want.code);
      continue;
    }
    const have = {
      name: row.name,
      description: row.description,
      permissions: JSON.parse(row.permissions) as string[],
      dataScope: row.data_scope,
    };
    // Permission order carries no meaning; only the set is compared.
    const samePerms =
      have.permissions.length === want.permissions.length && [...have.permissions].sort().join() === [...want.permissions].sort().join();
    if (have.name !== want.name || have.description !== want.description || have.dataScope !== want.dataScope || !samePerms) {
      diffs.push({ code: want.code, before: have, after: view(want) });
    }
  }
  return { diffs, conflicts };
}

/** Thrown to roll back when another process synchronised first: no empty audit entry. */
class NothingToDo extends Error {}

/**
 * Brings every built-in role's name, description, permissions and data scope in line with
 * BUILTIN_ROLES, inserting any that are missing, and writes one audit entry when anything changed.
 * Safe to run on every start and from several processes at once.
 */
export async function syncBuiltinRoles(deps: Deps): Promise<RoleSyncReport> {
  const first = await differences(deps.db);
  if (!first.diffs.length) return { changed: [], conflicts: first.conflicts };
  try {
    return await runCommand(systemCtx(deps), { action: 'sync_builtin_roles', entityType: 'role' }, async (trx) => {
      const { diffs, conflicts } = await differences(trx);
      if (!diffs.length) throw new NothingToDo();
      const now = deps.now().toISOString();
      for (const d of diffs) {
        const want = BUILTIN_ROLES.find((r) => r.code === d.code)!;
        const values = {
          name: want.name,
          description: want.description,
          permissions: JSON.stringify(want.permissions),
          data_scope: want.dataScope,
          updated_at: now,
        };
        if (d.before === null) {
          await trx.insertInto('role').values({ id: `role-${want.code}`, code: want.code, builtin: 1, created_at: now, ...values }).execute();
        } else {
          await trx.updateTable('role').set(values).where('code', '=', want.code).where('builtin', '=', 1).execute();
          // Built-in roles never use a custom unit list.
          const id = (await trx.selectFrom('role').select('id').where('code', '=', want.code).executeTakeFirstOrThrow()).id;
          await trx.deleteFrom('role_unit').where('role_id', '=', id).execute();
        }
      }
      return {
        result: { changed: diffs.map((d) => d.code), conflicts },
        entityId: null,
        before: Object.fromEntries(diffs.map((d) => [d.code, d.before])),
        after: { ...Object.fromEntries(diffs.map((d) => [d.code, d.after])), ...(conflicts.length ? { conflicts } : {}) },
      };
    });
  } catch (err) {
    if (err instanceof NothingToDo) return { changed: [], conflicts: first.conflicts };
    throw err;
  }
}
