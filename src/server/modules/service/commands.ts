import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, assertUnitsInScope, assertUnitWritable, peopleInScope, type ScopeColumns } from '../../platform/access.js';
import type { Actor } from '../../platform/context.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { isUniqueViolation } from '../../platform/dberrors.js';
import { shanghaiDate } from '../../platform/time.js';
import { attachFiles } from '../files/commands.js';
import type { EnterpriseServiceTable, EnterpriseTable, LegalWorkstationTable, ServiceMeasureTable } from '../../db/types-service.js';
import {
  checkUscc, MEASURE_GROUP_RANK, USCC_WARNING, type EnterpriseInput, type EnterprisePatch, type MeasureInput, type MeasurePatch, type MeasureProgressInput,
  type MilestoneInput, type MilestonePatch, type ServiceRecordInput, type ServiceRecordPatch, type WorkstationInput, type WorkstationPatch,
} from '../../../shared/schemas/service.js';

// 为民服务 commands. Every record belongs to an org unit the writer must be able to write: a measure to
// its responsible unit, a workstation to its host unit, a service record to its workstation's host
// unit, an enterprise to its county. Every unit and person a command names is checked against the
// writer's scope; each command is one transaction with one audit entry.

export const MEASURE_SCOPE: ScopeColumns = { unit: 'service_measure.org_unit_id' };
export const WORKSTATION_SCOPE: ScopeColumns = { unit: 'legal_workstation.org_unit_id' };
export const ENTERPRISE_SCOPE: ScopeColumns = { unit: 'enterprise.org_unit_id' };
export const RECORD_SCOPE: ScopeColumns = { unit: 'enterprise_service.org_unit_id' };

const today = (ctx: Ctx) => shanghaiDate(ctx.now());

async function checkMeasureRefs(trx: Trx, actor: Actor, v: { orgUnitId?: string; ownerPersonId?: string | null; campaignId?: string | null }) {
  if (v.orgUnitId !== undefined) {
    await assertUnitsInScope(trx, actor, [v.orgUnitId], 'orgUnitId', '责任单位');
    await assertUnitWritable(trx, actor, v.orgUnitId, '该责任单位');
  }
  if (v.ownerPersonId) await peopleInScope(trx, actor, [v.ownerPersonId], () => ({ text: '责任人：不存在或不在您的数据范围内', field: 'ownerPersonId' }));
  if (v.campaignId) {
    const c = await trx.selectFrom('campaign').select('id').where('id', '=', v.campaignId).executeTakeFirst();
    if (!c) throw badRequest('教育整顿批次：不存在', 'campaignId');
  }
}

async function numberFree(trx: Trx, group: ServiceMeasureTable['grp'], number: number, except?: string) {
  let q = trx.selectFrom('service_measure').select('id').where('grp', '=', group).where('number', '=', number);
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw conflict(`序号：该类别已有第 ${number} 项措施`, 'number');
}

/** A measure's progress: its latest report, or the share of milestones reached when that is more. */
async function recompute(trx: Trx, measureId: string, day: string, now: string) {
  const latest = await trx
    .selectFrom('service_progress')
    .select('percent')
    .where('measure_id', '=', measureId)
    .orderBy('reported_on', 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const ms = await trx.selectFrom('service_milestone').select('done_on').where('measure_id', '=', measureId).execute();
  const share = ms.length ? Math.floor((ms.filter((m) => m.done_on).length * 100) / ms.length) : 0;
  const progress = Math.max(latest?.percent ?? 0, share);
  const m = await trx.selectFrom('service_measure').select(['done_on']).where('id', '=', measureId).executeTakeFirstOrThrow();
  await trx
    .updateTable('service_measure')
    .set({ progress, done_on: progress >= 100 ? (m.done_on ?? day) : null, updated_at: now })
    .where('id', '=', measureId)
    .execute();
  return progress;
}

async function writableMeasure(trx: Trx, actor: Actor, id: string) {
  const m = await applyScope(trx.selectFrom('service_measure').selectAll('service_measure'), actor, MEASURE_SCOPE).where('service_measure.id', '=', id).executeTakeFirst();
  if (!m) throw notFound('措施不存在');
  await assertUnitWritable(trx, actor, m.org_unit_id, '该措施的责任单位');
  return m;
}

export async function createMeasure(ctx: Ctx, input: MeasureInput) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'create', entityType: 'service_measure' }, async (trx) => {
    await checkMeasureRefs(trx, actor, input);
    await numberFree(trx, input.group, input.number);
    const now = ctx.now().toISOString();
    const row: ServiceMeasureTable = {
      id: newId(), grp: input.group, grp_rank: MEASURE_GROUP_RANK[input.group], number: input.number, title: input.title,
      description: input.description || null, org_unit_id: input.orgUnitId, owner_person_id: input.ownerPersonId || null,
      campaign_id: input.campaignId || null, start_date: input.startDate || null, due_date: input.dueDate || null,
      is_public: input.isPublic ? 1 : 0, progress: 0, done_on: null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('service_measure').values(row).execute();
    if (input.milestones.length) {
      await trx
        .insertInto('service_milestone')
        .values(input.milestones.map((m, i) => ({ id: newId(), measure_id: row.id, seq: i + 1, title: m.title, due_date: m.dueDate || null, done_on: null, created_at: now, updated_at: now })))
        .execute();
    }
    return { result: { id: row.id }, entityId: row.id, after: { ...row, milestones: input.milestones.length } };
  });
}

export async function updateMeasure(ctx: Ctx, id: string, patch: MeasurePatch) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'update', entityType: 'service_measure' }, async (trx) => {
    const before = await writableMeasure(trx, actor, id);
    await checkMeasureRefs(trx, actor, patch);
    const group = patch.group ?? before.grp;
    const number = patch.number ?? before.number;
    if (group !== before.grp || number !== before.number) await numberFree(trx, group, number, id);
    const start = patch.startDate !== undefined ? patch.startDate || null : before.start_date;
    const due = patch.dueDate !== undefined ? patch.dueDate || null : before.due_date;
    if (start && due && due < start) throw badRequest('完成时限：不能早于开始日期', 'dueDate');
    const set: Partial<ServiceMeasureTable> = {
      grp: group, grp_rank: MEASURE_GROUP_RANK[group], number,
      ...(patch.title ? { title: patch.title } : {}),
      ...(patch.description !== undefined ? { description: patch.description || null } : {}),
      ...(patch.orgUnitId ? { org_unit_id: patch.orgUnitId } : {}),
      ...(patch.ownerPersonId !== undefined ? { owner_person_id: patch.ownerPersonId || null } : {}),
      ...(patch.campaignId !== undefined ? { campaign_id: patch.campaignId || null } : {}),
      start_date: start, due_date: due,
      ...(patch.isPublic !== undefined ? { is_public: patch.isPublic ? 1 : 0 } : {}),
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('service_measure').set(set).where('id', '=', id).execute();
    return { result: { id }, entityId: id, before, after: { ...before, ...set } };
  });
}

export async function addMilestone(ctx: Ctx, measureId: string, input: MilestoneInput) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'create', entityType: 'service_milestone' }, async (trx) => {
    await writableMeasure(trx, actor, measureId);
    const last = await trx.selectFrom('service_milestone').select('seq').where('measure_id', '=', measureId).orderBy('seq', 'desc').executeTakeFirst();
    const now = ctx.now().toISOString();
    const row = { id: newId(), measure_id: measureId, seq: (last?.seq ?? 0) + 1, title: input.title, due_date: input.dueDate || null, done_on: null, created_at: now, updated_at: now };
    await trx.insertInto('service_milestone').values(row).execute();
    await recompute(trx, measureId, today(ctx), now);
    return { result: { id: row.id }, entityId: row.id, after: row };
  });
}

export async function updateMilestone(ctx: Ctx, id: string, patch: MilestonePatch) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'update', entityType: 'service_milestone' }, async (trx) => {
    const before = await trx.selectFrom('service_milestone').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('工作节点不存在');
    await writableMeasure(trx, actor, before.measure_id);
    if (patch.doneOn && patch.doneOn > today(ctx)) throw badRequest('完成日期：不能晚于今天', 'doneOn');
    const now = ctx.now().toISOString();
    const set = {
      ...(patch.title ? { title: patch.title } : {}),
      ...(patch.dueDate !== undefined ? { due_date: patch.dueDate || null } : {}),
      ...(patch.doneOn !== undefined ? { done_on: patch.doneOn || null } : {}),
      updated_at: now,
    };
    await trx.updateTable('service_milestone').set(set).where('id', '=', id).execute();
    await attachFiles(trx, actor.userId, patch.attachmentIds, 'service_milestone', id);
    const progress = await recompute(trx, before.measure_id, today(ctx), now);
    return { result: { id, progress }, entityId: id, before, after: { ...before, ...set, evidence: patch.attachmentIds.length } };
  });
}

export async function reportMeasureProgress(ctx: Ctx, measureId: string, input: MeasureProgressInput) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'progress', entityType: 'service_measure' }, async (trx) => {
    const m = await writableMeasure(trx, actor, measureId);
    if (input.reportedOn > today(ctx)) throw badRequest('报送日期：不能晚于今天', 'reportedOn');
    if (m.start_date && input.reportedOn < m.start_date) throw badRequest(`报送日期：不能早于措施开始日期（${m.start_date}）`, 'reportedOn');
    const now = ctx.now().toISOString();
    const id = newId();
    await trx
      .insertInto('service_progress')
      .values({ id, measure_id: measureId, reported_on: input.reportedOn, percent: input.percent, note: input.note, evidence_count: new Set(input.attachmentIds).size, created_by: actor.userId, created_at: now })
      .execute();
    await attachFiles(trx, actor.userId, input.attachmentIds, 'service_progress', id);
    const progress = await recompute(trx, measureId, today(ctx), now);
    return { result: { id, progress }, entityId: measureId, before: { progress: m.progress }, after: { progress, reported: input.percent, evidence: input.attachmentIds.length } };
  });
}

// ---- workstations

async function checkHost(trx: Trx, actor: Actor, unitId: string) {
  await assertUnitsInScope(trx, actor, [unitId], 'orgUnitId', '依托单位');
  await assertUnitWritable(trx, actor, unitId, '该依托单位');
}

async function nameFree(trx: Trx, name: string, except?: string) {
  let q = trx.selectFrom('legal_workstation').select('id').where('name', '=', name);
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw conflict('工作站名称：已有同名工作站', 'name');
}

export async function createWorkstation(ctx: Ctx, input: WorkstationInput) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'create', entityType: 'legal_workstation' }, async (trx) => {
    await checkHost(trx, actor, input.orgUnitId);
    await nameFree(trx, input.name);
    const now = ctx.now().toISOString();
    const row: LegalWorkstationTable = {
      id: newId(), name: input.name, org_unit_id: input.orgUnitId, address: input.address || null, contact: input.contact || null,
      staff_on_duty: input.staffOnDuty || null, opened_on: input.openedOn || null, created_at: now, updated_at: now,
    };
    await trx.insertInto('legal_workstation').values(row).execute();
    return { result: { id: row.id }, entityId: row.id, after: row };
  });
}

export async function updateWorkstation(ctx: Ctx, id: string, patch: WorkstationPatch) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'update', entityType: 'legal_workstation' }, async (trx) => {
    const before = await applyScope(trx.selectFrom('legal_workstation').selectAll('legal_workstation'), actor, WORKSTATION_SCOPE).where('legal_workstation.id', '=', id).executeTakeFirst();
    if (!before) throw notFound('工作站不存在');
    await assertUnitWritable(trx, actor, before.org_unit_id, '该工作站');
    if (patch.orgUnitId) await checkHost(trx, actor, patch.orgUnitId);
    if (patch.name) await nameFree(trx, patch.name, id);
    const set = {
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.orgUnitId ? { org_unit_id: patch.orgUnitId } : {}),
      ...(patch.address !== undefined ? { address: patch.address || null } : {}),
      ...(patch.contact !== undefined ? { contact: patch.contact || null } : {}),
      ...(patch.staffOnDuty !== undefined ? { staff_on_duty: patch.staffOnDuty || null } : {}),
      ...(patch.openedOn !== undefined ? { opened_on: patch.openedOn || null } : {}),
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('legal_workstation').set(set).where('id', '=', id).execute();
    // The records follow their workstation to its new host unit (their scope).
    if (patch.orgUnitId && patch.orgUnitId !== before.org_unit_id) {
      await trx.updateTable('enterprise_service').set({ org_unit_id: patch.orgUnitId }).where('workstation_id', '=', id).execute();
    }
    return { result: { id }, entityId: id, before, after: { ...before, ...set } };
  });
}

// ---- enterprises

/** Registers an enterprise (code already well-formed by the schema); a failing check character is kept with a warning. */
async function insertEnterprise(trx: Trx, ctx: Ctx, actor: Actor, input: EnterpriseInput, field = '') {
  await assertUnitsInScope(trx, actor, [input.orgUnitId], `${field}orgUnitId`, '所在旗县区');
  await assertUnitWritable(trx, actor, input.orgUnitId, '该旗县区');
  const warning = checkUscc(input.code) === 'checksum';
  const now = ctx.now().toISOString();
  const row: EnterpriseTable = {
    id: newId(), code: input.code, code_warning: warning ? 1 : 0, name: input.name, kind: input.kind, org_unit_id: input.orgUnitId,
    industry: input.industry || null, legal_rep: input.legalRep || null, created_at: now, updated_at: now,
  };
  await trx.insertInto('enterprise').values(row).execute();
  return row;
}

export async function createEnterprise(ctx: Ctx, input: EnterpriseInput) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'create', entityType: 'enterprise' }, async (trx) => {
    const taken = await trx.selectFrom('enterprise').select('id').where('code', '=', input.code).executeTakeFirst();
    if (taken) throw conflict('统一社会信用代码：该企业已登记', 'code');
    const row = await insertEnterprise(trx, ctx, actor, input);
    return { result: { id: row.id, codeWarning: row.code_warning ? USCC_WARNING : null }, entityId: row.id, after: row };
  });
}

/**
 * Corrects a registered enterprise (a mistyped code or name, a changed legal representative). The
 * enterprise and, when it moves, its new county must be in scope and writable; a code stays unique.
 */
export async function updateEnterprise(ctx: Ctx, id: string, patch: EnterprisePatch) {
  const actor = requirePermission(ctx, 'service:write');
  try {
    return await runCommand(ctx, { action: 'update', entityType: 'enterprise' }, async (trx) => {
      const before = await applyScope(trx.selectFrom('enterprise').selectAll('enterprise'), actor, ENTERPRISE_SCOPE).where('enterprise.id', '=', id).executeTakeFirst();
      if (!before) throw notFound('市场主体不存在');
      await assertUnitWritable(trx, actor, before.org_unit_id, '该市场主体');
      if (patch.orgUnitId && patch.orgUnitId !== before.org_unit_id) {
        await assertUnitsInScope(trx, actor, [patch.orgUnitId], 'orgUnitId', '所在旗县区');
        await assertUnitWritable(trx, actor, patch.orgUnitId, '该旗县区');
      }
      if (patch.code && patch.code !== before.code) {
        const taken = await trx.selectFrom('enterprise').select('id').where('code', '=', patch.code).where('id', '!=', id).executeTakeFirst();
        if (taken) throw conflict('统一社会信用代码：该代码的企业已登记', 'code');
      }
      const set = {
        ...(patch.code ? { code: patch.code, code_warning: checkUscc(patch.code) === 'checksum' ? 1 : 0 } : {}),
        ...(patch.name ? { name: patch.name } : {}),
        ...(patch.kind ? { kind: patch.kind } : {}),
        ...(patch.orgUnitId ? { org_unit_id: patch.orgUnitId } : {}),
        ...(patch.industry !== undefined ? { industry: patch.industry || null } : {}),
        ...(patch.legalRep !== undefined ? { legal_rep: patch.legalRep || null } : {}),
        updated_at: ctx.now().toISOString(),
      };
      await trx.updateTable('enterprise').set(set).where('id', '=', id).execute();
      const after = { ...before, ...set };
      return { result: { id, codeWarning: after.code_warning ? USCC_WARNING : null }, entityId: id, before, after };
    });
  } catch (err) {
    // Two corrections to the same new code at once: the unique index decides, as the check above would.
    if (isUniqueViolation(err)) throw conflict('统一社会信用代码：该代码的企业已登记', 'code');
    throw err;
  }
}

// ---- service records and 法治体检

async function scopedWorkstation(trx: Trx, actor: Actor, id: string) {
  const ws = await applyScope(trx.selectFrom('legal_workstation').selectAll('legal_workstation'), actor, WORKSTATION_SCOPE).where('legal_workstation.id', '=', id).executeTakeFirst();
  if (!ws) throw badRequest('工作站：不存在或不在您的数据范围内', 'workstationId');
  await assertUnitWritable(trx, actor, ws.org_unit_id, '该工作站');
  return ws;
}

/** The enterprise served: by id (in scope), else found by its code (in scope) or registered now. */
async function enterpriseFor(trx: Trx, ctx: Ctx, actor: Actor, input: ServiceRecordInput): Promise<{ row: EnterpriseTable; created: boolean }> {
  const inScope = (q: ReturnType<typeof base>) => applyScope(q, actor, ENTERPRISE_SCOPE);
  const base = () => trx.selectFrom('enterprise').selectAll('enterprise');
  if (input.enterpriseId) {
    const row = await inScope(base()).where('enterprise.id', '=', input.enterpriseId).executeTakeFirst();
    if (!row) throw badRequest('企业：不存在或不在您的数据范围内', 'enterpriseId');
    return { row, created: false };
  }
  const e = input.enterprise!;
  const found = await base().where('enterprise.code', '=', e.code).executeTakeFirst();
  if (found) {
    const visible = await inScope(base()).where('enterprise.id', '=', found.id).executeTakeFirst();
    if (!visible) throw conflict('统一社会信用代码：该企业已由其他旗县区登记，请联系其所在地司法局', 'enterprise.code');
    return { row: found, created: false };
  }
  return { row: await insertEnterprise(trx, ctx, actor, e, 'enterprise.'), created: true };
}

export async function createServiceRecord(ctx: Ctx, input: ServiceRecordInput) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'create', entityType: 'enterprise_service' }, async (trx) => {
    const ws = await scopedWorkstation(trx, actor, input.workstationId);
    if (input.servedOn > today(ctx)) throw badRequest('服务日期：不能晚于今天', 'servedOn');
    if (ws.opened_on && input.servedOn < ws.opened_on) throw badRequest(`服务日期：不能早于工作站设立日期（${ws.opened_on}）`, 'servedOn');
    const staff = [...new Set(input.staffPersonIds)];
    if (staff.length !== input.staffPersonIds.length) throw badRequest('服务人员：有重复的人员', 'staffPersonIds');
    await peopleInScope(trx, actor, staff, (i) => ({ text: `服务人员：第 ${i + 1} 人不存在或不在您的数据范围内`, field: `staffPersonIds.${i}` }));
    const { row: ent, created } = await enterpriseFor(trx, ctx, actor, input);
    const now = ctx.now().toISOString();
    const row: EnterpriseServiceTable = {
      id: newId(), kind: input.kind, enterprise_id: ent.id, workstation_id: ws.id, org_unit_id: ws.org_unit_id, county_unit_id: ent.org_unit_id,
      served_on: input.servedOn, staff_person_ids: JSON.stringify(staff), summary: input.summary,
      findings: input.findings.length ? JSON.stringify(input.findings) : null, recommendations: input.recommendations || null,
      follow_up_status: input.followUpStatus, follow_up: input.followUp || null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('enterprise_service').values(row).execute();
    await attachFiles(trx, actor.userId, input.attachmentIds, 'enterprise_service', row.id);
    return {
      result: { id: row.id, enterpriseId: ent.id, enterpriseCreated: created, codeWarning: ent.code_warning ? USCC_WARNING : null },
      entityId: row.id,
      after: { ...row, enterpriseCreated: created, files: input.attachmentIds.length },
    };
  });
}

export async function updateServiceRecord(ctx: Ctx, id: string, patch: ServiceRecordPatch) {
  const actor = requirePermission(ctx, 'service:write');
  return runCommand(ctx, { action: 'update', entityType: 'enterprise_service' }, async (trx) => {
    const before = await applyScope(trx.selectFrom('enterprise_service').selectAll('enterprise_service'), actor, RECORD_SCOPE).where('enterprise_service.id', '=', id).executeTakeFirst();
    if (!before) throw notFound('服务记录不存在');
    await assertUnitWritable(trx, actor, before.org_unit_id, '该服务记录所属单位');
    if (before.kind === 'health_check' && patch.findings && !patch.findings.length) throw badRequest('体检发现：法治体检至少记录 1 条发现', 'findings');
    const set = {
      ...(patch.summary ? { summary: patch.summary } : {}),
      ...(patch.findings ? { findings: patch.findings.length ? JSON.stringify(patch.findings) : null } : {}),
      ...(patch.recommendations !== undefined ? { recommendations: patch.recommendations || null } : {}),
      ...(patch.followUpStatus ? { follow_up_status: patch.followUpStatus } : {}),
      ...(patch.followUp !== undefined ? { follow_up: patch.followUp || null } : {}),
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('enterprise_service').set(set).where('id', '=', id).execute();
    return { result: { id }, entityId: id, before, after: { ...before, ...set } };
  });
}
