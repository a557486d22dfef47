import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, assertUnitsInScope, assertUnitWritable, hasAllScope, unitWritable } from '../../platform/access.js';
import { newId } from '../../platform/ids.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import type { FieldCipher } from '../../platform/crypto.js';
import { maskPhone, maskResidentId, residentIdFacts } from '../../../shared/validators.js';
import type { PersonInput, PersonPatch } from '../../../shared/schemas/people.js';
import type { PersonTable } from '../../db/types.js';
import { enabledCodes } from '../dict/queries.js';

/** Sensitive columns: sealed value, masked display form, and the ID number's blind index. */
export function sealedColumns(cipher: FieldCipher, phone: string | null | undefined, idNumber: string | null | undefined) {
  const out: Partial<PersonTable> = {};
  if (phone !== undefined) {
    out.phone_enc = phone ? cipher.seal(phone) : null;
    out.phone_masked = phone ? maskPhone(phone) : null;
  }
  if (idNumber !== undefined) {
    out.id_no_enc = idNumber ? cipher.seal(idNumber) : null;
    out.id_no_masked = idNumber ? maskResidentId(idNumber) : null;
    out.id_no_index = idNumber ? cipher.blindIndex(idNumber) : null;
    if (idNumber) {
      const facts = residentIdFacts(idNumber);
      out.birth_date = facts.birthDate;
      out.gender = facts.gender;
    }
  }
  return out;
}

/** What the audit log keeps of a person: never the plain phone or ID number. */
function auditView(p: Partial<PersonTable>) {
  const { phone_enc: _p, id_no_enc: _i, id_no_index: _x, ...rest } = p;
  return rest;
}

/** Said of an ID number registered to someone outside the caller's scope: nothing about who, or where. */
export const ID_NUMBER_UNAVAILABLE = '该身份证号无法登记，请核对号码；确认无误的，请联系市局系统管理员处理';

/**
 * ID numbers are unique across the bureau, but a refusal says only what the caller's scope allows:
 * a holder the caller can see is named; otherwise the answer does not confirm that the number
 * belongs to an officer anywhere (no existence oracle for a county's administrator).
 */
async function assertIdNumberFree(ctx: Ctx, trx: Trx, index: string | null | undefined, exceptId?: string) {
  if (!index) return;
  let q = trx.selectFrom('person').select(['id', 'org_unit_id']).where('id_no_index', '=', index);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const holder = await q.executeTakeFirst();
  if (!holder) return;
  const visible = await applyScope(trx.selectFrom('person').select(['person.id', 'person.name']), ctx.actor!, { unit: 'person.org_unit_id', person: 'person.id' })
    .where('person.id', '=', holder.id)
    .executeTakeFirst();
  throw conflict(visible ? `身份证号：已登记在干警“${visible.name}”名下` : `身份证号：${ID_NUMBER_UNAVAILABLE}`, 'idNumber');
}

async function assertRefs(trx: Trx, actor: Actor, orgUnitId?: string, partyOrgId?: string | null) {
  if (orgUnitId && !(await trx.selectFrom('org_unit').select('id').where('id', '=', orgUnitId).executeTakeFirst())) {
    throw badRequest('所在单位：不存在', 'orgUnitId');
  }
  if (partyOrgId) {
    // A party organisation belongs to a unit: one outside the caller's scope is refused like a missing one.
    const party = await trx.selectFrom('party_org').select(['id', 'org_unit_id']).where('id', '=', partyOrgId).executeTakeFirst();
    const visible = party && (hasAllScope(actor) || (party.org_unit_id && (await unitVisible(trx, actor, party.org_unit_id))));
    if (!visible) throw badRequest('党组织：不存在或不在您的数据范围内', 'partyOrgId');
  }
}

async function unitVisible(trx: Trx, actor: Actor, unitId: string): Promise<boolean> {
  try {
    await assertUnitsInScope(trx, actor, [unitId], 'partyOrgId', '党组织');
    return true;
  } catch {
    return false;
  }
}

/**
 * The post as its dictionary code. A code or a label (科员) is accepted; anything else is refused, so
 * lists, filters and exports never meet a post the dictionary does not know.
 */
async function postCode(trx: Trx, post: string | null | undefined): Promise<string | null | undefined> {
  if (post === undefined) return undefined;
  if (!post) return null;
  const hit = (await enabledCodes(trx, 'post')).find((i) => i.code === post || i.label === post);
  if (!hit) throw badRequest(`职务：“${post}”不是字典中的职务`, 'post');
  return hit.code;
}

export function personRow(ctx: Ctx, input: PersonInput, id: string, now: string) {
  return {
    id,
    name: input.name,
    gender: input.gender ?? null,
    birth_date: null,
    org_unit_id: input.orgUnitId,
    post: input.post || null,
    party_org_id: input.partyOrgId || null,
    police_no: input.policeNo || null,
    phone_enc: null,
    phone_masked: null,
    id_no_enc: null,
    id_no_masked: null,
    id_no_index: null,
    status: input.status ?? 'active',
    created_at: now,
    updated_at: now,
    ...sealedColumns(ctx.cipher, input.phone || null, input.idNumber || null),
  } satisfies PersonTable;
}

export async function createPerson(ctx: Ctx, input: PersonInput) {
  const actor = requirePermission(ctx, 'people:write');
  await assertUnitWritable(ctx.db, actor, input.orgUnitId, '所选单位');
  return runCommand(ctx, { action: 'create', entityType: 'person' }, async (trx) => {
    await assertRefs(trx, actor, input.orgUnitId, input.partyOrgId);
    const row = personRow(ctx, { ...input, post: await postCode(trx, input.post) }, newId(), ctx.now().toISOString());
    await assertIdNumberFree(ctx, trx, row.id_no_index);
    await trx.insertInto('person').values(row).execute();
    return { result: { id: row.id }, entityId: row.id, after: auditView(row) };
  });
}

async function scopedPerson(ctx: Ctx, trx: Trx, id: string) {
  const row = await applyScope(trx.selectFrom('person').selectAll(), ctx.actor!, { unit: 'person.org_unit_id', person: 'person.id' })
    .where('person.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('干警不存在或不在您的数据范围内');
  return row;
}

export async function updatePerson(ctx: Ctx, id: string, patch: PersonPatch) {
  const actor = requirePermission(ctx, 'people:write');
  if (patch.orgUnitId) await assertUnitWritable(ctx.db, actor, patch.orgUnitId, '目标单位');
  return runCommand(ctx, { action: 'update', entityType: 'person' }, async (trx) => {
    const before = await scopedPerson(ctx, trx, id);
    // The record itself must be writable, not merely visible ('self' sees but cannot edit others' units).
    if (!(await unitWritable(trx as any, actor, before.org_unit_id))) throw notFound('干警不存在或不在您的数据范围内');
    await assertRefs(trx, actor, patch.orgUnitId, patch.partyOrgId);
    const post = await postCode(trx, patch.post);
    const sealed = sealedColumns(
      ctx.cipher,
      patch.phone === undefined ? undefined : patch.phone || null,
      patch.idNumber === undefined ? undefined : patch.idNumber || null,
    );
    await assertIdNumberFree(ctx, trx, sealed.id_no_index, id);
    const set: Partial<PersonTable> = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.orgUnitId !== undefined ? { org_unit_id: patch.orgUnitId } : {}),
      ...(post !== undefined ? { post } : {}),
      ...(patch.partyOrgId !== undefined ? { party_org_id: patch.partyOrgId || null } : {}),
      ...(patch.policeNo !== undefined ? { police_no: patch.policeNo || null } : {}),
      ...(patch.gender !== undefined && !sealed.gender ? { gender: patch.gender ?? null } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...sealed,
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('person').set(set).where('id', '=', id).execute();
    // A person moved to another unit takes their account along, so scopes stay consistent.
    if (patch.orgUnitId && patch.orgUnitId !== before.org_unit_id) {
      await trx.updateTable('app_user').set({ org_unit_id: patch.orgUnitId }).where('person_id', '=', id).execute();
    }
    return { result: { id }, entityId: id, before: auditView(before), after: auditView({ ...before, ...set }) };
  });
}

export async function deletePerson(ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'people:write');
  return runCommand(ctx, { action: 'delete', entityType: 'person' }, async (trx) => {
    const before = await scopedPerson(ctx, trx, id);
    if (!(await unitWritable(trx as any, actor, before.org_unit_id))) throw notFound('干警不存在或不在您的数据范围内');
    const account = await trx.selectFrom('app_user').select('id').where('person_id', '=', id).executeTakeFirst();
    if (account) throw conflict('该干警已开通账号，请先停用或解除账号关联；离岗人员请将状态改为“调离”或“退休”');
    await trx.deleteFrom('person').where('id', '=', id).execute();
    return { result: { id }, entityId: id, before: auditView(before) };
  });
}
