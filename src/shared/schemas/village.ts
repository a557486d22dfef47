import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import {
  COMPLIANCE_STATES, DELIVERABLE_KINDS, DELIVERABLE_STATUSES, PAIRING_STATUSES, PAIRING_TERM_YEARS, RECORD_TYPES, SERVICE_KINDS,
  VILLAGE_KINDS, YEARLY_SERVICES, YEARLY_VISITS,
  type ComplianceState, type DeliverableKind, type DeliverableStatus, type PairingStatus, type RecordType, type ServiceKind, type VillageKind,
} from './village-labels.js';

export {
  COMPLIANCE_STATES, DELIVERABLE_KINDS, DELIVERABLE_STATUSES, PAIRING_STATUSES, PAIRING_TERM_YEARS, RECORD_TYPES, SERVICE_KINDS,
  VILLAGE_KINDS, YEARLY_SERVICES, YEARLY_VISITS,
  type ComplianceState, type DeliverableKind, type DeliverableStatus, type PairingStatus, type RecordType, type ServiceKind, type VillageKind,
};

// 法律志愿服务进乡村“1155”工程: villages, a cadre's five-year pairing with one village, the services and
// visits recorded there (from the phone, offline first: the phone makes the record's id), and the
// village's five deliverables.

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);
const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const page = {
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
};
const Year = z.coerce.number().int().min(2000, '不能早于 2000 年').max(2100, '不能晚于 2100 年');
/** A client-made record id: a UUID (crypto.randomUUID() on the phone). */
const ClientId = z.string().trim().toLowerCase().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, '应为 UUID').describe('记录编号（手机端生成的 UUID）');
export { ClientId };

export const VillageInput = z.object({
  name: z.string().trim().min(2, '至少 2 个字').max(50, '不能超过 50 字').describe('嘎查村名称'),
  countyUnitId: id('所属旗县区司法局'),
  officeUnitId: id('所属司法所').nullish(),
  kind: z.enum(keys(VILLAGE_KINDS)).describe('类别'),
});
export type VillageInput = z.infer<typeof VillageInput>;

export const VillageQuery = z.object({
  ...page,
  countyUnitId: id('旗县区').optional(),
  q: z.string().trim().max(50).optional().describe('名称'),
});
export type VillageQuery = z.infer<typeof VillageQuery>;

export const PairingInput = z.object({
  cadrePersonId: id('结对干部'),
  villageId: id('结对嘎查村'),
  startYear: Year.describe('起始年度'),
  note: z.string().trim().max(500, '不能超过 500 字').nullish().describe('备注'),
});
export type PairingInput = z.infer<typeof PairingInput>;

export const PairingEnd = z.object({
  reason: z.string().trim().min(2, '至少 2 个字').max(500, '不能超过 500 字').describe('结束原因'),
});
export type PairingEnd = z.infer<typeof PairingEnd>;

export const PairingQuery = z.object({
  ...page,
  countyUnitId: id('旗县区').optional(),
  status: z.enum(keys(PAIRING_STATUSES)).optional().describe('状态'),
  cadrePersonId: id('结对干部').optional(),
});
export type PairingQuery = z.infer<typeof PairingQuery>;

const photos = z.array(ClientId).max(9, '最多 9 张照片').default([]).describe('照片');

/** A service or a visit, as the phone sends it (and again, unchanged, when it is not sure it arrived). */
export const RecordInput = z
  .object({
    id: ClientId,
    pairingId: id('结对'),
    type: z.enum(keys(RECORD_TYPES)).describe('类别'),
    serviceKind: z.enum(keys(SERVICE_KINDS)).nullish().describe('服务类型'),
    heldOn: CalendarDate.describe('日期'),
    place: z.string().trim().min(2, '至少 2 个字').max(100, '不能超过 100 字').describe('地点'),
    peopleReached: z.coerce.number().int('应为整数').min(0, '不能为负数').max(100_000, '不能超过 100000').nullish().describe('服务人数'),
    visited: z.string().trim().max(200, '不能超过 200 字').nullish().describe('走访对象'),
    summary: z.string().trim().min(5, '至少 5 个字').max(2000, '不能超过 2000 字').describe('情况'),
    photoIds: photos,
  })
  .superRefine((v, ctx) => {
    if (v.type === 'service') {
      if (!v.serviceKind) ctx.addIssue({ code: 'custom', path: ['serviceKind'], message: '请选择服务类型' });
      if (v.peopleReached === null || v.peopleReached === undefined) ctx.addIssue({ code: 'custom', path: ['peopleReached'], message: '请填写服务人数' });
    } else {
      if (!v.visited || v.visited.length < 2) ctx.addIssue({ code: 'custom', path: ['visited'], message: '请填写走访对象（至少 2 个字）' });
    }
  });
export type RecordInput = z.infer<typeof RecordInput>;

export const RecordQuery = z.object({
  ...page,
  pairingId: id('结对').optional(),
  type: z.enum(keys(RECORD_TYPES)).optional().describe('类别'),
  year: Year.optional().describe('年度'),
});
export type RecordQuery = z.infer<typeof RecordQuery>;

export const DeliverableInput = z
  .object({
    status: z.enum(keys(DELIVERABLE_STATUSES)).describe('状态'),
    doneOn: CalendarDate.nullish().describe('完成日期'),
    count: z.coerce.number().int('应为整数').min(0, '不能为负数').max(10_000).nullish().describe('数量'),
    evidence: z.string().trim().max(2000, '不能超过 2000 字').nullish().describe('佐证材料说明'),
    fileIds: z.array(id('佐证附件')).max(20, '最多 20 个附件').default([]).describe('佐证附件'),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'done') {
      if (!v.doneOn) ctx.addIssue({ code: 'custom', path: ['doneOn'], message: '已完成的须填写完成日期' });
      if (!v.evidence || v.evidence.length < 5) ctx.addIssue({ code: 'custom', path: ['evidence'], message: '已完成的须说明佐证材料（至少 5 个字）' });
    }
  });
export type DeliverableInput = z.infer<typeof DeliverableInput>;

export const DeliverableParams = z.object({
  id: id('结对'),
  kind: z.enum(keys(DELIVERABLE_KINDS)).describe('交付成果'),
});

export const BoardQuery = z.object({
  year: Year.optional().describe('年度（默认今年）'),
  countyUnitId: id('旗县区').optional(),
});
export type BoardQuery = z.infer<typeof BoardQuery>;
