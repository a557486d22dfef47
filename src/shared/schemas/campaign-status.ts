// A campaign's status (教育整顿批次): the labels, the only moves, and the rule that the status follows
// the dates. No zod here, so pages can show a status without loading the schema library.

export const CAMPAIGN_STATUS = { planned: '未开始', active: '进行中', closed: '已结束' } as const;
export type CampaignStatus = keyof typeof CAMPAIGN_STATUS;
/** The only moves a campaign's status may make. */
export const CAMPAIGN_NEXT: Record<CampaignStatus, CampaignStatus | null> = { planned: 'active', active: 'closed', closed: null };
const ORDER: Record<CampaignStatus, number> = { planned: 0, active: 1, closed: 2 };

/** What the dates say on `today` (YYYY-MM-DD, Asia/Shanghai): before the start, between, after the end. */
export function statusByDates(startDate: string | null, endDate: string | null, today: string): CampaignStatus {
  if (endDate && today > endDate) return 'closed';
  if (startDate && today >= startDate) return 'active';
  return 'planned';
}

/**
 * A campaign's status follows its dates. A manual 启动 / 结束 (the stored status) may only move it
 * ahead of them — started early, closed early — and then stays visible as `manualStatus`; once the
 * dates catch up, the dates rule again. Computed on read, never stored.
 */
export function campaignStatus(
  stored: CampaignStatus,
  startDate: string | null,
  endDate: string | null,
  today: string,
): { status: CampaignStatus; manualStatus: CampaignStatus | null } {
  const byDates = statusByDates(startDate, endDate, today);
  return ORDER[stored] > ORDER[byDates] ? { status: stored, manualStatus: stored } : { status: byDates, manualStatus: null };
}

