import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { assertUnitsInScope, assertUnitWritable } from '../../platform/access.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { PolicyDocumentTable, PolicyVersionTable } from '../../db/types-interference.js';
import { attachFiles } from '../files/commands.js';
import type { PolicyAckInput, PolicyInput, PolicyVersionInput } from '../../../shared/schemas/policies.js';

// 制度文件: the bureau's rules and standards, versioned. Publishing a version makes it the current one
// and the one before it superseded; every serving officer under the issuing unit (or under the units
// chosen) is to acknowledge the current version, once, by typing their name. Acknowledging a
// superseded version is refused (the person is sent to the current one); acknowledging again answers
// the first acknowledgement and writes nothing.

async function insertVersion(trx: Trx, ctx: Ctx, policyId: string, versionNo: number, v: PolicyVersionInput): Promise<PolicyVersionTable> {
  const row: PolicyVersionTable = {
    id: newId(), policy_id: policyId, version_no: versionNo, status: 'current', effective_on: v.effectiveOn, body: v.body || null,
    change_note: v.changeNote || null, published_by: ctx.actor?.userId ?? null, published_at: ctx.now().toISOString(),
  };
  await trx.insertInto('policy_version').values(row).execute();
  await attachFiles(trx, ctx.actor!.userId, v.attachmentIds, 'policy_version', row.id, 'version.attachmentIds');
  return row;
}

export async function createPolicy(ctx: Ctx, input: PolicyInput) {
  const actor = requirePermission(ctx, 'policies:write');
  return runCommand(ctx, { action: 'create', entityType: 'policy_document' }, async (trx) => {
    const unit = await trx.selectFrom('org_unit').select('id').where('id', '=', input.issuingUnitId).executeTakeFirst();
    if (!unit) throw badRequest('发文单位：不存在', 'issuingUnitId');
    await assertUnitWritable(trx, actor, input.issuingUnitId, '发文单位');
    const audienceUnits = input.audience === 'units' ? [...new Set(input.audienceUnitIds)] : [];
    await assertUnitsInScope(trx, actor, audienceUnits, 'audienceUnitIds', '阅知单位');
    const now = ctx.now().toISOString();
    const doc: PolicyDocumentTable = {
      id: newId(), title: input.title, doc_no: input.docNo || null, category: input.category, issuing_unit_id: input.issuingUnitId,
      audience: input.audience, current_version_id: null, current_version_no: 1, current_effective_on: input.version.effectiveOn,
      created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('policy_document').values(doc).execute();
    if (audienceUnits.length) await trx.insertInto('policy_audience_unit').values(audienceUnits.map((u) => ({ policy_id: doc.id, org_unit_id: u }))).execute();
    const v = await insertVersion(trx, ctx, doc.id, 1, input.version);
    await trx.updateTable('policy_document').set({ current_version_id: v.id }).where('id', '=', doc.id).execute();
    return {
      result: { id: doc.id, versionId: v.id, versionNo: 1 },
      entityId: doc.id,
      after: { title: doc.title, docNo: doc.doc_no, category: doc.category, audience: doc.audience, audienceUnits, versionNo: 1, effectiveOn: v.effective_on },
    };
  });
}

/** 修订: a new version becomes current; the one before is kept as superseded (its acknowledgements with it). */
export async function publishVersion(ctx: Ctx, policyId: string, input: PolicyVersionInput) {
  const actor = requirePermission(ctx, 'policies:write');
  return runCommand(ctx, { action: 'publish_version', entityType: 'policy_document' }, async (trx) => {
    const doc = await trx.selectFrom('policy_document').selectAll().where('id', '=', policyId).executeTakeFirst();
    if (!doc) throw notFound('制度文件不存在');
    await assertUnitWritable(trx, actor, doc.issuing_unit_id, '该制度的发文单位');
    if (input.effectiveOn < doc.current_effective_on) throw badRequest(`施行日期：不能早于现行版本的施行日期（${doc.current_effective_on}）`, 'effectiveOn');
    await trx.updateTable('policy_version').set({ status: 'superseded' }).where('policy_id', '=', policyId).where('status', '=', 'current').execute();
    const no = doc.current_version_no + 1;
    const v = await insertVersion(trx, ctx, policyId, no, input);
    const res = await trx
      .updateTable('policy_document')
      .set({ current_version_id: v.id, current_version_no: no, current_effective_on: v.effective_on, updated_at: ctx.now().toISOString() })
      .where('id', '=', policyId)
      .where('current_version_no', '=', doc.current_version_no)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('制度已被他人修订，请刷新后重试');
    return {
      result: { id: policyId, versionId: v.id, versionNo: no },
      entityId: policyId,
      before: { versionNo: doc.current_version_no },
      after: { versionNo: no, effectiveOn: v.effective_on, changeNote: v.change_note },
    };
  });
}

/** 确认已阅: the signed-in person acknowledges the current version, once. */
export async function acknowledge(ctx: Ctx, policyId: string, input: PolicyAckInput) {
  const actor = requirePermission(ctx, 'policies:read');
  if (!actor.personId) throw forbidden('本账号未关联干警，不能确认阅知');
  const personId = actor.personId;
  const version = await ctx.db.selectFrom('policy_version').selectAll().where('id', '=', input.versionId).where('policy_id', '=', policyId).executeTakeFirst();
  if (!version) throw notFound('制度文件或版本不存在');
  if (version.status !== 'current') throw conflict('该版本已被新版本替代，请阅知现行版本', 'versionId');
  const person = await ctx.db.selectFrom('person').select(['name', 'org_unit_id']).where('id', '=', personId).executeTakeFirstOrThrow();
  if (input.signedName !== person.name) throw badRequest('确认：须输入本人姓名全名', 'signedName');
  const existing = await ctx.db.selectFrom('policy_ack').select('acked_at').where('version_id', '=', version.id).where('person_id', '=', personId).executeTakeFirst();
  if (existing) return { versionId: version.id, versionNo: version.version_no, ackedAt: existing.acked_at, already: true };
  return runCommand(ctx, { action: 'acknowledge', entityType: 'policy_document' }, async (trx) => {
    // Published again meanwhile: the version being read is no longer the one to acknowledge.
    const still = await trx.selectFrom('policy_version').select('status').where('id', '=', version.id).executeTakeFirstOrThrow();
    if (still.status !== 'current') throw conflict('该版本已被新版本替代，请阅知现行版本', 'versionId');
    const now = ctx.now().toISOString();
    await trx
      .insertInto('policy_ack')
      .values({ version_id: version.id, policy_id: policyId, person_id: personId, org_unit_id: person.org_unit_id, confirmed_name: input.signedName, acked_at: now })
      .onConflict((oc) => oc.columns(['version_id', 'person_id']).doNothing())
      .execute();
    return { result: { versionId: version.id, versionNo: version.version_no, ackedAt: now, already: false }, entityId: policyId, after: { versionNo: version.version_no } };
  });
}
