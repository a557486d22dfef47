import { z } from 'zod';
import { isValidResidentId } from '../validators.js';
import { phoneField } from './phone.js';

export const PERSON_STATUS = { active: '在职', transferred: '调离', retired: '退休' } as const;
export const GENDERS = { M: '男', F: '女' } as const;

export const PersonInput = z.object({
  name: z.string().trim().min(1).max(50).describe('姓名'),
  orgUnitId: z.string().min(1).max(64).describe('所在单位'),
  post: z.string().trim().max(50).nullish().describe('职务'),
  partyOrgId: z.string().max(64).nullish().describe('党组织'),
  policeNo: z.string().trim().max(30).nullish().describe('警号/工号'),
  phone: phoneField({ allowEmpty: true }).nullish().describe('手机号'),
  idNumber: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => v === '' || isValidResidentId(v), '不是有效的 18 位居民身份证号码（校验位不符）')
    .nullish()
    .describe('身份证号'),
  gender: z.enum(['M', 'F']).nullish().describe('性别'),
  status: z.enum(['active', 'transferred', 'retired']).optional().describe('状态'),
});
export type PersonInput = z.infer<typeof PersonInput>;
export const PersonPatch = PersonInput.partial();
export type PersonPatch = z.infer<typeof PersonPatch>;

export const PeopleQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  q: z.string().trim().max(50).optional().describe('关键字'),
  orgUnitId: z.string().max(64).optional().describe('单位'),
  includeSub: z.enum(['0', '1']).default('1').describe('含下级单位'),
  status: z.enum(['active', 'transferred', 'retired']).optional().describe('状态'),
  post: z.string().max(50).optional().describe('职务'),
  partyOrgId: z.string().max(64).optional().describe('党组织'),
});
export type PeopleQuery = z.infer<typeof PeopleQuery>;
