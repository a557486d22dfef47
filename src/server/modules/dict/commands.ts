import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';
import { countAll } from '../../platform/sqlx.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { isUniqueViolation } from '../../platform/dberrors.js';
import type { DictItemTable, DictTypeTable } from '../../db/types.js';
import {
  DATE_DICT_TYPES, isSystemDictType, type DictItemInput, type DictItemView, type DictTypeView, type DictItemPatch, type DictTypeInput, type DictTypePatch,
} from '../../../shared/schemas/dict.js';
import { isValidYmd } from '../../../shared/schemas/campaigns.js';

function typeView(r: DictTypeTable, itemCount: number): DictTypeView {
  return { code: r.code, name: r.name, description: r.description, builtin: Boolean(r.builtin), system: isSystemDictType(r.code), itemCount };
}

function itemView(r: DictItemTable): DictItemView {
  return { id: r.id, code: r.code, label: r.label, sort: Number(r.sort), enabled: Boolean(r.enabled) };
}

async function typeRow(trx: Trx, code: string): Promise<DictTypeTable> {
  const row = await trx.selectFrom('dict_type').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw notFound('字典类型不存在');
  return row;
}

async function itemRow(trx: Trx, typeCode: string, id: string): Promise<DictItemTable> {
  const row = await trx
    .selectFrom('dict_item').selectAll().where('type_code', '=', typeCode).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('字典项不存在');
  return row;
}

export async function createDictType(ctx: Ctx, input: DictTypeInput) {
  requirePermission(ctx, 'dict:write');
  try {
    return await runCommand(ctx, { action: 'create', entityType: 'dict_type' }, async (trx) => {
      if (await trx.selectFrom('dict_type').select('code').where('code', '=', input.code).executeTakeFirst()) {
        throw conflict('编码：已存在', 'code');
      }
      const now = ctx.now().toISOString();
      const row: DictTypeTable = {
        code: input.code, name: input.name, description: input.description || null, builtin: 0, created_at: now, updated_at: now,
      };
      await trx.insertInto('dict_type').values(row).execute();
      return { result: typeView(row, 0), entityId: row.code, after: row };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('编码：已存在', 'code');
    throw err;
  }
}

export async function updateDictType(ctx: Ctx, code: string, patch: DictTypePatch) {
  requirePermission(ctx, 'dict:write');
  return runCommand(ctx, { action: 'update', entityType: 'dict_type' }, async (trx) => {
    const before = await typeRow(trx, code);
    const set: Partial<DictTypeTable> = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description || null } : {}),
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('dict_type').set(set).where('code', '=', code).execute();
    const after = { ...before, ...set };
    const n = await trx.selectFrom('dict_item').select(countAll().as('n')).where('type_code', '=', code).executeTakeFirstOrThrow();
    return { result: typeView(after, Number(n.n)), entityId: code, before, after };
  });
}

/** Holiday and make-up-day dictionaries are read as dates; anything else there would be silently ignored. */
function checkItemCode(typeCode: string, code: string) {
  if ((DATE_DICT_TYPES as readonly string[]).includes(typeCode) && !isValidYmd(code)) {
    throw badRequest('编码：须为有效日期（YYYY-MM-DD）', 'code');
  }
}

export async function createDictItem(ctx: Ctx, typeCode: string, input: DictItemInput) {
  requirePermission(ctx, 'dict:write');
  try {
    return await runCommand(ctx, { action: 'create', entityType: 'dict_item' }, async (trx) => {
      await typeRow(trx, typeCode);
      checkItemCode(typeCode, input.code);
      const dup = await trx
        .selectFrom('dict_item').select('id').where('type_code', '=', typeCode).where('code', '=', input.code).executeTakeFirst();
      if (dup) throw conflict('编码：已存在', 'code');
      let sort = input.sort;
      if (sort === undefined) {
        const top = await trx
          .selectFrom('dict_item')
          .select((eb) => eb.fn.max('sort').as('m'))
          .where('type_code', '=', typeCode)
          .executeTakeFirst();
        sort = Number(top?.m ?? 0) + 10;
      }
      const now = ctx.now().toISOString();
      const row: DictItemTable = {
        id: newId(), type_code: typeCode, code: input.code, label: input.label, sort,
        enabled: input.enabled === false ? 0 : 1, created_at: now, updated_at: now,
      };
      await trx.insertInto('dict_item').values(row).execute();
      return { result: itemView(row), entityId: row.id, after: row };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('编码：已存在', 'code');
    throw err;
  }
}

export async function updateDictItem(ctx: Ctx, typeCode: string, id: string, patch: DictItemPatch) {
  requirePermission(ctx, 'dict:write');
  return runCommand(ctx, { action: 'update', entityType: 'dict_item' }, async (trx) => {
    const before = await itemRow(trx, typeCode, id);
    if (patch.code !== undefined && patch.code.trim() !== before.code) {
      throw badRequest('编码：创建后不可修改（已有记录引用此编码），可停用后新增', 'code');
    }
    const set: Partial<DictItemTable> = {
      ...(patch.label !== undefined ? { label: patch.label } : {}),
      ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('dict_item').set(set).where('id', '=', id).execute();
    const after = { ...before, ...set };
    return { result: itemView(after), entityId: id, before, after };
  });
}

export async function deleteDictItem(ctx: Ctx, typeCode: string, id: string) {
  requirePermission(ctx, 'dict:write');
  return runCommand(ctx, { action: 'delete', entityType: 'dict_item' }, async (trx) => {
    const type = await typeRow(trx, typeCode);
    const before = await itemRow(trx, typeCode, id);
    // Records across the platform store built-in codes; removing one would orphan them.
    if (type.builtin) throw badRequest('内置字典的字典项不能删除，如不再使用请停用');
    await trx.deleteFrom('dict_item').where('id', '=', id).execute();
    return { result: { id }, entityId: id, before };
  });
}
