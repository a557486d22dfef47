import { sql, type ExpressionBuilder } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import type { DB } from '../../db/types.js';
import { listAttachments } from '../files/queries.js';
import { listNotDone, servingPeople, unitPathOf, type DoneCondition } from '../people/coverage.js';
import { POLICY_AUDIENCES, POLICY_CATEGORIES, POLICY_VERSION_STATUS, type PolicyCoverageQuery, type PolicyQuery } from '../../../shared/schemas/policies.js';

const label = <T extends Record<string, string>>(m: T, k: string | null) => (k ? (m[k as keyof T] ?? k) : null);

/** The unit paths whose serving officers must acknowledge the policy: the issuing unit's, or each chosen unit's. */
async function audiencePaths(ctx: Ctx, policyIds: string[]): Promise<Map<string, { paths: string[]; units: { id: string; name: string }[] }>> {
  const out = new Map<string, { paths: string[]; units: { id: string; name: string }[] }>();
  if (!policyIds.length) return out;
  const docs = await ctx.db
    .selectFrom('policy_document')
    .innerJoin('org_unit', 'org_unit.id', 'policy_document.issuing_unit_id')
    .select(['policy_document.id', 'policy_document.audience', 'org_unit.id as unit_id', 'org_unit.name', 'org_unit.path'])
    .where('policy_document.id', 'in', policyIds)
    .execute();
  const chosen = await ctx.db
    .selectFrom('policy_audience_unit')
    .innerJoin('org_unit', 'org_unit.id', 'policy_audience_unit.org_unit_id')
    .select(['policy_audience_unit.policy_id', 'org_unit.id', 'org_unit.name', 'org_unit.path'])
    .where('policy_audience_unit.policy_id', 'in', policyIds)
    .orderBy('org_unit.path')
    .execute();
  for (const d of docs) {
    const units = d.audience === 'units' ? chosen.filter((c) => c.policy_id === d.id) : [{ id: d.unit_id, name: d.name, path: d.path }];
    out.set(d.id, { paths: units.map((u) => u.path), units: units.map((u) => ({ id: u.id, name: u.name })) });
  }
  return out;
}

/** A person (by sort_key = their unit's path) is in the audience: under one of the paths. */
const inAudience = (paths: string[]) => (eb: ExpressionBuilder<DB, 'person'>) =>
  eb.or(paths.map((p) => eb.and([eb('person.sort_key', '>=', p), eb('person.sort_key', '<', `${p}\uffff`)])));

const acked = (versionId: string): DoneCondition => (eb) =>
  eb.exists(eb.selectFrom('policy_ack as pa').select('pa.person_id').whereRef('pa.person_id', '=', 'person.id').where('pa.version_id', '=', versionId));

async function myPath(ctx: Ctx, actor: Actor): Promise<string | null> {
  if (!actor.personId) return null;
  const p = await ctx.db.selectFrom('person').select('sort_key').where('id', '=', actor.personId).executeTakeFirst();
  return p?.sort_key ?? null;
}

/**
 * The policy list (latest revised first, index policy_order; policy_category_order by category), with the
 * current version and whether the caller must acknowledge it and has. Rules are no secret: every holder
 * of policies:read sees every policy.
 */
export async function listPolicies(ctx: Ctx, actor: Actor, f: PolicyQuery) {
  let from = ctx.db.selectFrom('policy_document');
  if (f.category) from = from.where('policy_document.category', '=', f.category);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    from = from.where((eb) => eb.or([eb('policy_document.title', 'like', like), eb('policy_document.doc_no', 'like', like)]));
  }
  const page = await listPage(ctx.db, {
    name: 'policies',
    from,
    id: 'policy_document.id',
    order: [['policy_document.updated_at', 'desc'], ['policy_document.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('policy_document')
        .innerJoin('org_unit', 'org_unit.id', 'policy_document.issuing_unit_id')
        .selectAll('policy_document')
        .select('org_unit.name as issuing_unit_name')
        .where('policy_document.id', 'in', ids),
    count: f.q ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const [audience, path, mine] = await Promise.all([
    audiencePaths(ctx, page.items.map((p) => p.id)),
    myPath(ctx, actor),
    actor.personId && page.items.length
      ? ctx.db.selectFrom('policy_ack').select(['version_id', 'acked_at']).where('person_id', '=', actor.personId).where('version_id', 'in', page.items.map((p) => p.current_version_id ?? '')).execute()
      : Promise.resolve([]),
  ]);
  const ackedAt = new Map(mine.map((a) => [a.version_id, a.acked_at]));
  return {
    ...page,
    items: page.items.map((p) => ({
      ...presentDoc(p),
      requiredForMe: Boolean(path && audience.get(p.id)?.paths.some((a) => path.startsWith(a))),
      myAckAt: ackedAt.get(p.current_version_id ?? '') ?? null,
    })),
  };
}

function presentDoc(p: { id: string; title: string; doc_no: string | null; category: string; issuing_unit_id: string; issuing_unit_name: string; audience: string; current_version_id: string | null; current_version_no: number; current_effective_on: string; updated_at: string }) {
  return {
    id: p.id, title: p.title, docNo: p.doc_no, category: p.category, categoryLabel: label(POLICY_CATEGORIES, p.category),
    issuingUnitId: p.issuing_unit_id, issuingUnitName: p.issuing_unit_name, audience: p.audience, audienceLabel: label(POLICY_AUDIENCES, p.audience),
    currentVersionId: p.current_version_id, currentVersionNo: p.current_version_no, currentEffectiveOn: p.current_effective_on, updatedAt: p.updated_at,
  };
}

/** One policy: its versions (newest first, each with its text and files), who must acknowledge, the caller's acknowledgements. */
export async function getPolicy(ctx: Ctx, actor: Actor, id: string) {
  const doc = await ctx.db
    .selectFrom('policy_document')
    .innerJoin('org_unit', 'org_unit.id', 'policy_document.issuing_unit_id')
    .selectAll('policy_document')
    .select('org_unit.name as issuing_unit_name')
    .where('policy_document.id', '=', id)
    .executeTakeFirst();
  if (!doc) throw notFound('制度文件不存在');
  const [versions, audience, path, mine] = await Promise.all([
    ctx.db.selectFrom('policy_version').selectAll().where('policy_id', '=', id).orderBy('version_no', 'desc').execute(),
    audiencePaths(ctx, [id]),
    myPath(ctx, actor),
    actor.personId ? ctx.db.selectFrom('policy_ack').select(['version_id', 'acked_at']).where('person_id', '=', actor.personId).where('policy_id', '=', id).execute() : Promise.resolve([]),
  ]);
  const ackedAt = new Map(mine.map((a) => [a.version_id, a.acked_at]));
  const files = await Promise.all(versions.map((v) => listAttachments(ctx.db, 'policy_version', v.id)));
  const aud = audience.get(id)!;
  return {
    ...presentDoc(doc),
    audienceUnits: aud.units,
    requiredForMe: Boolean(path && aud.paths.some((a) => path.startsWith(a))),
    canAcknowledge: Boolean(actor.personId),
    versions: versions.map((v, i) => ({
      id: v.id, versionNo: v.version_no, status: v.status, statusLabel: POLICY_VERSION_STATUS[v.status], effectiveOn: v.effective_on, body: v.body,
      changeNote: v.change_note, publishedAt: v.published_at, attachments: files[i]!, myAckAt: ackedAt.get(v.id) ?? null,
    })),
  };
}

async function versionOf(ctx: Ctx, policyId: string, versionId?: string) {
  const doc = await ctx.db.selectFrom('policy_document').select(['id', 'current_version_id']).where('id', '=', policyId).executeTakeFirst();
  if (!doc) throw notFound('制度文件不存在');
  const v = await ctx.db.selectFrom('policy_version').select(['id', 'version_no', 'status']).where('policy_id', '=', policyId).where('id', '=', versionId ?? doc.current_version_id ?? '').executeTakeFirst();
  if (!v) throw badRequest('版本：不存在', 'versionId');
  return v;
}

/**
 * 阅知情况 of one version (default the current one): serving officers in the caller's scope who are in
 * the policy's audience, per unit (tree order) and in all, acknowledged or not.
 */
export async function ackCoverage(ctx: Ctx, actor: Actor | null, policyId: string, f: { versionId?: string; orgUnitId?: string }) {
  const v = await versionOf(ctx, policyId, f.versionId);
  const paths = (await audiencePaths(ctx, [policyId])).get(policyId)!.paths;
  const rows = await servingPeople(ctx, actor, await unitPathOf(ctx, f.orgUnitId))
    .where((eb) => inAudience(paths)(eb as unknown as ExpressionBuilder<DB, 'person'>))
    .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
    .select((eb) => [
      'person.org_unit_id as unitId', 'org_unit.name as unitName', 'org_unit.path as unitPath', sql<number>`count(*)`.as('total'),
      sql<number>`sum(case when ${acked(v.id)(eb as unknown as ExpressionBuilder<DB, 'person'>)} then 1 else 0 end)`.as('done'),
    ])
    .groupBy(['person.org_unit_id', 'org_unit.name', 'org_unit.path'])
    .execute();
  const units = rows
    .map((r) => ({ unitId: r.unitId, unitName: r.unitName, unitPath: r.unitPath, total: Number(r.total), acknowledged: Number(r.done ?? 0) }))
    .map((r) => ({ ...r, missing: r.total - r.acknowledged }))
    .sort((a, b) => (a.unitPath < b.unitPath ? -1 : a.unitPath > b.unitPath ? 1 : 0))
    .map(({ unitPath: _p, ...u }) => u);
  const total = units.reduce((a, u) => a + u.total, 0);
  const acknowledged = units.reduce((a, u) => a + u.acknowledged, 0);
  return { version: { id: v.id, versionNo: v.version_no, status: v.status }, total, acknowledged, missing: total - acknowledged, units };
}

/** Who in scope and in the audience has not acknowledged the version, in the people list's order (index person_sort). */
export async function listNotAcknowledged(ctx: Ctx, actor: Actor, policyId: string, f: PolicyCoverageQuery) {
  const v = await versionOf(ctx, policyId, f.versionId);
  const paths = (await audiencePaths(ctx, [policyId])).get(policyId)!.paths;
  // "Done" for the missing list: acknowledged, or not asked to (outside the audience).
  const done: DoneCondition = (eb) => eb.or([acked(v.id)(eb), eb.not(inAudience(paths)(eb))]);
  return { ...(await listNotDone(ctx, actor, done, f, 'policy-missing')), versionId: v.id };
}

/** Whether the caller may read a version's files: everyone who reads policies. */
export async function versionReadable(ctx: Ctx, _versionId: string): Promise<boolean> {
  return Boolean(ctx.actor?.permissions.has('policies:read'));
}
