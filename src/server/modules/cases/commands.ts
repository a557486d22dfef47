import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { assertUnitWritable, peopleInScope, type ScopeColumns } from '../../platform/access.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { shanghaiDate } from '../../platform/time.js';
import { loadCalendar } from '../../platform/workdays.js';
import type { MediationCaseTable, ReconsiderationCaseTable } from '../../db/types-commitments.js';
import type {
  AcceptanceInput, ExtensionInput, MediationCloseInput, MediationInput, ReconsiderationDecisionInput, ReconsiderationInput, WithdrawInput,
} from '../../../shared/schemas/cases.js';
import { caseDeadlines } from './deadlines.js';

// 案件受理: 行政复议申请 and 企业矛盾纠纷调解 cases. Each belongs to its handling unit (data scope); the
// server computes every deadline (deadlines.ts) and keeps the one running now in due_on, so the
// overdue warning is one index range. Every state change is one audited command.

export const RECONSIDERATION_SCOPE: ScopeColumns = { unit: 'reconsideration_case.org_unit_id' };
export const MEDIATION_SCOPE: ScopeColumns = { unit: 'mediation_case.org_unit_id' };

async function checkUnit(trx: Trx, ctx: Ctx, unitId: string) {
  if (!(await trx.selectFrom('org_unit').select('id').where('id', '=', unitId).executeTakeFirst())) throw badRequest('承办单位：不存在', 'orgUnitId');
  await assertUnitWritable(trx, ctx.actor!, unitId, '所选承办单位');
}

function notFuture(ctx: Ctx, date: string, label: string, field: string) {
  if (date > shanghaiDate(ctx.now())) throw badRequest(`${label}：不能晚于今天`, field);
}

// ---- 行政复议 ------------------------------------------------------------------------------------

export async function createReconsideration(ctx: Ctx, input: ReconsiderationInput) {
  const actor = requirePermission(ctx, 'cases:write');
  return runCommand(ctx, { action: 'create', entityType: 'reconsideration_case' }, async (trx) => {
    notFuture(ctx, input.receivedOn, '收到申请日期', 'receivedOn');
    await checkUnit(trx, ctx, input.orgUnitId);
    const { acceptDue } = caseDeadlines({ kind: 'reconsideration', receivedOn: input.receivedOn }, await loadCalendar(trx));
    const now = ctx.now().toISOString();
    const row: ReconsiderationCaseTable = {
      id: newId(), case_no: input.caseNo || null, org_unit_id: input.orgUnitId, applicant: input.applicant, respondent: input.respondent,
      act: input.act, request: input.request || null, received_on: input.receivedOn, accept_due: acceptDue!, accepted_on: null,
      not_accepted_reason: null, decision_due: null, extension_days: null, extension_reason: null, status: 'received', due_on: acceptDue!,
      outcome: null, closed_on: null, note: null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('reconsideration_case').values(row).execute();
    return { result: { id: row.id, acceptDue }, entityId: row.id, after: row };
  });
}

async function reconsiderationFor(trx: Trx, ctx: Ctx, id: string) {
  const row = await trx.selectFrom('reconsideration_case').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('行政复议案件不存在');
  await assertUnitWritable(trx, ctx.actor!, row.org_unit_id, '该案件的承办单位');
  return row;
}

async function updateReconsideration(
  ctx: Ctx, id: string, action: string,
  change: (before: ReconsiderationCaseTable, trx: Trx) => Promise<Partial<ReconsiderationCaseTable>>,
) {
  requirePermission(ctx, 'cases:write');
  return runCommand(ctx, { action, entityType: 'reconsideration_case' }, async (trx) => {
    const before = await reconsiderationFor(trx, ctx, id);
    const set = { ...(await change(before, trx)), updated_at: ctx.now().toISOString() };
    await trx.updateTable('reconsideration_case').set(set).where('id', '=', id).execute();
    const after = { ...before, ...set };
    return { result: { id, status: after.status, dueOn: after.due_on, decisionDue: after.decision_due }, entityId: id, before, after };
  });
}

/** 受理审查: accepted (the 60 days start the day after) or not accepted, with the reason. */
export const decideAcceptance = (ctx: Ctx, id: string, input: AcceptanceInput) =>
  updateReconsideration(ctx, id, input.accepted ? 'accept' : 'not_accept', async (before, trx) => {
    if (before.status !== 'received') throw conflict('受理审查：该申请已作出受理决定', 'accepted');
    if (input.decidedOn < before.received_on) throw badRequest('受理审查日期：不能早于收到申请日期', 'decidedOn');
    notFuture(ctx, input.decidedOn, '受理审查日期', 'decidedOn');
    if (!input.accepted) return { status: 'not_accepted', not_accepted_reason: input.reason!, closed_on: input.decidedOn, due_on: null };
    const { decisionDue } = caseDeadlines({ kind: 'reconsideration', receivedOn: before.received_on, acceptedOn: input.decidedOn }, await loadCalendar(trx));
    return { status: 'accepted', accepted_on: input.decidedOn, decision_due: decisionDue!, due_on: decisionDue! };
  });

/** 延期: once, by at most 30 days, with the reason, while the case is open. */
export const extendReconsideration = (ctx: Ctx, id: string, input: ExtensionInput) =>
  updateReconsideration(ctx, id, 'extend', async (before, trx) => {
    if (before.status !== 'accepted') throw conflict('延期：只有已受理、尚未作出决定的案件可以延期', 'days');
    if (before.extension_days) throw conflict('延期：审理期限只能延长一次', 'days');
    const { decisionDue } = caseDeadlines(
      { kind: 'reconsideration', receivedOn: before.received_on, acceptedOn: before.accepted_on, extensionDays: input.days },
      await loadCalendar(trx),
    );
    return { extension_days: input.days, extension_reason: input.reason, decision_due: decisionDue!, due_on: decisionDue! };
  });

export const decideReconsideration = (ctx: Ctx, id: string, input: ReconsiderationDecisionInput) =>
  updateReconsideration(ctx, id, 'decide', async (before) => {
    if (before.status !== 'accepted') throw conflict('复议决定：只有已受理、尚未作出决定的案件可以登记决定', 'outcome');
    if (input.decidedOn < before.accepted_on!) throw badRequest('决定日期：不能早于受理日期', 'decidedOn');
    notFuture(ctx, input.decidedOn, '决定日期', 'decidedOn');
    return { status: 'decided', outcome: input.outcome, closed_on: input.decidedOn, note: input.note || null, due_on: null };
  });

export const withdrawReconsideration = (ctx: Ctx, id: string, input: WithdrawInput) =>
  updateReconsideration(ctx, id, 'withdraw', async (before) => {
    if (before.status !== 'received' && before.status !== 'accepted') throw conflict('撤回：该案件已办结', 'withdrawnOn');
    if (input.withdrawnOn < before.received_on) throw badRequest('撤回日期：不能早于收到申请日期', 'withdrawnOn');
    notFuture(ctx, input.withdrawnOn, '撤回日期', 'withdrawnOn');
    return { status: 'withdrawn', closed_on: input.withdrawnOn, note: input.note || null, due_on: null };
  });

// ---- 企业矛盾纠纷调解 -----------------------------------------------------------------------------

export async function createMediation(ctx: Ctx, input: MediationInput) {
  const actor = requirePermission(ctx, 'cases:write');
  return runCommand(ctx, { action: 'create', entityType: 'mediation_case' }, async (trx) => {
    notFuture(ctx, input.receivedOn, '受理日期', 'receivedOn');
    await checkUnit(trx, ctx, input.orgUnitId);
    await peopleInScope(trx, actor, [input.mediatorPersonId], () => ({ text: '调解员：不存在或不在您的数据范围内', field: 'mediatorPersonId' }));
    const names = input.parties.map((p) => p.name);
    if (new Set(names).size !== names.length) throw badRequest('当事人：有重复的当事人', 'parties');
    const { decisionDue } = caseDeadlines({ kind: 'mediation', receivedOn: input.receivedOn, periodDays: input.periodDays }, await loadCalendar(trx));
    const now = ctx.now().toISOString();
    const row: MediationCaseTable = {
      id: newId(), case_no: input.caseNo || null, org_unit_id: input.orgUnitId,
      parties: JSON.stringify(input.parties.map((p) => ({ name: p.name, code: p.code || null }))), party_names: names.join('、'),
      dispute_type: input.disputeType, amount: input.amount ?? null, summary: input.summary, mediator_person_id: input.mediatorPersonId,
      received_on: input.receivedOn, period_days: input.periodDays, due_on: decisionDue!, deadline: decisionDue!, status: 'mediating',
      outcome: null, closed_on: null, note: null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('mediation_case').values(row).execute();
    return { result: { id: row.id, deadline: decisionDue }, entityId: row.id, after: row };
  });
}

async function updateMediation(ctx: Ctx, id: string, action: string, change: (before: MediationCaseTable) => Partial<MediationCaseTable>) {
  requirePermission(ctx, 'cases:write');
  return runCommand(ctx, { action, entityType: 'mediation_case' }, async (trx) => {
    const before = await trx.selectFrom('mediation_case').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('调解案件不存在');
    await assertUnitWritable(trx, ctx.actor!, before.org_unit_id, '该案件的承办单位');
    const set = { ...change(before), updated_at: ctx.now().toISOString() };
    await trx.updateTable('mediation_case').set(set).where('id', '=', id).execute();
    const after = { ...before, ...set };
    return { result: { id, status: after.status }, entityId: id, before, after };
  });
}

export const closeMediation = (ctx: Ctx, id: string, input: MediationCloseInput) =>
  updateMediation(ctx, id, 'close', (before) => {
    if (before.status !== 'mediating') throw conflict('结案：该案件已办结', 'outcome');
    if (input.closedOn < before.received_on) throw badRequest('结案日期：不能早于受理日期', 'closedOn');
    notFuture(ctx, input.closedOn, '结案日期', 'closedOn');
    return { status: 'closed', outcome: input.outcome, closed_on: input.closedOn, note: input.note || null, due_on: null };
  });

export const withdrawMediation = (ctx: Ctx, id: string, input: WithdrawInput) =>
  updateMediation(ctx, id, 'withdraw', (before) => {
    if (before.status !== 'mediating') throw conflict('撤回：该案件已办结', 'withdrawnOn');
    if (input.withdrawnOn < before.received_on) throw badRequest('撤回日期：不能早于受理日期', 'withdrawnOn');
    notFuture(ctx, input.withdrawnOn, '撤回日期', 'withdrawnOn');
    return { status: 'withdrawn', closed_on: input.withdrawnOn, note: input.note || null, due_on: null };
  });
