import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { assertUnitsInScope, assertUnitWritable, peopleInScope, unitWritable, type ScopeColumns } from '../../platform/access.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { sm3 } from '../../platform/crypto.js';
import { newId } from '../../platform/ids.js';
import { protectFields } from '../../platform/protect.js';
import { shanghaiDate } from '../../platform/time.js';
import { attachFiles } from '../files/commands.js';
import { detectMime } from '../files/detect.js';
import { sanitizeFileName } from '../files/names.js';
import { enabledCodes } from '../dict/queries.js';
import { isUniqueViolation } from '../../platform/dberrors.js';
import type { AttachmentTable } from '../../db/types.js';
import type { VillagePairingTable, VillageRecordTable, VillageTable } from '../../db/types-village.js';
import {
  DELIVERABLE_KINDS, PAIRING_TERM_YEARS,
  type DeliverableInput, type DeliverableKind, type PairingEnd, type PairingInput, type RecordInput, type VillageInput,
} from '../../../shared/schemas/village.js';

// 法律志愿服务进乡村“1155”工程. A pairing is its cadre's unit's record (the cadre sees their own under
// scope self); services and visits copy the pairing's cadre and units so lists and the board read them
// by index. A record's id is made on the phone: the first arrival stores it (201), the same content
// again answers the stored record (200, nothing written, no audit), other content under that id is 409.

export const PAIRING_SCOPE: ScopeColumns = { unit: 'village_pairing.org_unit_id', person: 'village_pairing.cadre_person_id' };
export const RECORD_SCOPE: ScopeColumns = { unit: 'village_record.org_unit_id', person: 'village_record.cadre_person_id' };

export async function createVillage(ctx: Ctx, input: VillageInput) {
  const actor = requirePermission(ctx, 'village:write');
  return runCommand(ctx, { action: 'create', entityType: 'village' }, async (trx) => {
    const county = await trx.selectFrom('org_unit').select(['id', 'kind', 'path']).where('id', '=', input.countyUnitId).executeTakeFirst();
    if (!county || county.kind !== 'county_bureau') throw badRequest('所属旗县区司法局：不存在或不是旗县区司法局', 'countyUnitId');
    await assertUnitWritable(trx, actor, county.id, '该旗县区');
    if (input.officeUnitId) {
      const office = await trx.selectFrom('org_unit').select(['id', 'kind', 'parent_id']).where('id', '=', input.officeUnitId).executeTakeFirst();
      if (!office || office.kind !== 'office' || office.parent_id !== county.id) throw badRequest('所属司法所：须为该旗县区司法局下的司法所', 'officeUnitId');
    }
    const taken = await trx.selectFrom('village').select('id').where('county_unit_id', '=', county.id).where('name', '=', input.name).executeTakeFirst();
    if (taken) throw conflict('嘎查村名称：该旗县区已有同名嘎查村', 'name');
    const now = ctx.now().toISOString();
    const row: VillageTable = {
      id: newId(), name: input.name, county_unit_id: county.id, office_unit_id: input.officeUnitId || null, kind: input.kind, created_at: now, updated_at: now,
    };
    await trx.insertInto('village').values(row).execute();
    return { result: { id: row.id }, entityId: row.id, after: row };
  });
}

export async function createPairing(ctx: Ctx, input: PairingInput) {
  const actor = requirePermission(ctx, 'village:write');
  const thisYear = Number(shanghaiDate(ctx.now()).slice(0, 4));
  if (input.startYear > thisYear + 1) throw badRequest('起始年度：不能晚于明年', 'startYear');
  try {
    return await runCommand(ctx, { action: 'create', entityType: 'village_pairing' }, async (trx) => {
      const people = await peopleInScope(trx, actor, [input.cadrePersonId], () => ({ text: '结对干部：不存在或不在您的数据范围内', field: 'cadrePersonId' }));
      const cadre = people.get(input.cadrePersonId)!;
      const status = await trx.selectFrom('person').select('status').where('id', '=', cadre.id).executeTakeFirstOrThrow();
      if (status.status !== 'active') throw badRequest('结对干部：须为在职干警', 'cadrePersonId');
      await assertUnitWritable(trx, actor, cadre.org_unit_id, '结对干部所在单位');
      const village = await trx.selectFrom('village').selectAll().where('id', '=', input.villageId).executeTakeFirst();
      if (!village) throw badRequest('结对嘎查村：不存在', 'villageId');
      await assertUnitsInScope(trx, actor, [village.county_unit_id], 'villageId', '结对嘎查村');
      const busyCadre = await trx
        .selectFrom('village_pairing').innerJoin('village', 'village.id', 'village_pairing.village_id')
        .select('village.name').where('village_pairing.cadre_person_id', '=', cadre.id).where('village_pairing.status', '=', 'active').executeTakeFirst();
      if (busyCadre) throw conflict(`结对干部：${cadre.name} 已与${busyCadre.name}结对，每名干部只结对 1 个嘎查村`, 'cadrePersonId');
      const busyVillage = await trx
        .selectFrom('village_pairing').innerJoin('person', 'person.id', 'village_pairing.cadre_person_id')
        .select('person.name').where('village_pairing.village_id', '=', village.id).where('village_pairing.status', '=', 'active').executeTakeFirst();
      if (busyVillage) throw conflict(`结对嘎查村：${village.name}已由 ${busyVillage.name} 结对，每个嘎查村只结对 1 名干部`, 'villageId');
      const now = ctx.now().toISOString();
      const row: VillagePairingTable = {
        id: newId(), village_id: village.id, cadre_person_id: cadre.id, org_unit_id: cadre.org_unit_id, county_unit_id: village.county_unit_id,
        start_year: input.startYear, end_year: input.startYear + PAIRING_TERM_YEARS - 1, status: 'active', note: input.note || null,
        ended_on: null, end_reason: null, created_by: actor.userId, created_at: now, updated_at: now,
      };
      await trx.insertInto('village_pairing').values(row).execute();
      return { result: { id: row.id, endYear: row.end_year }, entityId: row.id, after: row };
    });
  } catch (err) {
    // Two pairings made at the same moment: the partial unique indexes keep one.
    if (isUniqueViolation(err)) throw conflict('结对干部：该干部或该嘎查村已有结对中的结对', 'cadrePersonId');
    throw err;
  }
}

export async function endPairing(ctx: Ctx, id: string, input: PairingEnd) {
  const actor = requirePermission(ctx, 'village:write');
  return runCommand(ctx, { action: 'end', entityType: 'village_pairing' }, async (trx) => {
    const p = await trx.selectFrom('village_pairing').selectAll().where('id', '=', id).executeTakeFirst();
    if (!p) throw notFound('结对不存在');
    await assertUnitWritable(trx, actor, p.org_unit_id, '该结对所属单位');
    if (p.status !== 'active') throw conflict('状态：该结对已结束', 'status');
    const set = { status: 'ended' as const, ended_on: shanghaiDate(ctx.now()), end_reason: input.reason, updated_at: ctx.now().toISOString() };
    await trx.updateTable('village_pairing').set(set).where('id', '=', id).execute();
    return { result: { id }, entityId: id, before: { status: p.status }, after: set };
  });
}

/** The pairing a field user may record on: their own, or one of a unit they may write. */
async function writablePairing(trx: Trx, ctx: Ctx, pairingId: string) {
  const actor = ctx.actor!;
  const p = await trx.selectFrom('village_pairing').selectAll().where('id', '=', pairingId).executeTakeFirst();
  const own = p && actor.personId && p.cadre_person_id === actor.personId;
  if (!p || (!own && !(await unitWritable(trx, actor, p.org_unit_id)))) throw badRequest('结对：不存在或不在您的数据范围内', 'pairingId');
  return p;
}

// The content digest only tells a retry from a different record under the same id: kept out of audit
// snapshots and logs like every digest column.
protectFields('village_record', { secret: ['digest'] });

/** What a record's id stands for: the content as submitted, normalised, hashed (SM3). */
export function recordDigest(input: RecordInput): string {
  const service = input.type === 'service';
  const canonical = {
    pairingId: input.pairingId, type: input.type, serviceKind: service ? (input.serviceKind ?? null) : null, heldOn: input.heldOn,
    place: input.place, peopleReached: service ? (input.peopleReached ?? null) : null, visited: service ? null : (input.visited ?? null),
    summary: input.summary, photoIds: [...new Set(input.photoIds)].sort(),
  };
  return sm3(JSON.stringify(canonical));
}

/**
 * Stores a service or visit sent from the phone (or the staff pages). Answers `{ created, id }`:
 * created false when this id was already stored with the same content (nothing written).
 */
export async function submitRecord(ctx: Ctx, input: RecordInput): Promise<{ created: boolean; id: string }> {
  const actor = requirePermission(ctx, 'village:field');
  const digest = recordDigest(input);
  const replay = async () => {
    const found = await ctx.db.selectFrom('village_record').select(['id', 'digest', 'created_by']).where('id', '=', input.id).executeTakeFirst();
    if (!found) return null;
    if (found.digest !== digest || found.created_by !== actor.userId) throw conflict('记录编号：该编号已用于另一条内容不同的记录', 'id');
    return { created: false, id: found.id };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await runCommand(ctx, { action: 'create', entityType: 'village_record' }, async (trx) => {
      const p = await writablePairing(trx, ctx, input.pairingId);
      if (p.status !== 'active') throw badRequest('结对：该结对已结束，不能再登记', 'pairingId');
      if (input.heldOn > shanghaiDate(ctx.now())) throw badRequest('日期：不能晚于今天', 'heldOn');
      const year = Number(input.heldOn.slice(0, 4));
      if (year < p.start_year || year > p.end_year) throw badRequest(`日期：须在结对期限内（${p.start_year} 至 ${p.end_year} 年）`, 'heldOn');
      const service = input.type === 'service';
      const photos = [...new Set(input.photoIds)];
      const row: VillageRecordTable = {
        id: input.id, pairing_id: p.id, type: input.type, service_kind: service ? input.serviceKind! : null, held_on: input.heldOn, year,
        place: input.place, people_reached: service ? (input.peopleReached ?? 0) : null, visited: service ? null : (input.visited ?? null),
        summary: input.summary, photo_count: photos.length, digest, cadre_person_id: p.cadre_person_id, org_unit_id: p.org_unit_id,
        county_unit_id: p.county_unit_id, created_by: actor.userId, created_at: ctx.now().toISOString(),
      };
      await trx.insertInto('village_record').values(row).execute();
      await attachFiles(trx, actor.userId, photos, 'village_record', row.id, 'photoIds');
      const { summary: _s, digest: _d, ...audited } = row;
      return { result: { created: true, id: row.id }, entityId: row.id, after: { ...audited, photoIds: photos } };
    });
  } catch (err) {
    // The same id sent twice at once: the primary key kept one; answer as for a later replay.
    if (isUniqueViolation(err)) {
      const again = await replay();
      if (again) return again;
    }
    throw err;
  }
}

/**
 * A photo for a record, under an id the phone made (PUT, so a retried upload is the same upload):
 * the same id with the same bytes answers the stored file; with other bytes, or someone else's, 409.
 * The bytes are checked like any upload (type from the content, the allowed types) and stored once
 * per content; the attachment joins its record when the record arrives (attachFiles).
 */
export async function putPhoto(ctx: Ctx, id: string, data: Buffer, filename: string | undefined) {
  const actor = requirePermission(ctx, 'village:field');
  if (!data.length) throw badRequest('照片：不能为空', 'file');
  const mime = await detectMime(data);
  const allowed = await enabledCodes(ctx.db, 'attachment_type');
  if (!mime || !mime.startsWith('image/') || !allowed.some((a) => a.code === mime)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '照片：仅支持图片文件', 'file');
  const hash = await ctx.files.put(data);
  const present = (r: Pick<AttachmentTable, 'id' | 'original_name' | 'size' | 'mime' | 'content_hash'>) => ({
    id: r.id, name: r.original_name, size: Number(r.size), mime: r.mime, hash: r.content_hash,
  });
  const same = async () => {
    const found = await ctx.db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst();
    if (!found) return null;
    if (found.uploaded_by !== actor.userId || found.content_hash !== hash) throw conflict('照片编号：该编号已用于另一张照片', 'id');
    return { created: false, file: present(found) };
  };
  const earlier = await same();
  if (earlier) return earlier;
  try {
    return await runCommand(ctx, { action: 'upload', entityType: 'attachment' }, async (trx) => {
      const row: AttachmentTable = {
        id, content_hash: hash, size: data.length, mime, original_name: sanitizeFileName(filename, mime), uploaded_by: actor.userId,
        owner_type: null, owner_id: null, created_at: ctx.now().toISOString(),
      };
      await trx.insertInto('attachment').values(row).execute();
      return { result: { created: true, file: present(row) }, entityId: id, after: row };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const again = await same();
      if (again) return again;
    }
    throw err;
  }
}

export async function setDeliverable(ctx: Ctx, pairingId: string, kind: DeliverableKind, input: DeliverableInput) {
  const actor = requirePermission(ctx, 'village:write');
  if (input.status === 'done' && input.doneOn && input.doneOn > shanghaiDate(ctx.now())) throw badRequest('完成日期：不能晚于今天', 'doneOn');
  if (kind === 'dispute_resolved' && input.status === 'done' && !(input.count && input.count >= 1)) {
    throw badRequest('数量：化解矛盾纠纷或信访案件至少 1 件', 'count');
  }
  return runCommand(ctx, { action: 'update', entityType: 'village_deliverable' }, async (trx) => {
    const p = await trx.selectFrom('village_pairing').selectAll().where('id', '=', pairingId).executeTakeFirst();
    if (!p) throw notFound('结对不存在');
    if (!(await unitWritable(trx, actor, p.org_unit_id))) throw forbidden('无权操作该结对所属单位（超出本人数据范围）');
    const before = await trx.selectFrom('village_deliverable').selectAll().where('pairing_id', '=', pairingId).where('kind', '=', kind).executeTakeFirst();
    const now = ctx.now().toISOString();
    const values = {
      status: input.status, done_on: input.status === 'done' ? (input.doneOn ?? null) : null, count: input.count ?? null,
      evidence: input.evidence || null, updated_by: actor.userId, updated_at: now,
    };
    const id = before?.id ?? newId();
    if (before) await trx.updateTable('village_deliverable').set(values).where('id', '=', id).execute();
    else await trx.insertInto('village_deliverable').values({ id, pairing_id: pairingId, kind, created_at: now, ...values }).execute();
    await attachFiles(trx, actor.userId, input.fileIds, 'village_deliverable', id, 'fileIds');
    return {
      result: { id, kind, label: DELIVERABLE_KINDS[kind] },
      entityId: id,
      before: before ? { status: before.status, doneOn: before.done_on, count: before.count } : null,
      after: { pairingId, kind, ...values, fileIds: input.fileIds },
    };
  });
}
