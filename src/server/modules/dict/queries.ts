import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { can, type Ctx } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import type { DB } from '../../db/types.js';
import { SYSTEM_DICT_TYPES, isSystemDictType, type DictItemView, type DictsAll, type DictTypeView } from '../../../shared/schemas/dict.js';

/** System dictionaries are listed to those who maintain them (dict:write), to nobody else. */
export const seesSystemDicts = (ctx: Ctx) => can(ctx.actor, 'dict:write');

// Dictionaries are small and bounded: listed whole (no paging), still in an index's order.

export async function listDictTypes(ctx: Ctx): Promise<{ items: DictTypeView[]; total: number }> {
  let from = ctx.db.selectFrom('dict_type');
  if (!seesSystemDicts(ctx)) from = from.where('dict_type.code', 'not in', [...SYSTEM_DICT_TYPES]);
  const page = await listPage(ctx.db, {
    name: 'dict-types',
    from,
    id: 'dict_type.code',
    // Built-in types first: index dict_type_order (builtin desc, code).
    order: [['dict_type.builtin', 'desc'], ['dict_type.code', 'asc']],
    rows: (codes) =>
      ctx.db
        .selectFrom('dict_type')
        .select([
          'dict_type.code', 'dict_type.name', 'dict_type.description', 'dict_type.builtin',
          (eb) =>
            eb.selectFrom('dict_item').select(sql<number>`count(*)`.as('n')).whereRef('dict_item.type_code', '=', 'dict_type.code').as('item_count'),
        ])
        .where('dict_type.code', 'in', codes),
    count: 'exact',
  });
  const items = page.items.map((r) => ({
    code: r.code,
    name: r.name,
    description: r.description,
    builtin: Boolean(r.builtin),
    system: isSystemDictType(r.code),
    itemCount: Number(r.item_count ?? 0),
  }));
  return { items, total: items.length };
}

export async function listDictItems(ctx: Ctx, typeCode: string, includeDisabled: boolean): Promise<{ items: DictItemView[]; total: number }> {
  const type = await ctx.db.selectFrom('dict_type').select('code').where('code', '=', typeCode).executeTakeFirst();
  // A system dictionary answers like a missing one to those who may not see it.
  if (!type || (isSystemDictType(typeCode) && !seesSystemDicts(ctx))) throw notFound('字典类型不存在');
  let from = ctx.db.selectFrom('dict_item').where('dict_item.type_code', '=', typeCode);
  if (!includeDisabled) from = from.where('dict_item.enabled', '=', 1);
  const page = await listPage(ctx.db, {
    name: 'dict-items',
    from,
    id: 'dict_item.id',
    // Index dict_item_order (dict_item_enabled_order for enabled items only).
    order: [['dict_item.sort', 'asc'], ['dict_item.code', 'asc']],
    rows: (ids) => ctx.db.selectFrom('dict_item').select(['id', 'code', 'label', 'sort', 'enabled']).where('id', 'in', ids),
    count: 'exact',
  });
  const items = page.items.map((r) => ({ id: r.id, code: r.code, label: r.label, sort: Number(r.sort), enabled: Boolean(r.enabled) }));
  return { items, total: items.length };
}

/**
 * Every type's enabled items in display order: what pages use to turn codes into labels. System
 * dictionaries only with `includeSystem` (a dict:write holder): no business page labels with them.
 */
export async function allDicts(db: Kysely<DB>, includeSystem = true): Promise<DictsAll> {
  const out: DictsAll = {};
  const hidden = includeSystem ? [] : [...SYSTEM_DICT_TYPES];
  let types = db.selectFrom('dict_type').select('code');
  if (hidden.length) types = types.where('code', 'not in', hidden);
  for (const t of await types.orderBy('code').execute()) out[t.code] = [];
  let items = db.selectFrom('dict_item').select(['type_code', 'code', 'label']).where('enabled', '=', 1);
  if (hidden.length) items = items.where('type_code', 'not in', hidden);
  const rows = await items.orderBy('type_code').orderBy('sort').orderBy('code').execute();
  for (const r of rows) (out[r.type_code] ??= []).push({ code: r.code, label: r.label });
  return out;
}

/** Enabled item codes of one type (e.g. the allowed attachment MIME types). */
export async function enabledCodes(db: Kysely<DB>, typeCode: string): Promise<{ code: string; label: string }[]> {
  return db
    .selectFrom('dict_item')
    .select(['code', 'label'])
    .where('type_code', '=', typeCode)
    .where('enabled', '=', 1)
    .orderBy('sort')
    .orderBy('code')
    .execute();
}
