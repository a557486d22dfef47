import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import type { CampaignTable } from '../../db/types.js';
import type { CampaignQuery, CampaignView } from '../../../shared/schemas/campaigns.js';

export function presentCampaign(r: CampaignTable): CampaignView {
  return {
    id: r.id,
    name: r.name,
    batch: Number(r.batch),
    startDate: r.start_date,
    endDate: r.end_date,
    status: r.status,
    description: r.description,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

// Campaigns are not unit data: every holder of campaign:read sees all of them.
export async function listCampaigns(ctx: Ctx, f: CampaignQuery): Promise<{ items: CampaignView[]; total: number }> {
  let base = ctx.db.selectFrom('campaign');
  if (f.status) base = base.where('status', '=', f.status);
  const { n } = await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('batch', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { items: rows.map(presentCampaign), total: Number(n) };
}

export async function getCampaign(ctx: Ctx, id: string): Promise<CampaignView> {
  const row = await ctx.db.selectFrom('campaign').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('批次不存在');
  return presentCampaign(row);
}
