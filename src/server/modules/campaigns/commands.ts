import type { Ctx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import type { CampaignTable } from '../../db/types.js';
import {
  CAMPAIGN_NEXT, CAMPAIGN_STATUS, campaignStatus, type CampaignInput, type CampaignPatch, type CampaignStatus,
} from '../../../shared/schemas/campaigns.js';
import type { Trx } from '../../platform/context.js';
import { campaignToday, presentCampaign } from './queries.js';

function checkDates(start: string | null, end: string | null) {
  if (start && end && end < start) throw badRequest('结束日期：不能早于开始日期', 'endDate');
}

async function assertBatchFree(trx: Trx, batch: number, exceptId?: string) {
  let q = trx.selectFrom('campaign').select('id').where('batch', '=', batch);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw conflict(`批次：第 ${batch} 批已存在`, 'batch');
}

export async function createCampaign(ctx: Ctx, input: CampaignInput) {
  requirePermission(ctx, 'campaign:write');
  checkDates(input.startDate, input.endDate);
  return runCommand(ctx, { action: 'create', entityType: 'campaign' }, async (trx) => {
    await assertBatchFree(trx, input.batch);
    const now = ctx.now().toISOString();
    const row: CampaignTable = {
      id: newId(), name: input.name, batch: input.batch, start_date: input.startDate, end_date: input.endDate,
      status: input.status ?? 'planned', description: input.description || null, created_at: now, updated_at: now,
    };
    await trx.insertInto('campaign').values(row).execute();
    return { result: presentCampaign(row, campaignToday(ctx)), entityId: row.id, after: row };
  });
}

/** The column a patch field writes, for comparing with the stored value. */
const COLUMNS = {
  name: 'name', batch: 'batch', startDate: 'start_date', endDate: 'end_date', status: 'status',
} as const satisfies Record<string, keyof CampaignTable>;
const LABELS = { name: '名称', batch: '批次', startDate: '开始日期', endDate: '结束日期', status: '状态' } as const;

export async function updateCampaign(ctx: Ctx, id: string, patch: CampaignPatch) {
  requirePermission(ctx, 'campaign:write');
  // Read first so the audit entry can name the transition (activate / close) rather than a bare update.
  const current = await ctx.db.selectFrom('campaign').selectAll().where('id', '=', id).executeTakeFirst();
  if (!current) throw notFound('批次不存在');
  const today = campaignToday(ctx);
  // Transitions start from the status as shown (the dates'), not the stored manual step; sending the
  // shown status back unchanged (as a form does) is no transition and stores nothing.
  const shown = campaignStatus(current.status, current.start_date, current.end_date, today).status;
  const to = patch.status !== undefined && patch.status !== shown ? patch.status : undefined;
  const action = to ? (to === 'active' ? 'activate' : to === 'closed' ? 'close' : 'update') : 'update';

  return runCommand(ctx, { action, entityType: 'campaign' }, async (trx) => {
    const before = await trx.selectFrom('campaign').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('批次不存在');
    if (before.status !== current.status) throw conflict('批次状态已被他人修改，请刷新后重试');

    if (before.status === 'closed') {
      // A campaign closed by hand (结束) is history: only its description may still be corrected. Sending
      // the unchanged values back (as a form does) is fine. One past its end date only may still have its
      // dates corrected: the dates are what its status follows.
      for (const key of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
        const v = key === 'status' ? to : patch[key];
        if (v !== undefined && v !== before[COLUMNS[key]]) {
          throw badRequest(`${LABELS[key]}：批次已结束，仅可修改说明`, key);
        }
      }
    }
    if (to && CAMPAIGN_NEXT[shown] !== to) {
      throw badRequest(
        `状态：不能从“${CAMPAIGN_STATUS[shown]}”改为“${CAMPAIGN_STATUS[to as CampaignStatus]}”（只能依次 未开始 → 进行中 → 已结束）`,
        'status',
      );
    }
    const start = patch.startDate ?? before.start_date;
    const end = patch.endDate ?? before.end_date;
    checkDates(start, end);
    if (patch.batch !== undefined && patch.batch !== before.batch) await assertBatchFree(trx, patch.batch, id);

    const set: Partial<CampaignTable> = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.batch !== undefined ? { batch: patch.batch } : {}),
      ...(patch.startDate !== undefined ? { start_date: patch.startDate } : {}),
      ...(patch.endDate !== undefined ? { end_date: patch.endDate } : {}),
      ...(to !== undefined ? { status: to } : {}),
      ...(patch.description !== undefined ? { description: patch.description || null } : {}),
      updated_at: ctx.now().toISOString(),
    };
    // The status condition makes two racing transitions safe on PostgreSQL: the loser changes nothing.
    const res = await trx.updateTable('campaign').set(set).where('id', '=', id).where('status', '=', before.status).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, 'CONFLICT', '批次状态已被他人修改，请刷新后重试');
    const after = { ...before, ...set };
    return { result: presentCampaign(after, today), entityId: id, before, after };
  });
}
