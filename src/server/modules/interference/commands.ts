import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { nextDayNumber } from '../../platform/sqlx.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, assertUnitsInScope, type ScopeColumns } from '../../platform/access.js';
import { sm3 } from '../../platform/crypto.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { protectFields } from '../../platform/protect.js';
import { shanghaiDate } from '../../platform/time.js';
import type { InterferenceRecordTable } from '../../db/types-interference.js';
import { attachFiles } from '../files/commands.js';
import {
  ZERO_REPORT_STATEMENT, periodLabel, periodOfDate, type InterferenceInput, type InterferenceRemindInput, type ZeroReportInput,
} from '../../../shared/schemas/interference.js';
import { notifyPeople } from '../../platform/notify.js';
import { unreportedPeopleIds } from './queries.js';

// “三个规定”记录报告: any officer records, as themself, an inquiry into or interference with a case they
// handle; each quarter every serving officer either has such a record or files a 零报告. Records are
// restricted: the recorder sees their own; holders of interference:read see those in their data scope
// (every detail view audited) but never one that names them as the intervener (as if it did not
// exist); holders of interference:coverage see who reported and counts only. The intervener, the case,
// what was asked and the handling note are sealed (SM4) and never enter an audit snapshot.

protectFields('interference_record', {
  secret: [
    'intervener_enc', 'intervener_index', 'case_enc', 'request_enc', 'handling_note_enc',
    'intervener_person_id', 'intervener_name', 'intervener_post', 'intervener_relation', 'case_ref', 'request_text', 'handling_note',
  ],
});
// A 零报告's digest stays out of the log like the self-check report's (its audit entry names the quarter
// and the time only).
protectFields('zero_report', { secret: ['digest'] });

/** A record is its recorder's unit's (when recorded); the recorder sees it under scope self. */
export const INTERFERENCE_SCOPE: ScopeColumns = { unit: 'interference_record.org_unit_id', person: 'interference_record.recorder_person_id' };

/** The “三个规定” took effect in 2015: nothing to record before. */
export const FIRST_PERIOD = '2015Q1';

/** The period (quarter) containing the instant, in Asia/Shanghai. */
export const periodOfInstant = (d: Date) => periodOfDate(shanghaiDate(d));

/** The current period on the context's clock. */
export const currentPeriod = (ctx: Ctx) => periodOfInstant(ctx.now());

/** A quarter one may report on (零报告) or remind about: begun, and not before the regulations. */
function reportablePeriod(ctx: Ctx, period: string): string {
  if (period > currentPeriod(ctx)) throw badRequest('报告期：不能为尚未开始的季度', 'period');
  if (period < FIRST_PERIOD) throw badRequest('报告期：“三个规定”自 2015 年起施行', 'period');
  return period;
}

/**
 * Records in the actor's scope, less every record naming the actor's own person as the intervener
 * (compared by blind index: the identity itself stays sealed). Used by every read for others' records.
 */
export function visibleRecords<Q extends { where: (...args: any[]) => any }>(q: Q, ctx: Ctx, actor: Actor | null): Q {
  let out = actor ? applyScope(q, actor, INTERFERENCE_SCOPE) : q;
  if (actor?.personId) {
    const mine = ctx.cipher.blindIndex(actor.personId);
    out = out.where((eb: any) => eb.or([eb('interference_record.intervener_index', 'is', null), eb('interference_record.intervener_index', '!=', mine)]));
  }
  return out;
}

function ownPerson(ctx: Ctx): { actor: Actor; personId: string } {
  const actor = requirePermission(ctx, 'interference:record');
  if (!actor.personId) throw forbidden('本账号未关联干警，不能记录报告或零报告');
  return { actor, personId: actor.personId };
}

/** 记录报告: the signed-in officer records an interference they met. */
export async function createRecord(ctx: Ctx, input: InterferenceInput) {
  const { actor, personId } = ownPerson(ctx);
  const at = new Date(input.occurredAt);
  if (at.getTime() > ctx.now().getTime()) throw badRequest('发生时间：不能晚于现在', 'occurredAt');
  const period = periodOfInstant(at);
  if (period < FIRST_PERIOD) throw badRequest('发生时间：“三个规定”自 2015 年起施行，不能早于 2015 年', 'occurredAt');
  return runCommand(ctx, { action: 'create', entityType: 'interference_record' }, async (trx) => {
    const me = await trx.selectFrom('person').select(['id', 'org_unit_id']).where('id', '=', personId).executeTakeFirstOrThrow();
    let intervener: { personId: string | null; name: string; unitName: string | null; post: string | null; relation: string };
    if (input.intervenerKind === 'internal') {
      if (input.intervenerPersonId === personId) throw badRequest('过问干预人：不能是本人', 'intervenerPersonId');
      // Any person of the platform may be named (a leader is usually outside the recorder's scope).
      const p = await trx
        .selectFrom('person')
        .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
        .select(['person.id', 'person.name', 'org_unit.name as unit_name'])
        .where('person.id', '=', input.intervenerPersonId!)
        .executeTakeFirst();
      if (!p) throw badRequest('过问干预人：不存在', 'intervenerPersonId');
      intervener = { personId: p.id, name: p.name, unitName: p.unit_name, post: input.intervenerPost || null, relation: input.intervenerRelation };
    } else {
      intervener = { personId: null, name: input.intervenerName!, unitName: null, post: input.intervenerPost || null, relation: input.intervenerRelation };
    }
    const now = ctx.now().toISOString();
    const row: InterferenceRecordTable = {
      id: newId(), record_no: await nextDayNumber(trx, ctx.dialect, { table: 'interference_record', column: 'record_no', prefix: 'SG' }, shanghaiDate(ctx.now())), recorder_person_id: personId, org_unit_id: me.org_unit_id, period,
      category: input.category, intervener_kind: input.intervenerKind,
      intervener_index: intervener.personId ? ctx.cipher.blindIndex(intervener.personId) : null,
      intervener_enc: ctx.cipher.seal(JSON.stringify(intervener)), case_enc: ctx.cipher.seal(input.caseRef),
      manners: JSON.stringify(input.manners), occurred_at: at.toISOString(), request_enc: ctx.cipher.seal(input.requestText),
      handling: input.handling, handling_note_enc: input.handlingNote ? ctx.cipher.seal(input.handlingNote) : null,
      created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('interference_record').values(row).execute();
    await attachFiles(trx, actor.userId, input.attachmentIds, 'interference_record', row.id);
    // The audit says that a record was made, for which quarter and under which regulation: never who or what.
    return { result: { id: row.id, recordNo: row.record_no, period }, entityId: row.id, after: { recordNo: row.record_no, period, category: row.category } };
  });
}

/** The content a 零报告's digest covers. */
export function zeroReportContent(r: { person_id: string; period: string; statement: string; signed_name: string; signed_at: string }) {
  return JSON.stringify({ person: r.person_id, period: r.period, statement: r.statement, name: r.signed_name, at: r.signed_at });
}

/**
 * 零报告: the officer states there was nothing to record in the period (the current one or an earlier
 * one filed late; never a future one). Refused when they already have a record in the period, or a
 * 零报告 for it. A record made afterwards for the same period supersedes the 零报告 (shown so; the
 * signed statement is kept as it was).
 */
export async function fileZeroReport(ctx: Ctx, input: ZeroReportInput) {
  const { personId } = ownPerson(ctx);
  reportablePeriod(ctx, input.period);
  return runCommand(ctx, { action: 'zero_report', entityType: 'zero_report' }, async (trx) => {
    const person = await trx.selectFrom('person').select(['name', 'org_unit_id']).where('id', '=', personId).executeTakeFirstOrThrow();
    if (input.signedName !== person.name) throw badRequest('签字：须输入本人姓名全名', 'signedName');
    const recorded = await trx.selectFrom('interference_record').select('id').where('recorder_person_id', '=', personId).where('period', '=', input.period).executeTakeFirst();
    if (recorded) throw conflict('本季度已有记录报告，不需零报告', 'period');
    const filed = await trx.selectFrom('zero_report').select('id').where('person_id', '=', personId).where('period', '=', input.period).executeTakeFirst();
    if (filed) throw conflict('本季度已零报告，不能重复报告', 'period');
    const now = ctx.now().toISOString();
    const base = { person_id: personId, period: input.period, statement: ZERO_REPORT_STATEMENT, signed_name: input.signedName, signed_at: now };
    const row = { id: newId(), org_unit_id: person.org_unit_id, ...base, digest: sm3(zeroReportContent(base)), created_at: now };
    await trx.insertInto('zero_report').values(row).execute();
    return { result: { id: row.id, period: row.period, digest: row.digest, signedAt: now }, entityId: row.id, after: { period: row.period, signedAt: now } };
  });
}

/** A record the actor may open: their own, or (interference:read) one visible to them. 404 otherwise. */
export async function openableRecord(ctx: Ctx, actor: Actor, id: string): Promise<{ row: InterferenceRecordTable; own: boolean }> {
  const row = await ctx.db.selectFrom('interference_record').selectAll().where('id', '=', id).executeTakeFirst();
  if (row && actor.personId && row.recorder_person_id === actor.personId) return { row, own: true };
  if (row && actor.permissions.has('interference:read')) {
    const seen = await visibleRecords(ctx.db.selectFrom('interference_record').select('interference_record.id'), ctx, actor).where('interference_record.id', '=', id).executeTakeFirst();
    if (seen) return { row, own: false };
  }
  throw notFound('记录不存在');
}

/**
 * 催报: tells every serving officer in scope who has neither recorded nor filed a 零报告 for the quarter
 * (in-app notice with a link to 记录报告). Counts only in the audit, never names.
 */
export async function remindUnreported(ctx: Ctx, input: InterferenceRemindInput) {
  const actor = requirePermission(ctx, 'interference:coverage');
  const period = reportablePeriod(ctx, input.period ?? currentPeriod(ctx));
  if (input.orgUnitId) await assertUnitsInScope(ctx.db, actor, [input.orgUnitId], 'orgUnitId', '单位');
  const personIds = await unreportedPeopleIds(ctx, actor, period, input.orgUnitId);
  return runCommand(ctx, { action: 'remind', entityType: 'zero_report' }, async (trx) => {
    const notified = await notifyPeople(trx, ctx.now(), personIds, {
      title: `请完成${periodLabel(period)}“三个规定”记录报告`,
      body: '遇有过问干预案件情况的，请如实记录报告；本季度没有的，请签字提交零报告。',
      link: '/institutions/interference',
    });
    const result = { period, people: personIds.length, notified };
    return { result, entityId: null, after: { ...result, orgUnitId: input.orgUnitId ?? null } };
  });
}
