import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, type ScopeColumns } from '../../platform/access.js';
import { sm3 } from '../../platform/crypto.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { notifyPeople } from '../../platform/notify.js';
import type { SelfCheckReportTable } from '../../db/types.js';
import {
  PLEDGE_TEXT, type SelfCheckDraftInput, type SelfCheckSignInput,
} from '../../../shared/schemas/self-checks.js';
import { missingPeopleIds } from './queries.js';

// 自查事项报告表: a person fills their own report for a campaign item by item, then signs the pledge
// (typed full name over the SM3 digest of the exact content, and the time). A signed version never
// changes; a correction is a new version, signed in turn, and the one before is kept as superseded.

/** A report belongs to the person's unit (when the version was made) and to the person (scope self). */
export const SELF_CHECK_SCOPE: ScopeColumns = { unit: 'self_check_report.org_unit_id', person: 'self_check_report.person_id' };

export interface SelfCheckAnswer {
  categoryId: string;
  code: string;
  name: string;
  answer: 'yes' | 'no';
  description: string | null;
}

/** The campaign's enabled catalogue items, in catalogue order: what a report answers. */
export async function checklist(db: Ctx['db'] | Trx, campaignId: string) {
  return db
    .selectFrom('problem_category')
    .select(['id', 'code', 'name', 'kind'])
    .where('campaign_id', '=', campaignId)
    .where('enabled', '=', 1)
    .orderBy('sort')
    .orderBy('id')
    .execute();
}

/**
 * The exact content a signature covers, as one string: the campaign, the person, the version, every
 * answer in catalogue order, the free text and the pledge's own words. Its SM3 digest is what is signed.
 */
export function canonicalContent(r: { campaign_id: string; person_id: string; version: number; answers: string; free_text: string | null }): string {
  const answers = (JSON.parse(r.answers) as SelfCheckAnswer[]).map((a) => [a.code, a.name, a.answer, a.description ?? '']);
  return JSON.stringify({ campaign: r.campaign_id, person: r.person_id, version: r.version, answers, freeText: r.free_text ?? '', pledge: PLEDGE_TEXT });
}

export const contentDigest = (r: Parameters<typeof canonicalContent>[0]) => sm3(canonicalContent(r));

function ownPerson(ctx: Ctx): { actor: Actor; personId: string } {
  const actor = requirePermission(ctx, 'selfcheck:fill');
  if (!actor.personId) throw forbidden('本账号未关联干警，不能填写自查事项报告表');
  return { actor, personId: actor.personId };
}

async function latestVersion(trx: Trx | Ctx['db'], campaignId: string, personId: string) {
  return trx
    .selectFrom('self_check_report')
    .selectAll()
    .where('person_id', '=', personId)
    .where('campaign_id', '=', campaignId)
    .orderBy('version', 'desc')
    .executeTakeFirst();
}

/** Saves the caller's draft: the open draft is updated, or a new version starts after the last signed one. */
export async function saveDraft(ctx: Ctx, input: SelfCheckDraftInput) {
  const { personId } = ownPerson(ctx);
  return runCommand(ctx, { action: 'save_draft', entityType: 'self_check_report' }, async (trx) => {
    const campaign = await trx.selectFrom('campaign').select('id').where('id', '=', input.campaignId).executeTakeFirst();
    if (!campaign) throw badRequest('教育整顿批次：不存在', 'campaignId');
    const items = await checklist(trx, input.campaignId);
    if (!items.length) throw badRequest('自查事项：本批次尚未设置问题类别，请联系整顿办', 'answers');
    const byId = new Map(items.map((i) => [i.id, i]));
    const given = new Map<string, SelfCheckDraftInput['answers'][number]>();
    input.answers.forEach((a, k) => {
      if (!byId.has(a.categoryId)) throw badRequest(`自查事项：第 ${k + 1} 项不是本批次的自查事项`, `answers.${k}.categoryId`);
      if (given.has(a.categoryId)) throw badRequest(`自查事项：第 ${k + 1} 项重复`, `answers.${k}.categoryId`);
      given.set(a.categoryId, a);
    });
    // Stored in catalogue order with the names as they read now: the signed text stays what was seen.
    const answers: SelfCheckAnswer[] = items
      .filter((i) => given.has(i.id))
      .map((i) => {
        const a = given.get(i.id)!;
        return { categoryId: i.id, code: i.code, name: i.name, answer: a.answer, description: a.answer === 'yes' ? (a.description ?? null) : null };
      });
    const person = await trx.selectFrom('person').select(['org_unit_id']).where('id', '=', personId).executeTakeFirstOrThrow();
    const now = ctx.now().toISOString();
    const last = await latestVersion(trx, input.campaignId, personId);
    const fields = {
      answers: JSON.stringify(answers), declared_count: answers.filter((a) => a.answer === 'yes').length,
      free_text: input.freeText || null, org_unit_id: person.org_unit_id, updated_at: now,
    };
    let row: SelfCheckReportTable;
    if (last && last.status === 'draft') {
      await trx.updateTable('self_check_report').set(fields).where('id', '=', last.id).where('status', '=', 'draft').execute();
      row = { ...last, ...fields };
    } else {
      row = {
        id: newId(), campaign_id: input.campaignId, person_id: personId, version: (last?.version ?? 0) + 1, status: 'draft',
        signed_name: null, content_digest: null, signed_at: null, reviewed_at: null, reviewed_by: null, review_note: null,
        created_at: now, ...fields,
      };
      await trx.insertInto('self_check_report').values(row).execute();
    }
    const complete = answers.length === items.length;
    // The audit keeps that a draft was saved, not what it says (the content is the person's declaration).
    return {
      result: { id: row.id, version: row.version, digest: contentDigest(row), complete, answered: answers.length, total: items.length },
      entityId: row.id,
      after: { version: row.version, answered: answers.length },
    };
  });
}

/**
 * 签字承诺: the caller's draft becomes the signed report. The typed name must be the person's own, the
 * digest the one the page showed (so what was signed is what was read), every item answered.
 */
export async function signReport(ctx: Ctx, input: SelfCheckSignInput) {
  const { personId } = ownPerson(ctx);
  return runCommand(ctx, { action: 'sign', entityType: 'self_check_report' }, async (trx) => {
    const draft = await latestVersion(trx, input.campaignId, personId);
    if (!draft || draft.status !== 'draft') throw conflict('没有待签字的自查报告，请先填写并保存');
    const items = await checklist(trx, input.campaignId);
    const answered = new Set((JSON.parse(draft.answers) as SelfCheckAnswer[]).map((a) => a.categoryId));
    const missing = items.filter((i) => !answered.has(i.id));
    if (missing.length) throw badRequest(`自查事项：还有 ${missing.length} 项未作答（${missing.map((m) => m.name).slice(0, 3).join('、')}${missing.length > 3 ? '等' : ''}）`, 'answers');
    const person = await trx.selectFrom('person').select(['name']).where('id', '=', personId).executeTakeFirstOrThrow();
    if (input.signedName !== person.name) throw badRequest('签字：须输入本人姓名全名', 'signedName');
    const digest = contentDigest(draft);
    if (input.digest !== digest) throw conflict('报告内容已变化，请重新核对后再签字');
    const now = ctx.now().toISOString();
    await trx
      .updateTable('self_check_report')
      .set({ status: 'superseded', updated_at: now })
      .where('person_id', '=', personId)
      .where('campaign_id', '=', input.campaignId)
      .where('status', '=', 'signed')
      .execute();
    const res = await trx
      .updateTable('self_check_report')
      .set({ status: 'signed', signed_name: input.signedName, content_digest: digest, signed_at: now, updated_at: now })
      .where('id', '=', draft.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('报告已被提交，请刷新');
    return {
      result: { id: draft.id, version: draft.version, digest, signedAt: now },
      entityId: draft.id,
      after: { version: draft.version, signedAt: now },
    };
  });
}

/** 整顿办's review of a signed report (in its scope): a note, kept with who and when. */
export async function reviewReport(ctx: Ctx, id: string, note: string) {
  const actor = requirePermission(ctx, 'selfcheck:review');
  return runCommand(ctx, { action: 'review', entityType: 'self_check_report' }, async (trx) => {
    const row = await applyScope(trx.selectFrom('self_check_report').selectAll(), actor, SELF_CHECK_SCOPE)
      .where('self_check_report.id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('自查报告不存在');
    if (row.status !== 'signed') throw conflict('只能审核已签字提交的当前版本');
    const now = ctx.now().toISOString();
    await trx.updateTable('self_check_report').set({ reviewed_at: now, reviewed_by: actor.userId, review_note: note, updated_at: now }).where('id', '=', id).execute();
    return { result: { id }, entityId: id, after: { reviewed_at: now } };
  });
}

/** 催报: a notice to every account of the people in the caller's scope (and unit) who have not signed. */
export async function remindMissing(ctx: Ctx, campaignId: string, orgUnitId?: string) {
  const actor = requirePermission(ctx, 'selfcheck:coverage');
  const personIds = await missingPeopleIds(ctx, actor, campaignId, orgUnitId);
  return runCommand(ctx, { action: 'remind', entityType: 'self_check_report' }, async (trx) => {
    const notified = await notifyPeople(trx, ctx.now(), personIds, {
      title: '请填写并签字提交自查事项报告表',
      body: '教育整顿自查自纠：请逐项如实填写自查事项报告表并签字承诺。自查从宽、被查从严。',
      link: '/self-check',
    });
    const result = { people: personIds.length, notified };
    return { result, entityId: campaignId, after: result };
  });
}
