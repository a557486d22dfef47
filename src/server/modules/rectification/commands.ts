import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, assertUnitWritable, peopleInScope, type ScopeColumns } from '../../platform/access.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { countSubmission, ipHash } from '../../platform/ratelimit.js';
import { shanghaiDate } from '../../platform/time.js';
import type { RectificationItemTable } from '../../db/types.js';
import { attachFiles } from '../files/commands.js';
import { markAdoptionLinked, onOpinionAdopted, pendingAdoptions } from '../opinions/commands.js';
import {
  DEFAULT_CATEGORIES, ITEM_STATUS,
  type CategoryInput, type CategoryPatch, type ItemInput, type ItemList, type ItemPatch, type ProgressInput, type SignOffInput,
} from '../../../shared/schemas/rectification.js';

// 查纠整改: the problem catalogue and the rectification ledger. Every verb is one transaction with its
// audit entry (runCommand); every unit, person, parent and category it names is checked against the
// caller's scope and the campaign; a refused command writes nothing.

/** An item belongs to its responsible unit; an officer (scope self) sees the items they answer for. */
export const ITEM_SCOPE: ScopeColumns = { unit: 'rectification_item.org_unit_id', person: 'rectification_item.responsible_person_id' };

// ---------------------------------------------------------------- catalogue

/** The national "7+2" list and the seven disciplines, once per campaign (idempotent). */
export async function seedCategories(trx: Trx, campaignId: string, now: string): Promise<number> {
  const have = new Set(
    (await trx.selectFrom('problem_category').select('code').where('campaign_id', '=', campaignId).execute()).map((r) => r.code),
  );
  const rows = DEFAULT_CATEGORIES.map((c, i) => ({
    id: newId(), campaign_id: campaignId, code: c.code, kind: c.kind, name: c.name, description: null,
    sort: (i + 1) * 10, enabled: 1, created_at: now, updated_at: now,
  })).filter((c) => !have.has(c.code));
  if (rows.length) await trx.insertInto('problem_category').values(rows).execute();
  return rows.length;
}

async function assertCampaign(trx: Trx, campaignId: string, field = 'campaignId') {
  const c = await trx.selectFrom('campaign').select(['id']).where('id', '=', campaignId).executeTakeFirst();
  if (!c) throw badRequest('教育整顿批次：不存在', field);
}

export async function initCategories(ctx: Ctx, campaignId: string) {
  requirePermission(ctx, 'rectification:catalog');
  return runCommand(ctx, { action: 'init_categories', entityType: 'problem_category' }, async (trx) => {
    await assertCampaign(trx, campaignId);
    const added = await seedCategories(trx, campaignId, ctx.now().toISOString());
    return { result: { added }, entityId: campaignId, after: { added } };
  });
}

export async function createCategory(ctx: Ctx, input: CategoryInput) {
  requirePermission(ctx, 'rectification:catalog');
  return runCommand(ctx, { action: 'create', entityType: 'problem_category' }, async (trx) => {
    await assertCampaign(trx, input.campaignId);
    const existing = await trx
      .selectFrom('problem_category')
      .select(['code', 'sort'])
      .where('campaign_id', '=', input.campaignId)
      .execute();
    if (existing.length >= 100) throw badRequest('问题类别：每个批次最多 100 类', 'name');
    // The bureau's own categories are numbered after the national ones: X1, X2…
    const used = new Set(existing.map((e) => e.code));
    let n = 1;
    while (used.has(`X${n}`)) n++;
    const now = ctx.now().toISOString();
    const row = {
      id: newId(), campaign_id: input.campaignId, code: `X${n}`, kind: input.kind, name: input.name,
      description: input.description || null,
      sort: input.sort ?? Math.max(0, ...existing.map((e) => e.sort)) + 10, enabled: 1, created_at: now, updated_at: now,
    };
    await trx.insertInto('problem_category').values(row).execute();
    return { result: { id: row.id, code: row.code }, entityId: row.id, after: row };
  });
}

export async function updateCategory(ctx: Ctx, id: string, patch: CategoryPatch) {
  requirePermission(ctx, 'rectification:catalog');
  return runCommand(ctx, { action: 'update', entityType: 'problem_category' }, async (trx) => {
    const before = await trx.selectFrom('problem_category').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('问题类别不存在');
    const set = {
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description || null } : {}),
      ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('problem_category').set(set).where('id', '=', id).execute();
    return { result: { id }, entityId: id, before, after: { ...before, ...set } };
  });
}

// ---------------------------------------------------------------- items

/** The item as the caller may see it (their data scope), or 404 — out of scope looks like absent. */
export async function scopedItem(trx: Trx | Ctx['db'], actor: Actor, id: string): Promise<RectificationItemTable> {
  const row = await applyScope(trx.selectFrom('rectification_item').selectAll(), actor, ITEM_SCOPE)
    .where('rectification_item.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('整治事项不存在');
  return row as RectificationItemTable;
}

async function checkCategory(trx: Trx, campaignId: string, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const c = await trx
    .selectFrom('problem_category')
    .select(['id', 'enabled'])
    .where('id', '=', categoryId)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  if (!c || !c.enabled) throw badRequest('问题类别：不存在或未启用（须为本批次的类别）', 'categoryId');
}

async function checkPerson(trx: Trx, actor: Actor, personId: string | null | undefined) {
  if (!personId) return;
  await peopleInScope(trx, actor, [personId], () => ({ text: '责任人：不存在或不在您的数据范围内', field: 'responsiblePersonId' }));
}

async function nextSeq(trx: Trx, campaignId: string, list: ItemList, parentKey: string): Promise<number> {
  const r = await trx
    .selectFrom('rectification_item')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('campaign_id', '=', campaignId)
    .where('list', '=', list)
    .where('parent_key', '=', parentKey)
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

const assertOpen = (item: RectificationItemTable) => {
  if (item.status === 'signed_off') throw conflict('该事项已销号，不能再修改');
};

/**
 * A parent's progress is its sub-items' weighted mean; its state follows theirs: all finished → 已完成,
 * none begun → 未开始, otherwise 整改中. A parent already signed off stays so.
 */
async function rollUp(trx: Trx, parentId: string, now: string) {
  const parent = await trx.selectFrom('rectification_item').selectAll().where('id', '=', parentId).executeTakeFirst();
  if (!parent) return;
  const children = await trx
    .selectFrom('rectification_item')
    .select(['weight', 'progress', 'status'])
    .where('parent_id', '=', parentId)
    .execute();
  if (!children.length) return;
  const weights = children.reduce((a, c) => a + Number(c.weight), 0);
  const progress = Math.round((children.reduce((a, c) => a + Number(c.weight) * Number(c.progress), 0) / weights) * 10) / 10;
  const finished = children.every((c) => c.status === 'done' || c.status === 'signed_off');
  const untouched = children.every((c) => c.status === 'not_started' && Number(c.progress) === 0);
  const status = parent.status === 'signed_off' ? 'signed_off' : finished ? 'done' : untouched ? 'not_started' : 'in_progress';
  await trx
    .updateTable('rectification_item')
    .set({
      progress, status, child_count: children.length,
      completed_at: status === 'done' ? (parent.completed_at ?? now) : status === 'signed_off' ? parent.completed_at : null,
      updated_at: now,
    })
    .where('id', '=', parentId)
    .execute();
}

/** The row of a new item, after every check; shared by staff entry, import and adoption. */
export async function insertItem(
  trx: Trx,
  ctx: Ctx,
  actor: Actor | null,
  input: Omit<ItemInput, 'source'> & { source: ItemInput['source']; sourceRef?: string | null },
): Promise<RectificationItemTable> {
  await assertCampaign(trx, input.campaignId);
  let parentKey = '';
  if (input.parentId) {
    const parent = actor
      ? await scopedItem(trx, actor, input.parentId).catch(() => {
          throw badRequest('上级事项：不存在或不在您的数据范围内', 'parentId');
        })
      : await trx.selectFrom('rectification_item').selectAll().where('id', '=', input.parentId).executeTakeFirstOrThrow();
    if (parent.campaign_id !== input.campaignId || parent.list !== input.list) {
      throw badRequest('上级事项：须为同一批次、同一清单的事项', 'parentId');
    }
    if (parent.parent_id) throw badRequest('上级事项：子事项下不能再设子事项', 'parentId');
    if (parent.status === 'signed_off') throw badRequest('上级事项：已销号，不能再增加子事项', 'parentId');
    parentKey = parent.id;
  }
  await checkCategory(trx, input.campaignId, input.categoryId);
  if (actor) {
    await assertUnitWritable(trx, actor, input.orgUnitId, '该责任单位');
    await checkPerson(trx, actor, input.responsiblePersonId);
  }
  const now = ctx.now().toISOString();
  const row: RectificationItemTable = {
    id: newId(), campaign_id: input.campaignId, list: input.list, parent_id: input.parentId || null, parent_key: parentKey,
    seq: await nextSeq(trx, input.campaignId, input.list, parentKey), child_count: 0,
    source: input.source, source_ref: input.sourceRef ?? null, category_id: input.categoryId || null,
    title: input.title, description: input.description, measures: input.measures || null, goal: input.goal || null,
    org_unit_id: input.orgUnitId, responsible_person_id: input.responsiblePersonId || null, mode: input.mode,
    start_date: input.startDate || null, deadline: input.deadline || null, is_public: input.isPublic ? 1 : 0,
    weight: input.weight, progress: 0, status: 'not_started', completed_at: null, signed_off_at: null, signed_off_by: null,
    sign_off_note: null, overdue_noticed_on: null, rating_count: 0, rating_sum: 0, created_by: actor?.userId ?? null,
    created_at: now, updated_at: now,
  };
  await trx.insertInto('rectification_item').values(row).execute();
  if (row.parent_id) await rollUp(trx, row.parent_id, now);
  return row;
}

export async function createItem(ctx: Ctx, input: ItemInput) {
  const actor = requirePermission(ctx, 'rectification:write');
  return runCommand(ctx, { action: 'create', entityType: 'rectification_item' }, async (trx) => {
    const row = await insertItem(trx, ctx, actor, input);
    return { result: { id: row.id, seq: row.seq }, entityId: row.id, after: row };
  });
}

export async function updateItem(ctx: Ctx, id: string, patch: ItemPatch) {
  const actor = requirePermission(ctx, 'rectification:write');
  return runCommand(ctx, { action: 'update', entityType: 'rectification_item' }, async (trx) => {
    const before = await scopedItem(trx, actor, id);
    assertOpen(before);
    await assertUnitWritable(trx, actor, before.org_unit_id, '该事项的责任单位');
    if (patch.orgUnitId !== undefined && patch.orgUnitId !== before.org_unit_id) {
      await assertUnitWritable(trx, actor, patch.orgUnitId, '该责任单位');
    }
    if (patch.categoryId) await checkCategory(trx, before.campaign_id, patch.categoryId);
    if (patch.responsiblePersonId) await checkPerson(trx, actor, patch.responsiblePersonId);
    const mode = patch.mode ?? before.mode;
    const start = patch.startDate !== undefined ? patch.startDate || null : before.start_date;
    const deadline = patch.deadline !== undefined ? patch.deadline || null : before.deadline;
    if (mode === 'deadline' && !deadline) throw badRequest('完成时限：限期整治须填写完成时限', 'deadline');
    if (start && deadline && deadline < start) throw badRequest('完成时限：不能早于开始日期', 'deadline');
    const now = ctx.now().toISOString();
    const set: Partial<RectificationItemTable> = {
      ...(patch.categoryId !== undefined ? { category_id: patch.categoryId || null } : {}),
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.measures !== undefined ? { measures: patch.measures || null } : {}),
      ...(patch.goal !== undefined ? { goal: patch.goal || null } : {}),
      ...(patch.orgUnitId !== undefined ? { org_unit_id: patch.orgUnitId } : {}),
      ...(patch.responsiblePersonId !== undefined ? { responsible_person_id: patch.responsiblePersonId || null } : {}),
      ...(patch.mode !== undefined ? { mode: patch.mode } : {}),
      ...(patch.isPublic !== undefined ? { is_public: patch.isPublic ? 1 : 0 } : {}),
      ...(patch.weight !== undefined ? { weight: patch.weight } : {}),
      start_date: start,
      deadline,
      // A new deadline is a new chance: the overdue notice is sent again if this one passes too.
      ...(deadline !== before.deadline ? { overdue_noticed_on: null } : {}),
      updated_at: now,
    };
    await trx.updateTable('rectification_item').set(set).where('id', '=', id).execute();
    if (patch.weight !== undefined && before.parent_id) await rollUp(trx, before.parent_id, now);
    return { result: { id }, entityId: id, before, after: { ...before, ...set } };
  });
}

/** A progress report on an item without sub-items: 100 % finishes it, anything less keeps it open. */
export async function reportProgress(ctx: Ctx, id: string, input: ProgressInput) {
  const actor = requirePermission(ctx, 'rectification:write');
  return runCommand(ctx, { action: 'report_progress', entityType: 'rectification_item' }, async (trx) => {
    const before = await scopedItem(trx, actor, id);
    assertOpen(before);
    await assertUnitWritable(trx, actor, before.org_unit_id, '该事项的责任单位');
    if (before.child_count > 0) throw badRequest('完成进度：有子事项的事项由子事项汇总，请在子事项上报送进展', 'percent');
    const progressId = newId();
    const status = await recordProgress(trx, ctx, actor, before, input, progressId);
    return {
      result: { id, progressId, status },
      entityId: id,
      before: { progress: before.progress, status: before.status },
      after: { progress: input.percent, status, evidence: input.attachmentIds.length },
    };
  });
}

/** The report itself, inside the caller's checked, audited transaction (reportProgress, import). */
export async function recordProgress(
  trx: Trx,
  ctx: Ctx,
  actor: Actor,
  item: RectificationItemTable,
  input: ProgressInput,
  progressId: string,
): Promise<RectificationItemTable['status']> {
  const now = ctx.now().toISOString();
  await trx
    .insertInto('rectification_progress')
    .values({
      id: progressId, item_id: item.id, percent: input.percent, note: input.note, evidence_count: new Set(input.attachmentIds).size,
      actor_id: actor.userId, actor_name: actor.displayName, created_at: now,
    })
    .execute();
  await attachFiles(trx, actor.userId, input.attachmentIds, 'rectification_progress', progressId);
  const status = input.percent >= 100 ? 'done' : input.percent > 0 || item.status !== 'not_started' ? 'in_progress' : 'not_started';
  await trx
    .updateTable('rectification_item')
    .set({ progress: input.percent, status, completed_at: status === 'done' ? now : null, updated_at: now })
    .where('id', '=', item.id)
    .execute();
  if (item.parent_id) await rollUp(trx, item.parent_id, now);
  return status;
}

/**
 * 销号: the campaign office closes a finished item after checking its evidence. An item without
 * sub-items needs at least one report with evidence; one with sub-items needs every sub-item closed.
 */
export async function signOffItem(ctx: Ctx, id: string, input: SignOffInput) {
  const actor = requirePermission(ctx, 'rectification:signoff');
  return runCommand(ctx, { action: 'sign_off', entityType: 'rectification_item' }, async (trx) => {
    const before = await scopedItem(trx, actor, id);
    assertOpen(before);
    if (before.status !== 'done') {
      throw badRequest(`状态：事项${ITEM_STATUS[before.status]}，完成（进度 100%）后才能销号`, 'status');
    }
    if (before.child_count > 0) {
      const open = await trx
        .selectFrom('rectification_item')
        .select('seq')
        .where('parent_id', '=', id)
        .where('status', '!=', 'signed_off')
        .orderBy('seq')
        .execute();
      if (open.length) throw badRequest(`子事项：第 ${open.map((o) => o.seq).join('、')} 项尚未销号`, 'children');
    } else {
      const evidence = await trx
        .selectFrom('rectification_progress')
        .select((eb) => eb.fn.sum<number>('evidence_count').as('n'))
        .where('item_id', '=', id)
        .executeTakeFirst();
      if (!Number(evidence?.n ?? 0)) throw badRequest('佐证材料：销号前须在整改进展中上传佐证材料', 'attachmentIds');
    }
    const now = ctx.now().toISOString();
    const set = { status: 'signed_off' as const, signed_off_at: now, signed_off_by: actor.userId, sign_off_note: input.note, updated_at: now };
    await trx.updateTable('rectification_item').set(set).where('id', '=', id).where('status', '=', 'done').execute();
    if (before.parent_id) await rollUp(trx, before.parent_id, now);
    return { result: { id }, entityId: id, before: { status: before.status }, after: set };
  });
}

// ---------------------------------------------------------------- adoption (开门纳谏 → 台账 / 项目清单)

/** Where an adopted opinion's item goes when the opinion names no campaign: the campaign running today. */
async function currentCampaign(trx: Trx, today: string): Promise<string | null> {
  const running = await trx
    .selectFrom('campaign')
    .select('id')
    .where('start_date', '<=', today)
    .orderBy('start_date', 'desc')
    .orderBy('id')
    .executeTakeFirst();
  if (running) return running.id;
  const any = await trx.selectFrom('campaign').select('id').orderBy('start_date').orderBy('id').executeTakeFirst();
  return any?.id ?? null;
}

async function rootUnit(trx: Trx): Promise<string> {
  const r = await trx.selectFrom('org_unit').select('id').where('parent_id', 'is', null).orderBy('sort').executeTakeFirstOrThrow();
  return r.id;
}

/** The item an adopted opinion becomes: in the opinion's unit (or the bureau), 边查边治 until the office plans it. */
async function itemFromOpinion(
  trx: Trx,
  ctx: Ctx,
  list: ItemList,
  a: { opinionId: string; title: string; note: string | null; content: string; campaignId: string | null; unitId: string | null },
): Promise<string | null> {
  const campaignId = a.campaignId ?? (await currentCampaign(trx, shanghaiDate(ctx.now())));
  if (!campaignId) return null; // no campaign yet: the adoption stays pending until one exists
  const title = a.title.length >= 4 ? a.title.slice(0, 100) : `${a.title}（群众意见）`;
  const row = await insertItem(trx, ctx, null, {
    campaignId, list, parentId: null, source: 'opinion', sourceRef: a.opinionId, categoryId: null, title,
    description: a.content.length >= 5 ? a.content : `${a.content}（群众意见原文）`,
    measures: a.note, goal: null, orgUnitId: a.unitId ?? (await rootUnit(trx)), responsiblePersonId: null, mode: 'concurrent',
    startDate: null, deadline: null, isPublic: false, weight: 1,
  });
  return row.id;
}

onOpinionAdopted('ledger', (trx, ctx, a) => itemFromOpinion(trx, ctx, 'ledger', a));
onOpinionAdopted('project', (trx, ctx, a) => itemFromOpinion(trx, ctx, 'project', a));

/**
 * Adoptions made before this module existed (the demo's eight, an older database's) become items now;
 * each is linked in the same transaction. Idempotent: a linked adoption is never taken again.
 */
export async function linkPendingAdoptions(ctx: Ctx): Promise<number> {
  const pending = [...(await pendingAdoptions(ctx.db, 'ledger')), ...(await pendingAdoptions(ctx.db, 'project'))];
  if (!pending.length) return 0;
  return runCommand(ctx, { action: 'link_adoptions', entityType: 'rectification_item' }, async (trx) => {
    const linked = await linkPendingIn(trx, ctx);
    return { result: linked, entityId: null, after: { linked } };
  });
}

/** linkPendingAdoptions inside a transaction the caller audits (the demo seed's). */
export async function linkPendingIn(trx: Trx, ctx: Ctx): Promise<number> {
  let linked = 0;
  for (const list of ['ledger', 'project'] as const) {
    for (const a of await pendingAdoptions(trx, list)) {
      const itemId = await itemFromOpinion(trx, ctx, list, a);
      if (!itemId) continue;
      await markAdoptionLinked(trx, a.adoptionId, itemId, ctx.now().toISOString());
      linked++;
    }
  }
  return linked;
}

// ---------------------------------------------------------------- the public's rating

/**
 * A citizen rates a finished published item: once per address and item (the address kept only as a
 * keyed digest), and at most 30 ratings an hour from one address.
 */
export async function ratePublicItem(ctx: Ctx, id: string, input: { rating: number; comment?: string | null }) {
  const item = await ctx.db
    .selectFrom('rectification_item')
    .select(['id', 'status', 'is_public'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!item || item.is_public !== 1) throw notFound('未找到公开的整治事项');
  if (item.status !== 'done' && item.status !== 'signed_off') throw conflict('评价：事项整改完成后才能评价');
  const rater = ipHash(ctx, ctx.ip);
  return runCommand(ctx, { action: 'rate', entityType: 'rectification_item' }, async (trx) => {
    await countSubmission(ctx, trx, 'rectification-rating', rater, 30);
    const now = ctx.now().toISOString();
    const inserted = await trx
      .insertInto('rectification_rating')
      .values({ id: newId(), item_id: id, rating: input.rating, comment: input.comment || null, rater_hash: rater, created_at: now })
      .onConflict((oc) => oc.columns(['item_id', 'rater_hash']).doNothing())
      .executeTakeFirst();
    if (!Number(inserted.numInsertedOrUpdatedRows ?? 0)) throw conflict('评价：您已评价过该事项');
    await trx
      .updateTable('rectification_item')
      .set((eb) => ({ rating_count: eb('rating_count', '+', 1), rating_sum: eb('rating_sum', '+', input.rating) }))
      .where('id', '=', id)
      .execute();
    return { result: { ok: true }, entityId: id, after: { rating: input.rating } };
  });
}
