import { sql } from 'kysely';
import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { assertUnitWritable, hasAllScope } from '../../platform/access.js';
import { newId } from '../../platform/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import type { OrgUnitInput, OrgUnitPatch, PartyOrgInput, PartyOrgPatch } from '../../../shared/schemas/org.js';

type Tree = 'org_unit' | 'party_org';

async function nodeOf(trx: Trx | Ctx['db'], table: Tree, id: string) {
  const row = await trx.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(table === 'org_unit' ? '单位不存在' : '党组织不存在');
  return row;
}

/** Moves a node under a new parent, rewriting the materialised path of its whole subtree. */
async function reparent(trx: Trx, table: Tree, id: string, oldPath: string, newParentPath: string) {
  const newPath = `${newParentPath}${id}/`;
  if (newParentPath.startsWith(oldPath)) throw badRequest('上级：不能移动到自身或其下级之下', 'parentId');
  const depthDelta = newPath.split('/').length - oldPath.split('/').length;
  await trx
    .updateTable(table)
    .set({
      path: sql`${newPath} || substr(path, ${oldPath.length + 1})`,
      ...(table === 'org_unit' ? { depth: sql`depth + ${depthDelta}` } : {}),
    } as any)
    .where('path', 'like', `${oldPath}%`)
    .execute();
}

export async function createOrgUnit(ctx: Ctx, input: OrgUnitInput) {
  const actor = requirePermission(ctx, 'org:write');
  if (input.parentId) await assertUnitWritable(ctx.db, actor, input.parentId, '上级单位');
  else if (!actor.roles.some((r) => r.dataScope === 'all')) throw badRequest('上级单位：不能为空', 'parentId');
  return runCommand(ctx, { action: 'create', entityType: 'org_unit' }, async (trx) => {
    const parent = input.parentId ? await nodeOf(trx, 'org_unit', input.parentId) : null;
    const dup = await trx.selectFrom('org_unit').select('id').where('code', '=', input.code).executeTakeFirst();
    if (dup) throw conflict('单位编码：已被使用', 'code');
    const id = newId();
    const now = ctx.now().toISOString();
    const row = {
      id,
      parent_id: parent?.id ?? null,
      name: input.name,
      short_name: input.shortName ?? null,
      kind: input.kind,
      code: input.code,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      sort: input.sort ?? 0,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('org_unit').values(row).execute();
    return { result: { id }, entityId: id, after: row };
  });
}

export async function updateOrgUnit(ctx: Ctx, id: string, patch: OrgUnitPatch) {
  const actor = requirePermission(ctx, 'org:write');
  await assertUnitWritable(ctx.db, actor, id, '该单位');
  if (patch.parentId) await assertUnitWritable(ctx.db, actor, patch.parentId, '目标上级单位');
  return runCommand(ctx, { action: 'update', entityType: 'org_unit' }, async (trx) => {
    const before = await nodeOf(trx, 'org_unit', id);
    if (patch.code && patch.code !== before.code) {
      const dup = await trx.selectFrom('org_unit').select('id').where('code', '=', patch.code).executeTakeFirst();
      if (dup) throw conflict('单位编码：已被使用', 'code');
    }
    if (patch.parentId !== undefined && patch.parentId !== before.parent_id) {
      if (!patch.parentId) throw badRequest('上级单位：不能为空', 'parentId');
      const parent = await nodeOf(trx, 'org_unit', patch.parentId);
      await reparent(trx, 'org_unit', id, before.path, parent.path);
    }
    await trx
      .updateTable('org_unit')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.shortName !== undefined ? { short_name: patch.shortName } : {}),
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.code !== undefined ? { code: patch.code } : {}),
        ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
        ...(patch.parentId !== undefined ? { parent_id: patch.parentId } : {}),
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    const after = await nodeOf(trx, 'org_unit', id);
    return { result: { id }, entityId: id, before, after };
  });
}

export async function deleteOrgUnit(ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'org:write');
  await assertUnitWritable(ctx.db, actor, id, '该单位');
  return runCommand(ctx, { action: 'delete', entityType: 'org_unit' }, async (trx) => {
    const before = await nodeOf(trx, 'org_unit', id);
    const used = await Promise.all([
      trx.selectFrom('org_unit').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst(),
      trx.selectFrom('person').select('id').where('org_unit_id', '=', id).limit(1).executeTakeFirst(),
      trx.selectFrom('app_user').select('id').where('org_unit_id', '=', id).limit(1).executeTakeFirst(),
    ]);
    if (used.some(Boolean)) throw conflict('该单位下仍有下级单位、干警或账号，不能删除');
    await trx.deleteFrom('org_unit').where('id', '=', id).execute();
    return { result: { id }, entityId: id, before };
  });
}

/** A party organisation is managed by whoever may write its unit (one without a unit: whole-bureau roles). */
async function assertPartyWritable(trx: Trx, actor: Actor, orgUnitId: string | null) {
  if (hasAllScope(actor)) return;
  if (!orgUnitId) throw forbidden('无权操作该党组织（超出本人数据范围）');
  await assertUnitWritable(trx, actor, orgUnitId, '该党组织所属单位');
}

export async function createPartyOrg(ctx: Ctx, input: PartyOrgInput) {
  const actor = requirePermission(ctx, 'party:write');
  return runCommand(ctx, { action: 'create', entityType: 'party_org' }, async (trx) => {
    const parent = input.parentId ? await nodeOf(trx, 'party_org', input.parentId) : null;
    if (input.orgUnitId) await nodeOf(trx, 'org_unit', input.orgUnitId);
    await assertPartyWritable(trx, actor, input.orgUnitId ?? null);
    const id = newId();
    const now = ctx.now().toISOString();
    const row = {
      id,
      parent_id: parent?.id ?? null,
      name: input.name,
      kind: input.kind,
      org_unit_id: input.orgUnitId ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      sort: input.sort ?? 0,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('party_org').values(row).execute();
    return { result: { id }, entityId: id, after: row };
  });
}

export async function updatePartyOrg(ctx: Ctx, id: string, patch: PartyOrgPatch) {
  const actor = requirePermission(ctx, 'party:write');
  return runCommand(ctx, { action: 'update', entityType: 'party_org' }, async (trx) => {
    const before = await nodeOf(trx, 'party_org', id);
    await assertPartyWritable(trx, actor, before.org_unit_id);
    if (patch.orgUnitId) await assertPartyWritable(trx, actor, patch.orgUnitId);
    if (patch.parentId !== undefined && patch.parentId !== before.parent_id) {
      const parentPath = patch.parentId ? (await nodeOf(trx, 'party_org', patch.parentId)).path : '/';
      await reparent(trx, 'party_org', id, before.path, parentPath);
    }
    if (patch.orgUnitId) await nodeOf(trx, 'org_unit', patch.orgUnitId);
    await trx
      .updateTable('party_org')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.orgUnitId !== undefined ? { org_unit_id: patch.orgUnitId } : {}),
        ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
        ...(patch.parentId !== undefined ? { parent_id: patch.parentId } : {}),
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    const after = await nodeOf(trx, 'party_org', id);
    return { result: { id }, entityId: id, before, after };
  });
}

export async function deletePartyOrg(ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'party:write');
  return runCommand(ctx, { action: 'delete', entityType: 'party_org' }, async (trx) => {
    const before = await nodeOf(trx, 'party_org', id);
    await assertPartyWritable(trx, actor, before.org_unit_id);
    const used = await Promise.all([
      trx.selectFrom('party_org').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst(),
      trx.selectFrom('person').select('id').where('party_org_id', '=', id).limit(1).executeTakeFirst(),
    ]);
    if (used.some(Boolean)) throw conflict('该党组织下仍有下级组织或党员，不能删除');
    await trx.deleteFrom('party_org').where('id', '=', id).execute();
    return { result: { id }, entityId: id, before };
  });
}
