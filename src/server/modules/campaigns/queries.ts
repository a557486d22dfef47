import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { listPage, type ListPage } from '../../platform/list.js';
import { shanghaiDate } from '../../platform/time.js';
import type { CampaignTable } from '../../db/types.js';
import { campaignStatus, type CampaignQuery, type CampaignView } from '../../../shared/schemas/campaigns.js';

/** The bureau's calendar day: a campaign starts and ends on Asia/Shanghai dates. */
export const campaignToday = (ctx: Ctx) => shanghaiDate(ctx.now());

export function presentCampaign(r: CampaignTable, today: string): CampaignView {
  return {
    id: r.id,
    name: r.name,
    batch: Number(r.batch),
    startDate: r.start_date,
    endDate: r.end_date,
    ...campaignStatus(r.status, r.start_date, r.end_date, today),
    description: r.description,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** campaignStatus() in SQL (dates are YYYY-MM-DD text, so they compare as text on both dialects). */
function statusSql(today: string) {
  return sql<string>`case
    when campaign.status = 'closed' or (campaign.end_date is not null and campaign.end_date < ${today}) then 'closed'
    when campaign.status = 'active' or (campaign.start_date is not null and campaign.start_date <= ${today}) then 'active'
    else 'planned' end`;
}

// Campaigns are not unit data: every holder of campaign:read sees all of them.
export async function listCampaigns(ctx: Ctx, f: CampaignQuery): Promise<ListPage<CampaignView>> {
  const today = campaignToday(ctx);
  let from = ctx.db.selectFrom('campaign');
  // The status follows the dates, so its filter is checked row by row along the order's index (a
  // handful of batches: there is nothing to gain from an index on a computed status).
  if (f.status) from = from.where(statusSql(today), '=', f.status);
  const page = await listPage(ctx.db, {
    name: 'campaigns',
    from,
    id: 'campaign.id',
    // Newest batch first: index campaign_order read backwards.
    order: [['campaign.batch', 'desc'], ['campaign.created_at', 'desc'], ['campaign.id', 'desc']],
    rows: (ids) => ctx.db.selectFrom('campaign').selectAll().where('id', 'in', ids),
    count: f.status ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map((r) => presentCampaign(r, today)) };
}

export async function getCampaign(ctx: Ctx, id: string): Promise<CampaignView> {
  const row = await ctx.db.selectFrom('campaign').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('批次不存在');
  return presentCampaign(row, campaignToday(ctx));
}

/**
 * The campaign new records belong to when none is named: the one campaign in progress today (by its
 * dates or started by hand), or null when there is none or more than one. Other modules ask here
 * rather than reading campaign.status, which holds only the manual step.
 */
export async function currentCampaignId(ctx: Pick<Ctx, 'db' | 'now'>, onDate?: string): Promise<string | null> {
  const rows = await ctx.db.selectFrom('campaign').select('id').where(statusSql(onDate ?? shanghaiDate(ctx.now())), '=', 'active').execute();
  return rows.length === 1 ? rows[0]!.id : null;
}

/**
 * The campaign a new record belongs to (opinions, symposiums, surveys…): the given one, which must
 * exist, else the one in progress by its dates on the record's own day (a meeting's date, the day an
 * opinion was received; today by default), if exactly one.
 */
export async function campaignForNewRecord(ctx: Pick<Ctx, 'db' | 'now'>, id: string | null | undefined, onDate?: string): Promise<string | null> {
  if (id) {
    if (!(await ctx.db.selectFrom('campaign').select('id').where('id', '=', id).executeTakeFirst())) {
      throw badRequest('教育整顿批次：不存在', 'campaignId');
    }
    return id;
  }
  return currentCampaignId(ctx, onDate);
}

/**
 * The campaign a module's pages open on when none is named: the one in progress today; else the
 * latest begun one that holds the module's records (`withRecords` answers which of some campaign ids
 * do); else the latest begun; else the first planned. Null when there is no campaign at all.
 */
export async function campaignToShow(ctx: Pick<Ctx, 'db' | 'now'>, withRecords: (ids: string[]) => Promise<Set<string>>): Promise<string | null> {
  const current = await currentCampaignId(ctx);
  if (current) return current;
  const today = shanghaiDate(ctx.now());
  const all = await ctx.db.selectFrom('campaign').select(['id', 'start_date']).orderBy('start_date', 'desc').orderBy('id').execute();
  const begun = all.filter((c) => c.start_date !== null && c.start_date <= today).map((c) => c.id);
  if (begun.length) {
    const having = await withRecords(begun);
    return begun.find((id) => having.has(id)) ?? begun[0]!;
  }
  return all.at(-1)?.id ?? null;
}

/** Tables of campaign records whose module's pages open on campaignToShow. */
export type CampaignRecords =
  | 'rectification_item' | 'self_check_report' | 'talk_round' | 'life_meeting' | 'clue' | 'study_topic' | 'study_activity' | 'study_share'
  | 'supervision_visit';

/** campaignToShow for a module whose records are one table with a campaign_id. */
export function campaignToShowFor(ctx: Pick<Ctx, 'db' | 'now'>, table: CampaignRecords): Promise<string | null> {
  return campaignToShow(ctx, async (ids) => {
    const rows = await ctx.db.selectFrom(table).select('campaign_id').distinct().where('campaign_id', 'in', ids).execute();
    return new Set(rows.map((r) => r.campaign_id));
  });
}
