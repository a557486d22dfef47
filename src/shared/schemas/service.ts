import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import {
  ENTERPRISE_KINDS, FOLLOW_UP_STATUSES, MEASURE_GROUPS, MEASURE_STATUSES, RISK_LEVELS, SERVICE_KINDS, USCC_FORMAT, USCC_FORMAT_MESSAGE,
  type EnterpriseKind, type FollowUpStatus, type MeasureGroup, type MeasureStatus, type RiskLevel, type ServiceKind,
} from './service-labels.js';

export * from './service-labels.js';

// 为民服务: measures with milestones and progress, legal service workstations, enterprises (by their
// unified social credit code) and the services given to them, 法治体检 with findings.

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);
const text = (label: string, min: number, max: number) =>
  z.string().trim().min(min, min === 1 ? '不能为空' : `至少 ${min} 个字`).max(max, `不能超过 ${max} 字`).describe(label);
const optText = (label: string, max: number) => z.string().trim().max(max, `不能超过 ${max} 字`).nullish().describe(label);
const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const page = {
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
};
const fileIds = z.array(id('佐证材料')).max(20, '最多 20 个文件').default([]).describe('佐证材料');

export const MeasureGroupEnum = z.enum(keys(MEASURE_GROUPS) as [MeasureGroup, ...MeasureGroup[]]).describe('措施类别');

const measureFields = {
  group: MeasureGroupEnum,
  number: z.coerce.number().int().min(1, '应为正整数').max(999).describe('序号'),
  title: text('措施名称', 2, 100),
  description: optText('具体内容', 5000),
  orgUnitId: id('责任单位'),
  ownerPersonId: id('责任人').nullish(),
  campaignId: id('教育整顿批次').nullish(),
  startDate: CalendarDate.nullish().describe('开始日期'),
  dueDate: CalendarDate.nullish().describe('完成时限'),
  isPublic: z.boolean().default(false).describe('向社会公开'),
};
const datesOk = (v: { startDate?: string | null; dueDate?: string | null }, ctx: z.RefinementCtx) => {
  if (v.startDate && v.dueDate && v.dueDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: '不能早于开始日期' });
};

export const MeasureInput = z
  .object({
    ...measureFields,
    milestones: z
      .array(z.object({ title: text('节点名称', 2, 100), dueDate: CalendarDate.nullish().describe('节点时限') }))
      .max(20, '最多 20 个节点')
      .default([])
      .describe('工作节点'),
  })
  .superRefine(datesOk);
export type MeasureInput = z.infer<typeof MeasureInput>;

export const MeasurePatch = z.object(measureFields).partial().superRefine(datesOk);
export type MeasurePatch = z.infer<typeof MeasurePatch>;

export const MeasureQuery = z.object({
  ...page,
  group: MeasureGroupEnum.optional(),
  orgUnitId: id('责任单位').optional(),
  status: z.enum(keys(MEASURE_STATUSES) as [MeasureStatus, ...MeasureStatus[]]).optional().describe('状态'),
});
export type MeasureQuery = z.infer<typeof MeasureQuery>;

export const MilestoneInput = z.object({ title: text('节点名称', 2, 100), dueDate: CalendarDate.nullish().describe('节点时限') });
export type MilestoneInput = z.infer<typeof MilestoneInput>;

/** A milestone reached (doneOn) or reopened (doneOn null), with its evidence. */
export const MilestonePatch = z.object({
  title: text('节点名称', 2, 100).optional(),
  dueDate: CalendarDate.nullish().describe('节点时限'),
  doneOn: CalendarDate.nullish().describe('完成日期'),
  attachmentIds: fileIds,
});
export type MilestonePatch = z.infer<typeof MilestonePatch>;

export const MeasureProgressInput = z.object({
  reportedOn: CalendarDate.describe('报送日期'),
  percent: z.coerce.number().int().min(0, '应在 0 到 100 之间').max(100, '应在 0 到 100 之间').describe('完成进度'),
  note: text('进展情况', 5, 2000),
  attachmentIds: fileIds,
});
export type MeasureProgressInput = z.infer<typeof MeasureProgressInput>;

export const WorkstationInput = z.object({
  name: text('工作站名称', 2, 60),
  orgUnitId: id('依托单位'),
  address: optText('地址', 200),
  contact: optText('联系电话', 60),
  staffOnDuty: optText('值班律师和工作人员', 500),
  openedOn: CalendarDate.nullish().describe('设立日期'),
});
export type WorkstationInput = z.infer<typeof WorkstationInput>;
export const WorkstationPatch = WorkstationInput.partial();
export type WorkstationPatch = z.infer<typeof WorkstationPatch>;
export const WorkstationQuery = z.object({ ...page, orgUnitId: id('依托单位').optional() });
export type WorkstationQuery = z.infer<typeof WorkstationQuery>;

export const UsccCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(USCC_FORMAT, USCC_FORMAT_MESSAGE))
  .describe('统一社会信用代码');

export const EnterpriseInput = z.object({
  code: UsccCode,
  name: text('企业名称', 2, 100),
  kind: z.enum(keys(ENTERPRISE_KINDS) as [EnterpriseKind, ...EnterpriseKind[]]).default('small_micro').describe('市场主体类型'),
  orgUnitId: id('所在旗县区'),
  industry: optText('行业', 60),
  legalRep: optText('法定代表人', 30),
});
export type EnterpriseInput = z.infer<typeof EnterpriseInput>;

/** A correction of a registered enterprise: any part, the type without a default (an omitted type stays). */
export const EnterprisePatch = EnterpriseInput.extend({
  kind: z.enum(keys(ENTERPRISE_KINDS) as [EnterpriseKind, ...EnterpriseKind[]]).describe('市场主体类型'),
}).partial();
export type EnterprisePatch = z.infer<typeof EnterprisePatch>;

export const EnterpriseQuery = z.object({
  ...page,
  q: z.string().trim().max(60).optional().describe('代码或名称'),
  orgUnitId: id('所在旗县区').optional(),
});
export type EnterpriseQuery = z.infer<typeof EnterpriseQuery>;

export const FindingInput = z.object({
  area: text('体检领域', 1, 40),
  risk: z.enum(keys(RISK_LEVELS) as [RiskLevel, ...RiskLevel[]]).describe('风险等级'),
  finding: text('发现问题', 2, 1000),
});
export type FindingInput = z.infer<typeof FindingInput>;

const ServiceKindEnum = z.enum(keys(SERVICE_KINDS) as [ServiceKind, ...ServiceKind[]]).describe('服务类型');
const FollowUpEnum = z.enum(keys(FOLLOW_UP_STATUSES) as [FollowUpStatus, ...FollowUpStatus[]]).describe('跟进状态');

const recordFields = {
  kind: ServiceKindEnum,
  workstationId: id('工作站'),
  servedOn: CalendarDate.describe('服务日期'),
  staffPersonIds: z.array(id('服务人员')).min(1, '至少 1 名服务人员').max(10, '最多 10 名服务人员').describe('服务人员'),
  summary: text('服务内容', 5, 2000),
  findings: z.array(FindingInput).max(30, '最多 30 条').default([]).describe('体检发现'),
  recommendations: optText('法律建议', 3000),
  followUpStatus: FollowUpEnum.default('none'),
  followUp: optText('跟进情况', 2000),
  attachmentIds: fileIds.describe('体检报告及材料'),
};

/**
 * A service record. The enterprise is named by id, or given in full (code, name…): found by its code,
 * or registered on the spot when new.
 */
export const ServiceRecordInput = z
  .object({
    ...recordFields,
    enterpriseId: id('企业').nullish(),
    enterprise: EnterpriseInput.nullish().describe('企业'),
  })
  .superRefine((v, ctx) => {
    if (!v.enterpriseId && !v.enterprise) ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: '请选择或登记企业' });
    if (v.kind === 'health_check' && !v.findings.length) ctx.addIssue({ code: 'custom', path: ['findings'], message: '法治体检至少记录 1 条发现' });
  });
export type ServiceRecordInput = z.infer<typeof ServiceRecordInput>;

/** Follow-up and corrections of a record's text (who, where and which enterprise stay). */
export const ServiceRecordPatch = z.object({
  summary: recordFields.summary.optional(),
  findings: z.array(FindingInput).max(30, '最多 30 条').optional().describe('体检发现'),
  recommendations: recordFields.recommendations,
  followUpStatus: FollowUpEnum.optional(),
  followUp: recordFields.followUp,
});
export type ServiceRecordPatch = z.infer<typeof ServiceRecordPatch>;

export const ServiceRecordQuery = z.object({
  ...page,
  workstationId: id('工作站').optional(),
  countyId: id('所在旗县区').optional(),
  kind: ServiceKindEnum.optional(),
  enterpriseId: id('企业').optional(),
  from: CalendarDate.optional().describe('开始日期'),
  to: CalendarDate.optional().describe('结束日期'),
});
export type ServiceRecordQuery = z.infer<typeof ServiceRecordQuery>;
