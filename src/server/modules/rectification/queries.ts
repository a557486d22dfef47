import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope, hasAllScope } from '../../platform/access.js';
import { listPage } from '../../platform/list.js';
import { contains } from '../../platform/sqlx.js';
import { shanghaiDate } from '../../platform/time.js';
import { listAttachments } from '../files/queries.js';
import { adoptionRefsByReceipt } from '../opinions/public.js';
import { opinionStats } from '../opinions/stats.js';
import { campaignToShowFor } from '../campaigns/queries.js';
import { notFound } from '../../platform/errors.js';
import {
  CATEGORY_KINDS, ITEM_LISTS, ITEM_SOURCES, ITEM_STATES, ITEM_STATUS, RECTIFY_MODES, REPORTING_CHANNELS, itemState,
  type ItemQuery, type ItemState,
} from '../../../shared/schemas/rectification.js';
import { ITEM_SCOPE, scopedItem } from './commands.js';

const today = (ctx: Ctx) => shanghaiDate(ctx.now());

/** The campaign a ledger opens on (see campaignToShow): in progress, else the latest begun with items. */
export async function defaultCampaignId(ctx: Ctx): Promise<string | null> {
  return campaignToShowFor(ctx, 'rectification_item');
}

// ---------------------------------------------------------------- catalogue

export async function listCategories(ctx: Ctx, campaignId: string | null) {
  if (!campaignId) return { items: [], total: 0, campaignId: null };
  const rows = await ctx.db
    .selectFrom('problem_category')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('sort')
    .orderBy('id')
    .execute();
  const items = rows.map((r) => ({
    id: r.id, campaignId: r.campaign_id, code: r.code, kind: r.kind, kindLabel: CATEGORY_KINDS[r.kind], name: r.name,
    description: r.description, sort: r.sort, enabled: r.enabled === 1,
  }));
  return { items, total: items.length, campaignId };
}

// ---------------------------------------------------------------- items

/** The displayed columns of some items: names of the unit, the responsible person, the category, the parent's number. */
function withNames(ctx: Ctx) {
  return ctx.db
    .selectFrom('rectification_item')
    .innerJoin('org_unit', 'org_unit.id', 'rectification_item.org_unit_id')
    .leftJoin('person', 'person.id', 'rectification_item.responsible_person_id')
    .leftJoin('problem_category', 'problem_category.id', 'rectification_item.category_id')
    .leftJoin('rectification_item as parent', 'parent.id', 'rectification_item.parent_id')
    .selectAll('rectification_item')
    .select([
      'org_unit.name as org_unit_name', 'person.name as person_name', 'problem_category.name as category_name',
      'problem_category.code as category_code', 'parent.seq as parent_seq',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof withNames>['executeTakeFirstOrThrow']>>;

function present(r: Row, day: string) {
  const state = itemState(r.status, r.deadline, day);
  return {
    id: r.id,
    campaignId: r.campaign_id,
    list: r.list,
    listLabel: ITEM_LISTS[r.list],
    number: r.parent_seq !== null && r.parent_seq !== undefined ? `${r.parent_seq}-${r.seq}` : String(r.seq),
    seq: r.seq,
    parentId: r.parent_id,
    childCount: r.child_count,
    source: r.source,
    sourceLabel: ITEM_SOURCES[r.source as keyof typeof ITEM_SOURCES] ?? r.source,
    sourceRef: r.source_ref,
    categoryId: r.category_id,
    categoryName: r.category_name ?? null,
    categoryCode: r.category_code ?? null,
    title: r.title,
    description: r.description,
    measures: r.measures,
    goal: r.goal,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    responsiblePersonId: r.responsible_person_id,
    responsiblePersonName: r.person_name ?? null,
    mode: r.mode,
    modeLabel: RECTIFY_MODES[r.mode],
    startDate: r.start_date,
    deadline: r.deadline,
    isPublic: r.is_public === 1,
    weight: Number(r.weight),
    progress: Number(r.progress),
    status: r.status,
    state,
    stateLabel: ITEM_STATES[state],
    completedAt: r.completed_at,
    signedOffAt: r.signed_off_at,
    signOffNote: r.sign_off_note,
    rating: r.rating_count ? { count: r.rating_count, average: Math.round((r.rating_sum / r.rating_count) * 10) / 10 } : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type ItemView = ReturnType<typeof present>;

/** The main table with scope and filters: the list's `from`, also the exports' and the counts'. */
function filtered(ctx: Ctx, actor: Actor, f: Partial<ItemQuery> & { campaignId: string }, day: string) {
  let q = ctx.db
    .selectFrom('rectification_item')
    .where('rectification_item.campaign_id', '=', f.campaignId)
    .where('rectification_item.list', '=', f.list ?? 'ledger');
  if (f.parentId !== undefined || hasAllScope(actor)) {
    q = q.where('rectification_item.parent_key', '=', f.parentId ?? '');
  } else {
    // A county's share of a city-wide item (one sub-item per county) is on the county's own list: the
    // top-level items it may see, and its sub-items whose parent it may not.
    q = q.where((eb) =>
      eb.or([
        eb('rectification_item.parent_key', '=', ''),
        eb.not(
          eb.exists(
            applyScope(eb.selectFrom('rectification_item as p').select('p.id'), actor, PARENT_SCOPE).whereRef('p.id', '=', 'rectification_item.parent_id'),
          ),
        ),
      ]),
    );
  }
  q = applyScope(q, actor, ITEM_SCOPE);
  if (f.orgUnitId) q = q.where('rectification_item.org_unit_id', '=', f.orgUnitId); // index rectification_item_unit
  if (f.categoryId) q = q.where('rectification_item.category_id', '=', f.categoryId); // rectification_item_category
  if (f.source) q = q.where('rectification_item.source', '=', f.source); // rectification_item_source
  if (f.state === 'overdue') {
    q = q.where('rectification_item.status', 'in', ['not_started', 'in_progress']).where('rectification_item.deadline', '<', day);
  } else if (f.state === 'not_started' || f.state === 'in_progress') {
    // An open item past its deadline shows as 已逾期, not as its stored state.
    const state = f.state;
    q = q
      .where('rectification_item.status', '=', state)
      .where((eb) => eb.or([eb('rectification_item.deadline', 'is', null), eb('rectification_item.deadline', '>=', day)]));
  } else if (f.state) {
    q = q.where('rectification_item.status', '=', f.state); // rectification_item_status
  }
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([contains('rectification_item.title', text), contains('rectification_item.description', text)]));
  }
  return q;
}

const PARENT_SCOPE = { unit: 'p.org_unit_id', person: 'p.responsible_person_id' };

/** Filters an index answers alone (equalities ahead of seq); anything else counts up to the cap. */
const exactCount = (f: Partial<ItemQuery>) => !f.q && (!f.state || f.state === 'done' || f.state === 'signed_off');

export async function listItems(ctx: Ctx, actor: Actor, f: ItemQuery) {
  const campaignId = f.campaignId ?? (await defaultCampaignId(ctx));
  if (!campaignId) return { items: [], total: 0, campaignId: null };
  const day = today(ctx);
  const page = await listPage(ctx.db, {
    name: 'rectification',
    from: filtered(ctx, actor, { ...f, campaignId }, day),
    id: 'rectification_item.id',
    // 序号 within (campaign, list, parent): unique (index rectification_item_order), so it alone is a total order.
    order: [['rectification_item.seq', 'asc']],
    rows: (ids) => withNames(ctx).where('rectification_item.id', 'in', ids),
    count: exactCount(f) && (f.parentId !== undefined || hasAllScope(actor)) ? 'exact' : 'capped',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map((r) => present(r, day)), campaignId };
}

/** Every matching item in ledger order, sub-items after their parent (the Excel export). */
export async function* iterateItems(ctx: Ctx, actor: Actor, f: Partial<ItemQuery> & { campaignId: string }) {
  const day = today(ctx);
  const tops = await filtered(ctx, actor, { ...f, parentId: undefined }, day)
    .select('rectification_item.id')
    .orderBy('rectification_item.seq')
    .execute();
  // (A sub-item listed on its own, its parent being out of scope, has no children: one level only.)
  for (let i = 0; i < tops.length; i += 200) {
    const ids = tops.slice(i, i + 200).map((t) => t.id);
    const parents = await withNames(ctx).where('rectification_item.id', 'in', ids).orderBy('rectification_item.seq').execute();
    const children = await applyScope(withNames(ctx), actor, ITEM_SCOPE)
      .where('rectification_item.parent_id', 'in', ids)
      .orderBy('rectification_item.seq')
      .execute();
    for (const p of parents) {
      yield present(p, day);
      for (const c of children) if (c.parent_id === p.id) yield present(c, day);
    }
  }
}

export async function getItem(ctx: Ctx, actor: Actor, id: string) {
  await scopedItem(ctx.db, actor, id);
  const day = today(ctx);
  const row = await withNames(ctx).where('rectification_item.id', '=', id).executeTakeFirstOrThrow();
  const [children, reports] = await Promise.all([
    applyScope(withNames(ctx), actor, ITEM_SCOPE).where('rectification_item.parent_id', '=', id).orderBy('rectification_item.seq').execute(),
    ctx.db
      .selectFrom('rectification_progress')
      .selectAll()
      .where('item_id', '=', id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  ]);
  const progress = await Promise.all(
    reports.map(async (p) => ({
      id: p.id, percent: p.percent, note: p.note, actorName: p.actor_name, createdAt: p.created_at,
      attachments: p.evidence_count ? await listAttachments(ctx.db, 'rectification_progress', p.id) : [],
    })),
  );
  return { ...present(row, day), children: children.map((c) => present(c, day)), progressReports: progress };
}

/** Whether the caller may read this progress report's files: they may read its item. */
export async function progressInScope(ctx: Ctx, progressId: string): Promise<boolean> {
  if (!ctx.actor || !ctx.actor.permissions.has('rectification:read')) return false;
  const p = await ctx.db.selectFrom('rectification_progress').select('item_id').where('id', '=', progressId).executeTakeFirst();
  if (!p) return false;
  const found = await applyScope(ctx.db.selectFrom('rectification_item').select('rectification_item.id'), ctx.actor, ITEM_SCOPE)
    .where('rectification_item.id', '=', p.item_id)
    .executeTakeFirst();
  return Boolean(found);
}

// ---------------------------------------------------------------- figures

/** ledger.total, ledger.byStatus (stored states, by label), ledger.overdue; within the viewer's scope (null: all). */
export async function ledgerStats(ctx: Ctx, actor: Actor | null, campaignId?: string) {
  const day = today(ctx);
  let q = ctx.db.selectFrom('rectification_item').where('rectification_item.list', '=', 'ledger');
  if (actor) q = applyScope(q, actor, ITEM_SCOPE);
  if (campaignId) q = q.where('rectification_item.campaign_id', '=', campaignId);
  const rows = await q
    .select([
      'rectification_item.status as status',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when rectification_item.deadline < ${day} then 1 else 0 end)`.as('late'),
    ])
    .groupBy('rectification_item.status')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  const late = (s: string) => Number(rows.find((r) => r.status === s)?.late ?? 0);
  return {
    total: rows.reduce((a, r) => a + Number(r.n), 0),
    byStatus: Object.fromEntries(Object.entries(ITEM_STATUS).map(([code, label]) => [label, n(code)])),
    overdue: late('not_started') + late('in_progress'),
  };
}

// ---------------------------------------------------------------- the public face

function presentPublic(r: Row, day: string) {
  const state: ItemState = itemState(r.status, r.deadline, day);
  return {
    id: r.id,
    title: r.title,
    goal: r.goal,
    measures: r.measures,
    unitName: r.org_unit_name,
    deadline: r.deadline,
    progress: Number(r.progress),
    status: state,
    statusLabel: ITEM_STATES[state],
    list: ITEM_LISTS[r.list],
    fromPublicOpinion: r.source === 'opinion',
    reportingChannel: REPORTING_CHANNELS,
    rating: r.rating_count ? { count: r.rating_count, average: Math.round((r.rating_sum / r.rating_count) * 10) / 10 } : null,
    canRate: r.status === 'done' || r.status === 'signed_off',
    updatedAt: r.updated_at,
  };
}

/** GET /api/public/rectification: published top-level items, newest first (index rectification_item_public). */
export async function publicItems(ctx: Ctx, f: { page: number; pageSize: number }) {
  const day = today(ctx);
  const page = await listPage(ctx.db, {
    name: 'rectification-public',
    from: ctx.db.selectFrom('rectification_item').where('rectification_item.is_public', '=', 1).where('rectification_item.parent_key', '=', ''),
    id: 'rectification_item.id',
    order: [['rectification_item.created_at', 'desc'], ['rectification_item.id', 'desc']],
    rows: (ids) => withNames(ctx).where('rectification_item.id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map((r) => presentPublic(r, day)), reportingChannel: REPORTING_CHANNELS };
}

/** One published item; an unpublished or unknown id is 404 alike. */
export async function publicItem(ctx: Ctx, id: string) {
  const r = await withNames(ctx).where('rectification_item.id', '=', id).where('rectification_item.is_public', '=', 1).executeTakeFirst();
  if (!r) throw notFound('未找到公开的整治事项');
  return presentPublic(r, today(ctx));
}

/** From a receipt code to the published items the opinion became (its own code: nothing else is revealed). */
export async function followReceipt(ctx: Ctx, code: string) {
  const found = await adoptionRefsByReceipt(ctx, code);
  if (!found) throw notFound('查询码不存在，请核对后重新输入');
  const day = today(ctx);
  const rows = found.refs.length
    ? await withNames(ctx).where('rectification_item.id', 'in', found.refs).where('rectification_item.is_public', '=', 1).execute()
    : [];
  return { publicNo: found.publicNo, items: rows.map((r) => presentPublic(r, day)), adopted: found.refs.length };
}

/**
 * Each unit's 按期办结率 and 满意率 for public opinions, as 12345 hotlines publish theirs: the same
 * figures the staff statistics compute, live. Units with nothing to measure are left out.
 */
export async function publicUnitRates(ctx: Ctx) {
  const s = await opinionStats(ctx, null);
  return {
    onTimeReplyRate: s.onTimeReplyRate,
    satisfactionRate: s.satisfactionRate,
    units: s.byUnit
      .filter((u) => u.unitId && (u.due > 0 || u.rated > 0))
      .map((u) => ({ unitName: u.unitName, replied: u.replied, onTimeRate: u.onTimeRate, satisfactionRate: u.satisfactionRate })),
  };
}
