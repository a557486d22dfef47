import { randomInt } from 'node:crypto';
import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { assertUnitWritable, hasAllScope, type ScopeColumns } from '../../platform/access.js';
import { sm3, type FieldCipher } from '../../platform/crypto.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { protectFields } from '../../platform/protect.js';
import { shanghaiDate } from '../../platform/time.js';
import { addDays, loadCalendar } from '../../platform/workdays.js';
import type { CertCommitmentTable, CertDishonestyTable, CertItemTable } from '../../db/types-commitments.js';
import { maskResidentId } from '../../../shared/validators.js';
import {
  CERT_DEPARTMENTS, fillTemplate, type CertItemInput, type CertItemPatch, type CommitmentInput, type LiftInput, type VerificationInput,
} from '../../../shared/schemas/commitments.js';
import { naturalDaysDeadline } from '../cases/deadlines.js';

// 证明事项告知承诺制. A commitment is registered against a catalogue item that accepts one: the item's
// template is filled in and frozen as the signed text (its SM3 digest and the signing time kept, as
// self-check reports are signed), and it is drawn for post-verification at once, with the item's rate,
// by a CSPRNG whose value is stored (drawn iff value < rate × 100 of 0..9999), so anyone can re-check
// the draw. A false outcome lists the applicant as dishonest (失信名单) from the outcome date for the
// item's bar period; while listed, the applicant is refused the commitment route for EVERY item (the
// guideline bars a dishonest applicant from 告知承诺 as such, not from one certificate), until the bar
// ends or the entry is lifted early with a reason.
//
// A person's ID number is sealed (SM4), shown masked and looked up by its keyed digest; an
// organisation's unified social credit code is public and shown whole. Neither the number nor its
// digest reaches the audit log.

protectFields('cert_commitment', { secret: ['applicant_id_enc', 'applicant_id_index', 'text_digest', 'applicant_id_no', 'signed_text'] });
protectFields('cert_dishonesty', { secret: ['applicant_id_index'] });

export const COMMITMENT_SCOPE: ScopeColumns = { unit: 'cert_commitment.org_unit_id' };
export const DISHONESTY_SCOPE: ScopeColumns = { unit: 'cert_dishonesty.org_unit_id' };

/** The draw: drawn iff the CSPRNG value (0..9999) is below the rate in hundredths of a percent. */
export const DRAW_RANGE = 10_000;
export const isDrawn = (drawValue: number, ratePercent: number) => drawValue < ratePercent * (DRAW_RANGE / 100);

/** One draw at a rate (percent): the CSPRNG value and whether it selects the commitment. */
export function drawSample(ratePercent: number): { drawValue: number; drawn: boolean } {
  const drawValue = randomInt(0, DRAW_RANGE);
  return { drawValue, drawn: isDrawn(drawValue, ratePercent) };
}

/** The calendar date `months` months after a date, the day clamped to the month's end (01-31 + 1 → 02-28). */
export function addMonths(ymd: string, months: number): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The last barred day of a listing: the bar runs `months` months from the listing date, that day included. */
export const barUntil = (listedOn: string, months: number) => addDays(addMonths(listedOn, months), -1);

/** Sealed, masked and indexed forms of an applicant's number (a person's ID number is never kept in clear). */
export function applicantColumns(cipher: FieldCipher, kind: 'person' | 'org', idNo: string) {
  return {
    applicant_id_enc: kind === 'person' ? cipher.seal(idNo) : null,
    applicant_id_masked: kind === 'person' ? maskResidentId(idNo) : idNo,
    applicant_id_index: cipher.blindIndex(`${kind}:${idNo}`),
  };
}

/** What the audit log keeps of a commitment: never the number, its digest or the signed text. */
function auditView(r: Partial<CertCommitmentTable>) {
  const { applicant_id_enc: _e, applicant_id_index: _i, signed_text: _t, text_digest: _d, ...rest } = r;
  return rest;
}

// ---- catalogue ----------------------------------------------------------------------------------

function itemColumns(input: CertItemPatch): Partial<CertItemTable> {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.department !== undefined ? { department: input.department } : {}),
    ...(input.certificate !== undefined ? { certificate: input.certificate } : {}),
    ...(input.legalBasis !== undefined ? { legal_basis: input.legalBasis } : {}),
    ...(input.commitmentAllowed !== undefined ? { commitment_allowed: input.commitmentAllowed ? 1 : 0 } : {}),
    ...(input.samplingRate !== undefined ? { sampling_rate: input.samplingRate } : {}),
    ...(input.verifyDays !== undefined ? { verify_days: input.verifyDays } : {}),
    ...(input.barMonths !== undefined ? { bar_months: input.barMonths } : {}),
    ...(input.template !== undefined ? { template: input.template } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
  };
}

/** The catalogue is the bureau's, kept city-wide: a county's administrator reads it but may not change it. */
function catalogueKeeper(ctx: Ctx) {
  const actor = requirePermission(ctx, 'commitments:write');
  if (!hasAllScope(actor)) throw forbidden('证明事项目录由市局统一维护，本账号只能查看');
  return actor;
}

async function assertNameFree(trx: Trx, name: string | undefined, exceptId?: string) {
  if (!name) return;
  let q = trx.selectFrom('cert_item').select('id').where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw conflict('证明事项名称：已有同名事项', 'name');
}

export async function createItem(ctx: Ctx, input: CertItemInput) {
  catalogueKeeper(ctx);
  return runCommand(ctx, { action: 'create', entityType: 'cert_item' }, async (trx) => {
    await assertNameFree(trx, input.name);
    const now = ctx.now().toISOString();
    const row = { id: newId(), ...itemColumns(input), created_at: now, updated_at: now } as CertItemTable;
    await trx.insertInto('cert_item').values(row).execute();
    return { result: { id: row.id }, entityId: row.id, after: row };
  });
}

export async function updateItem(ctx: Ctx, id: string, patch: CertItemPatch) {
  catalogueKeeper(ctx);
  return runCommand(ctx, { action: 'update', entityType: 'cert_item' }, async (trx) => {
    const before = await trx.selectFrom('cert_item').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('证明事项不存在');
    await assertNameFree(trx, patch.name, id);
    const set = { ...itemColumns(patch), updated_at: ctx.now().toISOString() };
    await trx.updateTable('cert_item').set(set).where('id', '=', id).execute();
    return { result: { id }, entityId: id, before, after: { ...before, ...set } };
  });
}

// ---- commitments --------------------------------------------------------------------------------

/** The applicant's listing in force on a date, if any (any item: see the header). */
export async function activeListing(db: Ctx['db'] | Trx, index: string, onDate: string) {
  return db
    .selectFrom('cert_dishonesty')
    .select(['id', 'bar_until', 'listed_on'])
    .where('applicant_id_index', '=', index)
    .where('bar_until', '>=', onDate)
    .where('listed_on', '<=', onDate)
    .where('lifted_at', 'is', null)
    .orderBy('bar_until', 'desc')
    .executeTakeFirst();
}

export async function createCommitment(ctx: Ctx, input: CommitmentInput) {
  const actor = requirePermission(ctx, 'commitments:write');
  return runCommand(ctx, { action: 'create', entityType: 'cert_commitment' }, async (trx) => {
    const item = await trx.selectFrom('cert_item').selectAll().where('id', '=', input.itemId).executeTakeFirst();
    if (!item || !item.enabled) throw badRequest('证明事项：不存在或已停用', 'itemId');
    if (!item.commitment_allowed) throw badRequest(`证明事项：“${item.name}”不适用告知承诺制，请提交证明材料`, 'itemId');
    if (input.handledOn > shanghaiDate(ctx.now())) throw badRequest('承诺日期：不能晚于今天', 'handledOn');
    if (!(await trx.selectFrom('org_unit').select('id').where('id', '=', input.orgUnitId).executeTakeFirst())) {
      throw badRequest('受理单位：不存在', 'orgUnitId');
    }
    await assertUnitWritable(trx, actor, input.orgUnitId, '所选受理单位');
    const applicant = applicantColumns(ctx.cipher, input.applicantKind, input.applicantIdNo);
    const listed = await activeListing(trx, applicant.applicant_id_index, input.handledOn);
    if (listed) {
      throw conflict(
        `申请人：因虚假承诺已列入失信名单（限制期至 ${listed.bar_until}），限制期内不适用告知承诺制，请申请人提交证明材料`,
        'applicantIdNo',
      );
    }
    const now = ctx.now().toISOString();
    const signedText = fillTemplate(item.template, {
      applicant: input.applicantName, item: item.name, certificate: item.certificate, business: input.businessRef,
    });
    const { drawValue, drawn } = drawSample(item.sampling_rate);
    const cal = drawn ? await loadCalendar(trx) : null;
    const row: CertCommitmentTable = {
      id: newId(), item_id: item.id, org_unit_id: input.orgUnitId, applicant_kind: input.applicantKind, applicant_name: input.applicantName,
      ...applicant, business_ref: input.businessRef, handled_on: input.handledOn, signed_text: signedText, text_digest: sm3(signedText),
      signed_at: now, sampling_rate: item.sampling_rate, draw_value: drawValue, drawn: drawn ? 1 : 0,
      verify_status: drawn ? 'pending' : 'not_drawn', verify_due: cal ? naturalDaysDeadline(input.handledOn, item.verify_days, cal) : null,
      verified_on: null, verify_method: null, verify_note: null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('cert_commitment').values(row).execute();
    return {
      result: { id: row.id, drawn, drawValue, samplingRate: item.sampling_rate, verifyDue: row.verify_due, digest: row.text_digest, signedAt: now },
      entityId: row.id,
      after: { ...auditView(row), department: CERT_DEPARTMENTS[item.department as keyof typeof CERT_DEPARTMENTS] ?? item.department },
    };
  });
}

/** 核查结果: only for a drawn commitment still pending; a false one lists the applicant. */
export async function recordVerification(ctx: Ctx, id: string, input: VerificationInput) {
  const actor = requirePermission(ctx, 'commitments:write');
  return runCommand(ctx, { action: 'verify', entityType: 'cert_commitment' }, async (trx) => {
    const before = await trx.selectFrom('cert_commitment').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('承诺记录不存在');
    await assertUnitWritable(trx, actor, before.org_unit_id, '该承诺记录的受理单位');
    if (!before.drawn) throw conflict('核查结果：该承诺未被抽中核查', 'outcome');
    if (before.verify_status !== 'pending') throw conflict('核查结果：已登记，不能重复登记', 'outcome');
    if (input.verifiedOn < before.handled_on) throw badRequest('核查日期：不能早于承诺日期', 'verifiedOn');
    if (input.verifiedOn > shanghaiDate(ctx.now())) throw badRequest('核查日期：不能晚于今天', 'verifiedOn');
    const now = ctx.now().toISOString();
    const set = {
      verify_status: input.outcome, verified_on: input.verifiedOn, verify_method: input.method, verify_note: input.note || null, updated_at: now,
    } as const;
    await trx.updateTable('cert_commitment').set(set).where('id', '=', id).execute();
    let listing: CertDishonestyTable | null = null;
    if (input.outcome === 'false') {
      const item = await trx.selectFrom('cert_item').select(['bar_months']).where('id', '=', before.item_id).executeTakeFirstOrThrow();
      listing = {
        id: newId(), applicant_id_index: before.applicant_id_index, applicant_kind: before.applicant_kind, applicant_name: before.applicant_name,
        applicant_id_masked: before.applicant_id_masked, item_id: before.item_id, commitment_id: id, org_unit_id: before.org_unit_id,
        listed_on: input.verifiedOn, bar_until: barUntil(input.verifiedOn, item.bar_months), lifted_at: null, lifted_on: null,
        lift_reason: null, lifted_by: null, created_at: now,
      };
      await trx.insertInto('cert_dishonesty').values(listing).execute();
    }
    return {
      result: { id, verifyStatus: input.outcome, dishonesty: listing ? { id: listing.id, listedOn: listing.listed_on, barUntil: listing.bar_until } : null },
      entityId: id,
      before: auditView(before),
      after: { ...auditView({ ...before, ...set }), dishonestyListed: listing ? { listedOn: listing.listed_on, barUntil: listing.bar_until } : null },
    };
  });
}

/** 提前移出失信名单, with the reason. */
export async function liftListing(ctx: Ctx, id: string, input: LiftInput) {
  const actor = requirePermission(ctx, 'commitments:write');
  return runCommand(ctx, { action: 'lift', entityType: 'cert_dishonesty' }, async (trx) => {
    const before = await trx.selectFrom('cert_dishonesty').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('失信名单记录不存在');
    await assertUnitWritable(trx, actor, before.org_unit_id, '该失信记录的列入单位');
    if (before.lifted_at) throw conflict('提前移出：该记录已移出', 'reason');
    const today = shanghaiDate(ctx.now());
    if (before.bar_until < today) throw conflict('提前移出：限制期已届满，无需移出', 'reason');
    const now = ctx.now().toISOString();
    const set = { lifted_at: now, lifted_on: today, lift_reason: input.reason, lifted_by: actor.userId };
    await trx.updateTable('cert_dishonesty').set(set).where('id', '=', id).execute();
    const { applicant_id_index: _i, ...view } = before;
    return { result: { id }, entityId: id, before: view, after: { ...view, ...set } };
  });
}
