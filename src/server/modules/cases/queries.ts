import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { shanghaiDate } from '../../platform/time.js';
import {
  DISPUTE_TYPES, MEDIATION_OUTCOMES, MEDIATION_STATUSES, RECONSIDERATION_OUTCOMES, RECONSIDERATION_STATUSES,
  type MediationQuery, type ReconsiderationQuery,
} from '../../../shared/schemas/cases.js';
import { MEDIATION_SCOPE, RECONSIDERATION_SCOPE } from './commands.js';

const label = <T extends Record<string, string>>(o: T, k: string | null) => (k ? (o[k as keyof T] ?? k) : null);

/** Days from today to a due date (negative: overdue by that many). */
function daysLeft(due: string | null, today: string) {
  if (!due) return null;
  return Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

type Table = 'reconsideration_case' | 'mediation_case';

/**
 * Filters shared by both lists. Latest received first (index *_order, *_unit, *_status); overdue
 * cases (an open case's running deadline before today) most overdue first (index *_due).
 */
function listSpec<T extends Table>(ctx: Ctx, actor: Actor, table: T, f: ReconsiderationQuery | MediationQuery, today: string) {
  const t = table as 'reconsideration_case';
  let from = applyScope(ctx.db.selectFrom(t), actor, table === 'mediation_case' ? MEDIATION_SCOPE : RECONSIDERATION_SCOPE);
  if (f.overdue === '1') from = from.where(`${t}.due_on`, '<', today);
  if (f.status) from = from.where(`${t}.status`, '=', f.status as never);
  if (f.orgUnitId) from = from.where(`${t}.org_unit_id`, '=', f.orgUnitId);
  if (f.from) from = from.where(`${t}.received_on`, '>=', f.from);
  if (f.to) from = from.where(`${t}.received_on`, '<=', f.to);
  const order =
    f.overdue === '1'
      ? ([[`${table}.due_on`, 'asc'], [`${table}.id`, 'asc']] as const)
      : ([[`${table}.received_on`, 'desc'], [`${table}.id`, 'desc']] as const);
  const filters = [f.status, f.orgUnitId, f.overdue === '1' ? 'o' : undefined].filter(Boolean).length;
  return { from, order, count: filters > 1 || f.from || f.to ? ('capped' as const) : ('exact' as const) };
}

// ---- 行政复议 ------------------------------------------------------------------------------------

function reconsiderationRows(ctx: Ctx) {
  return (ids: string[]) =>
    ctx.db
      .selectFrom('reconsideration_case')
      .innerJoin('org_unit', 'org_unit.id', 'reconsideration_case.org_unit_id')
      .selectAll('reconsideration_case')
      .select('org_unit.name as org_unit_name')
      .where('reconsideration_case.id', 'in', ids);
}
type RRow = Awaited<ReturnType<ReturnType<ReturnType<typeof reconsiderationRows>>['executeTakeFirstOrThrow']>>;

function presentReconsideration(r: RRow, today: string) {
  return {
    id: r.id, caseNo: r.case_no, orgUnitId: r.org_unit_id, orgUnitName: r.org_unit_name, applicant: r.applicant, respondent: r.respondent,
    act: r.act, request: r.request, receivedOn: r.received_on, acceptDue: r.accept_due, acceptedOn: r.accepted_on,
    notAcceptedReason: r.not_accepted_reason, decisionDue: r.decision_due, extensionDays: r.extension_days, extensionReason: r.extension_reason,
    status: r.status, statusLabel: label(RECONSIDERATION_STATUSES, r.status), dueOn: r.due_on, daysLeft: daysLeft(r.due_on, today),
    overdue: !!r.due_on && r.due_on < today, outcome: r.outcome, outcomeLabel: label(RECONSIDERATION_OUTCOMES, r.outcome),
    closedOn: r.closed_on, note: r.note, updatedAt: r.updated_at,
  };
}

export async function listReconsiderations(ctx: Ctx, actor: Actor, f: ReconsiderationQuery) {
  const today = shanghaiDate(ctx.now());
  const spec = listSpec(ctx, actor, 'reconsideration_case', f, today);
  const page = await listPage(ctx.db, {
    name: 'reconsiderations', from: spec.from, id: 'reconsideration_case.id', order: spec.order, rows: reconsiderationRows(ctx),
    count: spec.count, page: f.page, pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map((r) => presentReconsideration(r, today)) };
}

export async function getReconsideration(ctx: Ctx, actor: Actor, id: string) {
  const row = await applyScope(reconsiderationRows(ctx)([id]), actor, RECONSIDERATION_SCOPE).executeTakeFirst();
  if (!row) throw notFound('行政复议案件不存在或不在您的数据范围内');
  return presentReconsideration(row, shanghaiDate(ctx.now()));
}

// ---- 企业矛盾纠纷调解 -----------------------------------------------------------------------------

function mediationRows(ctx: Ctx) {
  return (ids: string[]) =>
    ctx.db
      .selectFrom('mediation_case')
      .innerJoin('org_unit', 'org_unit.id', 'mediation_case.org_unit_id')
      .innerJoin('person', 'person.id', 'mediation_case.mediator_person_id')
      .selectAll('mediation_case')
      .select(['org_unit.name as org_unit_name', 'person.name as mediator_name'])
      .where('mediation_case.id', 'in', ids);
}
type MRow = Awaited<ReturnType<ReturnType<ReturnType<typeof mediationRows>>['executeTakeFirstOrThrow']>>;

function presentMediation(r: MRow, today: string) {
  return {
    id: r.id, caseNo: r.case_no, orgUnitId: r.org_unit_id, orgUnitName: r.org_unit_name,
    parties: JSON.parse(r.parties) as { name: string; code: string | null }[], partyNames: r.party_names, disputeType: r.dispute_type,
    disputeTypeLabel: label(DISPUTE_TYPES, r.dispute_type), amount: r.amount === null ? null : Number(r.amount), summary: r.summary,
    mediatorPersonId: r.mediator_person_id, mediatorName: r.mediator_name, receivedOn: r.received_on, periodDays: r.period_days,
    deadline: r.deadline, dueOn: r.due_on, daysLeft: daysLeft(r.due_on, today), overdue: !!r.due_on && r.due_on < today,
    status: r.status, statusLabel: label(MEDIATION_STATUSES, r.status), outcome: r.outcome, outcomeLabel: label(MEDIATION_OUTCOMES, r.outcome),
    closedOn: r.closed_on, note: r.note, updatedAt: r.updated_at,
  };
}

export async function listMediations(ctx: Ctx, actor: Actor, f: MediationQuery) {
  const today = shanghaiDate(ctx.now());
  const spec = listSpec(ctx, actor, 'mediation_case', f, today);
  const page = await listPage(ctx.db, {
    name: 'mediations', from: spec.from as never, id: 'mediation_case.id', order: spec.order, rows: mediationRows(ctx),
    count: spec.count, page: f.page, pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map((r) => presentMediation(r, today)) };
}

export async function getMediation(ctx: Ctx, actor: Actor, id: string) {
  const row = await applyScope(mediationRows(ctx)([id]), actor, MEDIATION_SCOPE).executeTakeFirst();
  if (!row) throw notFound('调解案件不存在或不在您的数据范围内');
  return presentMediation(row, shanghaiDate(ctx.now()));
}

/** How many open cases of each kind are past their running deadline, in scope. */
export async function overdueCounts(ctx: Ctx, actor: Actor) {
  const today = shanghaiDate(ctx.now());
  const r = await applyScope(ctx.db.selectFrom('reconsideration_case').select(sql<number>`count(*)`.as('n')), actor, RECONSIDERATION_SCOPE)
    .where('reconsideration_case.due_on', '<', today)
    .executeTakeFirstOrThrow();
  const m = await applyScope(ctx.db.selectFrom('mediation_case').select(sql<number>`count(*)`.as('n')), actor, MEDIATION_SCOPE)
    .where('mediation_case.due_on', '<', today)
    .executeTakeFirstOrThrow();
  return { reconsideration: Number(r.n), mediation: Number(m.n), today };
}
