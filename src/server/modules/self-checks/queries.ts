import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead, requirePermission } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { campaignToShowFor } from '../campaigns/queries.js';
import { coverageByUnit, listNotDone, notDoneIds, servingTotal, unitPathOf, unitsOfServingPeople, type DoneCondition } from '../people/coverage.js';
import { PLEDGE_TEXT, SELF_CHECK_STATUS, type SelfCheckListQuery, type SelfCheckMissingQuery } from '../../../shared/schemas/self-checks.js';
import { checklist, contentDigest, SELF_CHECK_SCOPE, type SelfCheckAnswer } from './commands.js';

/** The campaign the self-check pages open on: in progress, else the latest begun with reports. */
export async function selfCheckCampaign(ctx: Ctx, campaignId?: string): Promise<string> {
  const id = campaignId ?? (await campaignToShowFor(ctx, 'self_check_report'));
  if (!id) throw badRequest('教育整顿批次：尚未设立批次', 'campaignId');
  return id;
}

/** "Has signed the campaign's report": the current signed version exists. */
const signedIn = (campaignId: string): DoneCondition => (eb) =>
  eb.exists(
    eb
      .selectFrom('self_check_report as r')
      .select('r.id')
      .whereRef('r.person_id', '=', 'person.id')
      .where('r.campaign_id', '=', campaignId)
      .where('r.status', '=', 'signed'),
  );

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
  const c = await coverageByUnit(ctx, actor, signedIn(campaignId), orgUnitId);
  return {
    campaignId, total: c.total, submitted: c.done, missing: c.missing, rate: c.total ? Math.round((c.done / c.total) * 10000) / 10000 : null,
    units: c.units.map(({ done, ...u }) => ({ ...u, submitted: done })),
  };
}

/**
 * Who in scope has not signed yet, in the people list's order (index person_sort). The total is
 * exact, from the per-unit counts kept by triggers (migration 0021): serving officers minus those
 * who signed, summed over the units in scope (~100 rows), where counting the people themselves took
 * one report lookup each (10,001 at 100×: 5.8 ms). A 'self' scope is counted the usual way (capped).
 */
export async function listMissing(ctx: Ctx, actor: Actor, f: SelfCheckMissingQuery) {
  const campaignId = await selfCheckCampaign(ctx, f.campaignId);
  const kept = (unitPath: string | undefined) => {
    const serving = servingTotal(ctx, actor, unitPath);
    const units = unitsOfServingPeople(ctx, actor, unitPath)?.select('org_unit.id');
    if (!serving || !units) return undefined;
    return async () => {
      const signed = await ctx.db
        .selectFrom('self_check_unit_total as d')
        .select(sql<number>`coalesce(sum(d.n), 0)`.as('n'))
        .where('d.campaign_id', '=', campaignId)
        .where('d.org_unit_id', 'in', units)
        .executeTakeFirst();
      return (await serving()) - Number(signed?.n ?? 0);
    };
  };
  return { ...(await listNotDone(ctx, actor, signedIn(campaignId), f, 'self-check-missing', kept)), campaignId };
}

/** The person ids of listMissing, all of them (催报). */
export async function missingPeopleIds(ctx: Ctx, actor: Actor, campaignId: string, orgUnitId?: string): Promise<string[]> {
  return notDoneIds(ctx, actor, signedIn(campaignId), orgUnitId);
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
  const path = await unitPathOf(ctx, f.orgUnitId);
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
  const campaignId = await campaignToShowFor(ctx, 'self_check_report');
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
