import { z } from 'zod';

export const ORG_KINDS = {
  city_bureau: '市司法局',
  county_bureau: '旗县区司法局',
  office: '司法所',
  department: '科室',
} as const;

export const PARTY_KINDS = { committee: '党委', general_branch: '党总支', branch: '党支部' } as const;

const id = z.string().min(1).max(64);

export const OrgUnitInput = z.object({
  parentId: id.nullish().describe('上级单位'),
  name: z.string().trim().min(1).max(100).describe('单位名称'),
  shortName: z.string().trim().max(50).nullish().describe('简称'),
  kind: z.enum(Object.keys(ORG_KINDS) as [keyof typeof ORG_KINDS]).describe('单位类别'),
  code: z.string().trim().min(1).max(50).regex(/^[A-Za-z0-9_-]+$/, '只能包含字母、数字、下划线和连字符').describe('单位编码'),
  sort: z.number().int().min(0).max(100000).optional().describe('排序'),
});
export type OrgUnitInput = z.infer<typeof OrgUnitInput>;
export const OrgUnitPatch = OrgUnitInput.partial();
export type OrgUnitPatch = z.infer<typeof OrgUnitPatch>;

export const PartyOrgInput = z.object({
  parentId: id.nullish().describe('上级党组织'),
  name: z.string().trim().min(1).max(100).describe('党组织名称'),
  kind: z.enum(Object.keys(PARTY_KINDS) as [keyof typeof PARTY_KINDS]).describe('党组织类别'),
  orgUnitId: id.nullish().describe('所在单位'),
  sort: z.number().int().min(0).max(100000).optional().describe('排序'),
});
export type PartyOrgInput = z.infer<typeof PartyOrgInput>;
export const PartyOrgPatch = PartyOrgInput.partial();
export type PartyOrgPatch = z.infer<typeof PartyOrgPatch>;
