import { z } from 'zod';

// 教育整顿批次: first batch, second batch… Most records belong to one.

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isValidYmd(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

// The status and its rules carry no zod: the staff pages import them without the schema library.
export { CAMPAIGN_STATUS, CAMPAIGN_NEXT, campaignStatus, statusByDates, type CampaignStatus } from './campaign-status.js';
import type { CampaignStatus } from './campaign-status.js';

const ymd = (label: string) =>
  z.string().trim().refine(isValidYmd, '须为有效日期（YYYY-MM-DD）').describe(label);

const fields = {
  name: z.string().trim().min(1).max(100).describe('名称'),
  batch: z.coerce.number().int().min(1).max(99).describe('批次'),
  startDate: ymd('开始日期'),
  endDate: ymd('结束日期'),
  status: z.enum(['planned', 'active', 'closed']).describe('状态'),
  description: z.string().trim().max(2000).nullish().describe('说明'),
};

export const CampaignInput = z.object({ ...fields, status: fields.status.optional() });
export type CampaignInput = z.infer<typeof CampaignInput>;

export const CampaignPatch = z.object(fields).partial();
export type CampaignPatch = z.infer<typeof CampaignPatch>;

export const CampaignQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  status: z.enum(['planned', 'active', 'closed']).optional().describe('状态'),
});
export type CampaignQuery = z.infer<typeof CampaignQuery>;

export interface CampaignView {
  id: string;
  name: string;
  batch: number;
  startDate: string | null;
  endDate: string | null;
  /** Computed from the dates (and a manual 启动/结束 ahead of them) on every read. */
  status: CampaignStatus;
  /** The manual 启动/结束 that put the status ahead of the dates; null while the dates rule. */
  manualStatus: CampaignStatus | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}
