import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { iterateList, listPage } from '../../platform/list.js';
import { shanghaiDate } from '../../platform/time.js';
import {
  APPLICANT_KINDS, CERT_DEPARTMENTS, VERIFY_METHODS, VERIFY_STATUSES,
  type CommitmentExportQuery, type CommitmentQuery, type CommitmentStatsQuery, type DishonestyQuery,
} from '../../../shared/schemas/commitments.js';
import { COMMITMENT_SCOPE, DISHONESTY_SCOPE } from './commands.js';

const label = <T extends Record<string, string>>(o: T, k: string | null) => (k ? (o[k as keyof T] ?? k) : null);

// ---- catalogue ----------------------------------------------------------------------------------

/** The whole catalogue (a few dozen items at most), in name order. Readable by every commitments reader. */
export async function listItems(ctx: Ctx) {
  const rows = await ctx.db.selectFrom('cert_item').selectAll().orderBy('department').orderBy('name').orderBy('id').execute();
  const items = rows.map((r) => ({
    id: r.id, name: r.name, department: r.department, departmentLabel: label(CERT_DEPARTMENTS, r.department), certificate: r.certificate,
    legalBasis: r.legal_basis, commitmentAllowed: !!r.commitment_allowed, samplingRate: r.sampling_rate, verifyDays: r.verify_days,
    barMonths: r.bar_months, template: r.template, enabled: !!r.enabled, updatedAt: r.updated_at,
  }));
  return { items, total: items.length };
}

// ---- commitments --------------------------------------------------------------------------------

function filtered(ctx: Ctx, actor: Actor, f: CommitmentExportQuery, today: string) {
  let from = applyScope(ctx.db.selectFrom('cert_commitment'), actor, COMMITMENT_SCOPE);
  if (f.queue === '1' || f.overdue === '1') from = from.where('cert_commitment.verify_status', '=', 'pending');
  else if (f.verifyStatus) from = from.where('cert_commitment.verify_status', '=', f.verifyStatus);
  if (f.overdue === '1') from = from.where('cert_commitment.verify_due', '<', today);
  if (f.itemId) from = from.where('cert_commitment.item_id', '=', f.itemId);
  if (f.orgUnitId) from = from.where('cert_commitment.org_unit_id', '=', f.orgUnitId);
  return from;
}

/** Latest first (index cert_commitment_order, _unit, _item, _status); the queue earliest due first (cert_commitment_queue). */
function orderOf(f: CommitmentExportQuery) {
  return f.queue === '1' || f.overdue === '1'
    ? ([['cert_commitment.verify_due', 'asc'], ['cert_commitment.id', 'asc']] as const)
    : ([['cert_commitment.handled_on', 'desc'], ['cert_commitment.id', 'desc']] as const);
}

function withNames(ctx: Ctx) {
  return (ids: string[]) =>
    ctx.db
      .selectFrom('cert_commitment')
      .innerJoin('cert_item', 'cert_item.id', 'cert_commitment.item_id')
      .innerJoin('org_unit', 'org_unit.id', 'cert_commitment.org_unit_id')
      .select([
        'cert_commitment.id', 'cert_commitment.item_id', 'cert_commitment.org_unit_id', 'cert_commitment.applicant_kind',
        'cert_commitment.applicant_name', 'cert_commitment.applicant_id_masked', 'cert_commitment.business_ref', 'cert_commitment.handled_on',
        'cert_commitment.text_digest', 'cert_commitment.signed_at', 'cert_commitment.sampling_rate', 'cert_commitment.draw_value',
        'cert_commitment.drawn', 'cert_commitment.verify_status', 'cert_commitment.verify_due', 'cert_commitment.verified_on',
        'cert_commitment.verify_method', 'cert_commitment.verify_note', 'cert_commitment.updated_at',
        'cert_item.name as item_name', 'cert_item.department', 'org_unit.name as org_unit_name',
      ])
      .where('cert_commitment.id', 'in', ids);
}

type Row = Awaited<ReturnType<ReturnType<ReturnType<typeof withNames>>['executeTakeFirstOrThrow']>>;

function present(r: Row, today: string) {
  return {
    id: r.id, itemId: r.item_id, itemName: r.item_name, department: r.department, departmentLabel: label(CERT_DEPARTMENTS, r.department),
    orgUnitId: r.org_unit_id, orgUnitName: r.org_unit_name, applicantKind: r.applicant_kind, applicantKindLabel: label(APPLICANT_KINDS, r.applicant_kind),
    applicantName: r.applicant_name, applicantIdNo: r.applicant_id_masked, businessRef: r.business_ref, handledOn: r.handled_on,
    digest: r.text_digest, signedAt: r.signed_at, samplingRate: r.sampling_rate, drawValue: r.draw_value, drawn: !!r.drawn,
    verifyStatus: r.verify_status, verifyStatusLabel: label(VERIFY_STATUSES, r.verify_status), verifyDue: r.verify_due,
    overdue: r.verify_status === 'pending' && !!r.verify_due && r.verify_due < today, verifiedOn: r.verified_on,
    verifyMethod: r.verify_method, verifyMethodLabel: label(VERIFY_METHODS, r.verify_method), verifyNote: r.verify_note, updatedAt: r.updated_at,
  };
}
export type CommitmentView = ReturnType<typeof present>;

export async function listCommitments(ctx: Ctx, actor: Actor, f: CommitmentQuery) {
  const today = shanghaiDate(ctx.now());
  const page = await listPage(ctx.db, {
    name: 'commitments',
    from: filtered(ctx, actor, f, today),
    id: 'cert_commitment.id',
    order: orderOf(f),
    rows: withNames(ctx),
    // One index answers one filter; two together, or the overdue cut, are counted up to the cap.
    count: [f.itemId, f.orgUnitId, f.verifyStatus || f.queue === '1' ? 's' : undefined].filter(Boolean).length > 1 || f.overdue === '1' ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map((r) => present(r, today)) };
}

export async function* iterateCommitments(ctx: Ctx, actor: Actor, f: CommitmentExportQuery) {
  const today = shanghaiDate(ctx.now());
  for await (const r of iterateList({ name: 'commitments-export', from: filtered(ctx, actor, f, today), id: 'cert_commitment.id', order: orderOf(f), rows: withNames(ctx) })) {
    yield present(r, today);
  }
}

/** One commitment with the text as signed. */
export async function getCommitment(ctx: Ctx, actor: Actor, id: string) {
  const found = await applyScope(ctx.db.selectFrom('cert_commitment').select(['cert_commitment.id', 'cert_commitment.signed_text']), actor, COMMITMENT_SCOPE)
    .where('cert_commitment.id', '=', id)
    .executeTakeFirst();
  if (!found) throw notFound('承诺记录不存在或不在您的数据范围内');
  const row = await withNames(ctx)([id]).executeTakeFirstOrThrow();
  const listing = await ctx.db.selectFrom('cert_dishonesty').select(['id', 'listed_on', 'bar_until', 'lifted_on']).where('commitment_id', '=', id).executeTakeFirst();
  return {
    ...present(row, shanghaiDate(ctx.now())),
    signedText: found.signed_text,
    dishonesty: listing ? { id: listing.id, listedOn: listing.listed_on, barUntil: listing.bar_until, liftedOn: listing.lifted_on } : null,
  };
}

// ---- dishonesty list ----------------------------------------------------------------------------

export async function listDishonesty(ctx: Ctx, actor: Actor, f: DishonestyQuery) {
  const today = shanghaiDate(ctx.now());
  let from = applyScope(ctx.db.selectFrom('cert_dishonesty'), actor, DISHONESTY_SCOPE);
  if (f.active === '1') from = from.where('cert_dishonesty.lifted_at', 'is', null).where('cert_dishonesty.bar_until', '>=', today);
  const page = await listPage(ctx.db, {
    name: 'commitment-dishonesty',
    from,
    id: 'cert_dishonesty.id',
    order: [['cert_dishonesty.listed_on', 'desc'], ['cert_dishonesty.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('cert_dishonesty')
        .innerJoin('cert_item', 'cert_item.id', 'cert_dishonesty.item_id')
        .innerJoin('org_unit', 'org_unit.id', 'cert_dishonesty.org_unit_id')
        .select([
          'cert_dishonesty.id', 'cert_dishonesty.applicant_kind', 'cert_dishonesty.applicant_name', 'cert_dishonesty.applicant_id_masked',
          'cert_dishonesty.item_id', 'cert_dishonesty.commitment_id', 'cert_dishonesty.org_unit_id', 'cert_dishonesty.listed_on',
          'cert_dishonesty.bar_until', 'cert_dishonesty.lifted_on', 'cert_dishonesty.lift_reason', 'cert_item.name as item_name',
          'org_unit.name as org_unit_name',
        ])
        .where('cert_dishonesty.id', 'in', ids),
    count: f.active === '1' ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    items: page.items.map((r) => ({
      id: r.id, applicantKind: r.applicant_kind, applicantName: r.applicant_name, applicantIdNo: r.applicant_id_masked, itemId: r.item_id,
      itemName: r.item_name, commitmentId: r.commitment_id, orgUnitId: r.org_unit_id, orgUnitName: r.org_unit_name, listedOn: r.listed_on,
      barUntil: r.bar_until, liftedOn: r.lifted_on, liftReason: r.lift_reason, active: !r.lifted_on && r.bar_until >= today,
    })),
  };
}

// ---- statistics ---------------------------------------------------------------------------------

/** Per item, in scope: commitments, drawn, verified (an outcome recorded), false, dishonest applicants (distinct). */
export async function commitmentStats(ctx: Ctx, actor: Actor | null, f: CommitmentStatsQuery = {}) {
  let q = ctx.db
    .selectFrom('cert_commitment')
    .select([
      'cert_commitment.item_id',
      sql<number>`count(*)`.as('total'),
      sql<number>`sum(cert_commitment.drawn)`.as('drawn'),
      sql<number>`sum(case when cert_commitment.verify_status in ('true', 'false') then 1 else 0 end)`.as('verified'),
      sql<number>`sum(case when cert_commitment.verify_status = 'false' then 1 else 0 end)`.as('false_count'),
      sql<number>`count(distinct case when cert_commitment.verify_status = 'false' then cert_commitment.applicant_id_index end)`.as('dishonest'),
      sql<number>`sum(case when cert_commitment.verify_status = 'pending' and cert_commitment.verify_due < ${shanghaiDate(ctx.now())} then 1 else 0 end)`.as('overdue'),
    ])
    .groupBy('cert_commitment.item_id');
  if (actor) q = applyScope(q, actor, COMMITMENT_SCOPE);
  if (f.orgUnitId) q = q.where('cert_commitment.org_unit_id', '=', f.orgUnitId);
  if (f.from) q = q.where('cert_commitment.handled_on', '>=', f.from);
  if (f.to) q = q.where('cert_commitment.handled_on', '<=', f.to);
  const byItem = new Map((await q.execute()).map((r) => [r.item_id, r]));
  const items = (await listItems(ctx)).items.map((i) => {
    const r = byItem.get(i.id);
    const n = (v: unknown) => Number(v ?? 0);
    return {
      itemId: i.id, itemName: i.name, departmentLabel: i.departmentLabel, samplingRate: i.samplingRate, total: n(r?.total), drawn: n(r?.drawn),
      verified: n(r?.verified), false: n(r?.false_count), dishonest: n(r?.dishonest), overdue: n(r?.overdue),
    };
  });
  const sum = (k: 'total' | 'drawn' | 'verified' | 'false' | 'dishonest' | 'overdue') => items.reduce((s, i) => s + i[k], 0);
  return {
    items,
    totals: { total: sum('total'), drawn: sum('drawn'), verified: sum('verified'), false: sum('false'), dishonest: sum('dishonest'), overdue: sum('overdue') },
  };
}

/** commitments.total and commitments.verified (CONTRACTS.md), in the viewer's scope. */
export async function commitmentFigures(ctx: Ctx) {
  let q = ctx.db
    .selectFrom('cert_commitment')
    .select([sql<number>`count(*)`.as('total'), sql<number>`sum(case when cert_commitment.verify_status in ('true', 'false') then 1 else 0 end)`.as('verified')]);
  if (ctx.actor) q = applyScope(q, ctx.actor, COMMITMENT_SCOPE);
  const r = await q.executeTakeFirstOrThrow();
  return { total: Number(r.total ?? 0), verified: Number(r.verified ?? 0) };
}
