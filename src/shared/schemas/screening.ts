import { z } from 'zod';
import { ENTERPRISE_ROLES, RELATIONS, RULE_KINDS, RULE_KIND_CODES, DATASET_KINDS, type DatasetKind, type RuleKind } from './screening-labels.js';

export * from './screening-labels.js';

// 智能化数据排查's request schemas; the registers, rule kinds and labels are in screening-labels.ts.

// ---- inputs -------------------------------------------------------------------------------------

const relationCodes = z.array(z.enum(Object.values(RELATIONS) as [string, ...string[]])).max(5);
const roleCodes = z.array(z.enum(Object.values(ENTERPRISE_ROLES) as [string, ...string[]])).min(1, '至少选择 1 种任职类型').max(3);
const orgKindCodes = z.array(z.enum(['justice', 'court', 'procuratorate'])).min(1, '至少选择 1 个机构类别').max(3);

/** Each kind's parameters, validated whole (unknown keys refused). */
export const RULE_PARAMS = {
  enterprise_holding: z.strictObject({
    orgKinds: orgKindCodes,
    relations: relationCodes,
    roles: roleCodes,
    minSharePct: z.number().min(0).max(100),
  }),
  revolving_door: z.strictObject({
    years: z.number().int().min(1).max(10),
    leaderYears: z.number().int().min(1).max(10),
    seniorGradeKeyword: z.string().trim().max(20),
  }),
  former_court_case: z.strictObject({}),
  kin_avoidance: z.strictObject({ relations: relationCodes.min(1, '至少选择 1 种亲属关系') }),
  judge_affinity: z.strictObject({
    minCount: z.number().int().min(2).max(1000),
    ratio: z.number().min(1).max(100),
    alpha: z.number().gt(0).max(0.5),
  }),
  missed_intake: z.strictObject({ days: z.number().int().min(1).max(60) }),
  lost_contact: z.strictObject({ maxGapDays: z.number().int().min(1).max(90) }),
  missing_warning: z.strictObject({ maxGapDays: z.number().int().min(1).max(90), warnWithinDays: z.number().int().min(1).max(90) }),
  paper_supervision: z.strictObject({ maxSpeedKmh: z.number().int().min(20).max(1000) }),
} satisfies Record<RuleKind, z.ZodType>;

const ruleName = z.string().trim().min(2, '至少 2 个字').max(50);
const ruleDescription = z.string().trim().min(10, '至少 10 个字，说明查什么、为什么').max(1000);

export const RuleCreateInput = z.object({
  kind: z.enum(RULE_KIND_CODES as [RuleKind, ...RuleKind[]]),
  name: ruleName,
  description: ruleDescription,
  params: z.record(z.string(), z.unknown()),
});
export type RuleCreateInput = z.infer<typeof RuleCreateInput>;

export const RulePatchInput = z
  .object({
    name: ruleName.optional(),
    description: ruleDescription.optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: '没有要修改的内容' });
export type RulePatchInput = z.infer<typeof RulePatchInput>;

export const RunInput = z.object({
  rules: z.array(z.string().min(1).max(64)).max(100).optional(),
});

const page = {
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
};

export const HitQuery = z.object({
  ...page,
  status: z.enum(['open', 'confirmed', 'dismissed', 'known']).optional(),
  rule: z.string().max(64).optional(),
  /** Present in the latest run (1) or no longer found (0). */
  present: z.enum(['0', '1']).optional(),
});
export type HitQuery = z.infer<typeof HitQuery>;

export const SnapshotQuery = z.object({ ...page, kind: z.enum(DATASET_KINDS as [DatasetKind, ...DatasetKind[]]).optional() });

export const HitConfirmInput = z.object({
  campaignId: z.string().min(1, '请选择教育整顿批次').max(64),
  categoryId: z.string().max(64).nullish(),
  /** 涉及单位 when the hit names no officer of the platform. */
  orgUnitId: z.string().max(64).nullish(),
  note: z.string().trim().max(2000).default(''),
});
export type HitConfirmInput = z.infer<typeof HitConfirmInput>;

export const HitDismissInput = z.object({ reason: z.string().trim().min(4, '请写明排除理由（至少 4 个字）').max(2000) });
export const HitKnownInput = z.object({ note: z.string().trim().max(2000).default('') });
