import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead, requirePermission } from '../../platform/context.js';
import { applyScope, PERSON_SCOPE } from '../../platform/access.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { campaignToShow } from '../campaigns/queries.js';
import { PLEDGE_TEXT, SELF_CHECK_STATUS, type SelfCheckListQuery, type SelfCheckMissingQuery } from '../../../shared/schemas/self-checks.js';
import { checklist, contentDigest, SELF_CHECK_SCOPE, type SelfCheckAnswer } from './commands.js';

/** The campaign the self-check pages open on: in progress, else the latest begun with reports. */
export async function selfCheckCampaign(ctx: Ctx, campaignId?: string): Promise<string> {
  const id =
    campaignId ??
    (await campaignToShow(ctx, async (ids) => {
      const rows = await ctx.db.selectFrom('self_check_report').select('campaign_id').distinct().where('campaign_id', 'in', ids).execute();
      return new Set(rows.map((r) => r.campaign_id));
    }));
  if (!id) throw badRequest('教育整顿批次：尚未设立批次', 'campaignId');
  return id;
}

/** The people a coverage figure counts: serving officers (在职) in the caller's scope, optionally one unit's subtree. */
function peopleInScope(ctx: Ctx, actor: Actor | null, orgUnitPath?: string) {
  let q = ctx.db.selectFrom('person').where('person.status', '=', 'active');
  if (actor) q = applyScope(q, actor, PERSON_SCOPE);
  // person.sort_key begins with the unit's path (0004): a subtree is one index range.
  if (orgUnitPath) q = q.where('person.sort_key', '>=', orgUnitPath).where('person.sort_key', '<', `${orgUnitPath}\uffff`);
  return q;
}

const signedIn = (campaignId: string) => (eb: any) =>
  eb.exists(
    eb
      .selectFrom('self_check_report as r')
      .select('r.id')
      .whereRef('r.person_id', '=', 'person.id')
      .where('r.campaign_id', '=', campaignId)
      .where('r.status', '=', 'signed'),
  );

async function unitPath(ctx: Ctx, orgUnitId?: string): Promise<string | undefined> {
  if (!orgUnitId) return undefined;
  const u = await ctx.db.selectFrom('org_unit').select('path').where('id', '=', orgUnitId).executeTakeFirst();
  if (!u) throw badRequest('单位：不存在', 'orgUnitId');
  return u.path;
}

// ---------------------------------------------------------------- the person's own report

export async function myReport(ctx: Ctx, campaignId?: string) {
  const actor = requirePermission(ctx, 'selfcheck:fill');
  const id = await selfCheckCampaign(ctx, campaignId);
  const [campaign, items, versions, person] = await Promise.all([
    ctx.db.selectFrom('campaign').select(['id', 'name']).where('id', '=', id).executeTakeFirst(),
    checklist(ctx.db, id),
    actor.personId
      ? ctx.db.selectFrom('self_check_report').selectAll().where('person_id', '=', actor.personId).where('campaign_id', '=', id).orderBy('version', 'desc').execute()
      : Promise.resolve([]),
    actor.personId ? ctx.db.selectFrom('person').select(['name']).where('id', '=', actor.personId).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  if (!campaign) throw notFound('教育整顿批次不存在');
  const current = versions[0];
  return {
    campaign,
    personName: person?.name ?? null,
    canFill: Boolean(actor.personId),
    pledge: PLEDGE_TEXT,
    items: items.map((i) => ({ categoryId: i.id, code: i.code, name: i.name, kind: i.kind })),
    current: current ? presentReport(current, true) : null,
    versions: versions.map((v) => ({ id: v.id, version: v.version, status: v.status, statusLabel: SELF_CHECK_STATUS[v.status], signedAt: v.signed_at })),
  };
}

function presentReport(r: {
  id: string; campaign_id: string; person_id: string; version: number; status: keyof typeof SELF_CHECK_STATUS; answers: string;
  declared_count: number; free_text: string | null; signed_name: string | null; content_digest: string | null; signed_at: string | null;
  reviewed_at: string | null; review_note: string | null; updated_at: string;
}, withContent: boolean) {
  const digest = contentDigest(r);
  return {
    id: r.id,
    campaignId: r.campaign_id,
    personId: r.person_id,
    version: r.version,
    status: r.status,
    statusLabel: SELF_CHECK_STATUS[r.status],
    declaredCount: r.declared_count,
    ...(withContent ? { answers: JSON.parse(r.answers) as SelfCheckAnswer[], freeText: r.free_text } : {}),
    // The digest of the content as stored now; for a signed version it must equal the signed one.
    digest,
    signature: r.signed_at ? { name: r.signed_name, digest: r.content_digest, at: r.signed_at, intact: r.content_digest === digest } : null,
    reviewedAt: r.reviewed_at,
    reviewNote: r.review_note,
    updatedAt: r.updated_at,
  };
}

// ---------------------------------------------------------------- coverage (who has, who has not)

/** Per unit: serving officers in scope, how many signed, how many not; and the totals. */
export async function coverage(ctx: Ctx, actor: Actor | null, campaignId: string, orgUnitId?: string) {
  const path = await unitPath(ctx, orgUnitId);
  const rows = await peopleInScope(ctx, actor, path)
    .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
    .select((eb) => [
      'person.org_unit_id as unitId',
      'org_unit.name as unitName',
      'org_unit.path as unitPath',
      sql<number>`count(*)`.as('total'),
      sql<number>`sum(case when ${signedIn(campaignId)(eb)} then 1 else 0 end)`.as('submitted'),
    ])
    .groupBy(['person.org_unit_id', 'org_unit.name', 'org_unit.path'])
    .execute();
  const units = rows
    .map((r) => ({ unitId: r.unitId, unitName: r.unitName, unitPath: r.unitPath, total: Number(r.total), submitted: Number(r.submitted ?? 0) }))
    .map((r) => ({ ...r, missing: r.total - r.submitted }))
    .sort((a, b) => (a.unitPath < b.unitPath ? -1 : a.unitPath > b.unitPath ? 1 : 0));
  const total = units.reduce((a, u) => a + u.total, 0);
  const submitted = units.reduce((a, u) => a + u.submitted, 0);
  return { campaignId, total, submitted, missing: total - submitted, rate: total ? Math.round((submitted / total) * 10000) / 10000 : null, units };
}

/** Who in scope has not signed yet, in the people list's order (index person_sort). */
export async function listMissing(ctx: Ctx, actor: Actor, f: SelfCheckMissingQuery) {
  const campaignId = await selfCheckCampaign(ctx, f.campaignId);
  const from = peopleInScope(ctx, actor, await unitPath(ctx, f.orgUnitId)).where((eb) => eb.not(signedIn(campaignId)(eb)));
  const page = await listPage(ctx.db, {
    name: 'self-check-missing',
    from,
    id: 'person.id',
    order: [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('person')
        .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
        .select(['person.id', 'person.name', 'person.police_no', 'person.org_unit_id', 'org_unit.name as org_unit_name', 'person.sort_key'])
        .where('person.id', 'in', ids),
    count: 'capped',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    campaignId,
    items: page.items.map((p) => ({ personId: p.id, name: p.name, policeNo: p.police_no, orgUnitId: p.org_unit_id, orgUnitName: p.org_unit_name })),
  };
}

/** The person ids of listMissing, all of them (催报). */
export async function missingPeopleIds(ctx: Ctx, actor: Actor, campaignId: string, orgUnitId?: string): Promise<string[]> {
  const rows = await peopleInScope(ctx, actor, await unitPath(ctx, orgUnitId))
    .where((eb) => eb.not(signedIn(campaignId)(eb)))
    .select('person.id')
    .execute();
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------- the office's review

/** Signed reports in scope, newest first (index self_check_signed); contents only in the detail. */
export async function listReports(ctx: Ctx, actor: Actor, f: SelfCheckListQuery) {
  const campaignId = await selfCheckCampaign(ctx, f.campaignId);
  let from = applyScope(
    ctx.db.selectFrom('self_check_report').where('self_check_report.campaign_id', '=', campaignId).where('self_check_report.status', '=', 'signed'),
    actor,
    SELF_CHECK_SCOPE,
  );
  const path = await unitPath(ctx, f.orgUnitId);
  if (path) {
    from = from.where((eb) =>
      eb('self_check_report.org_unit_id', 'in', eb.selectFrom('org_unit as u').select('u.id').where('u.path', 'like', `${path}%`)),
    );
  }
  if (f.declared === '1') from = from.where('self_check_report.declared_count', '>', 0);
  const page = await listPage(ctx.db, {
    name: 'self-checks',
    from,
    id: 'self_check_report.id',
    order: [['self_check_report.signed_at', 'desc'], ['self_check_report.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('self_check_report')
        .innerJoin('person', 'person.id', 'self_check_report.person_id')
        .innerJoin('org_unit', 'org_unit.id', 'self_check_report.org_unit_id')
        .select([
          'self_check_report.id', 'self_check_report.version', 'self_check_report.declared_count', 'self_check_report.signed_at',
          'self_check_report.reviewed_at', 'person.name as person_name', 'org_unit.name as org_unit_name', 'self_check_report.person_id',
        ])
        .where('self_check_report.id', 'in', ids),
    count: path || f.declared ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    campaignId,
    items: page.items.map((r) => ({
      id: r.id, personId: r.person_id, personName: r.person_name, orgUnitName: r.org_unit_name, version: r.version,
      declaredCount: r.declared_count, signedAt: r.signed_at, reviewedAt: r.reviewed_at,
    })),
  };
}

/**
 * One report version with its content: the person's own, or (selfcheck:review, in scope) anyone's —
 * a read of another person's declaration is audited.
 */
export async function getReport(ctx: Ctx, actor: Actor, id: string) {
  const own = await ctx.db.selectFrom('self_check_report').selectAll().where('id', '=', id).executeTakeFirst();
  if (own && actor.personId && own.person_id === actor.personId) return { ...presentReport(own, true), personName: null };
  if (!actor.permissions.has('selfcheck:review')) throw notFound('自查报告不存在');
  const row = await applyScope(ctx.db.selectFrom('self_check_report').selectAll(), actor, SELF_CHECK_SCOPE)
    .where('self_check_report.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('自查报告不存在');
  await auditRead(ctx, 'self_check_report', id, { personId: row.person_id, version: row.version });
  const person = await ctx.db.selectFrom('person').select('name').where('id', '=', row.person_id).executeTakeFirst();
  return { ...presentReport(row, true), personName: person?.name ?? null };
}

/** selfChecks.submitted / selfChecks.total for the figures: coverage of the campaign shown by default. */
export async function selfCheckFigures(ctx: Ctx) {
  const campaignId = await campaignToShow(ctx, async (ids) => {
    const rows = await ctx.db.selectFrom('self_check_report').select('campaign_id').distinct().where('campaign_id', 'in', ids).execute();
    return new Set(rows.map((r) => r.campaign_id));
  });
  if (!campaignId) return { submitted: 0, total: 0 };
  const c = await coverage(ctx, ctx.actor, campaignId);
  return { submitted: c.submitted, total: c.total };
}

/**
 * What some people had declared (是) in self-check reports they signed for a campaign before a moment:
 * for the clue module's 自查从宽 check. Superseded versions count — the declaration was made and signed.
 */
export async function declarationsBefore(ctx: Ctx, personIds: string[], campaignId: string, beforeIso: string) {
  if (!personIds.length) return [];
  const rows = await ctx.db
    .selectFrom('self_check_report')
    .select(['id', 'person_id', 'version', 'answers', 'signed_at'])
    .where('person_id', 'in', personIds)
    .where('campaign_id', '=', campaignId)
    .where('status', 'in', ['signed', 'superseded'])
    .where('signed_at', '<', beforeIso)
    .where('declared_count', '>', 0)
    .orderBy('signed_at')
    .execute();
  return rows.flatMap((r) =>
    (JSON.parse(r.answers) as SelfCheckAnswer[])
      .filter((a) => a.answer === 'yes')
      .map((a) => ({ reportId: r.id, personId: r.person_id, version: r.version, signedAt: r.signed_at!, categoryId: a.categoryId, code: a.code, name: a.name, description: a.description })),
  );
}
