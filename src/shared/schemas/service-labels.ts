// 为民服务 labels and the unified social credit code check, zod-free: shared by the server, the staff
// pages and the public page.

export const MEASURE_GROUPS = {
  convenience: '便民利民措施',
  ten_linkages: '便民利民“十联动”',
  business_environment: '优化法治化营商环境举措',
  other: '其他为民服务措施',
} as const;
export type MeasureGroup = keyof typeof MEASURE_GROUPS;
/** Display order of the groups (stored as service_measure.grp_rank). */
export const MEASURE_GROUP_RANK: Record<MeasureGroup, number> = { convenience: 1, ten_linkages: 2, business_environment: 3, other: 4 };

export const MEASURE_STATUSES = { not_started: '未开始', in_progress: '推进中', done: '已完成', overdue: '逾期' } as const;
export type MeasureStatus = keyof typeof MEASURE_STATUSES;

/** A measure's status: done at 100 %, overdue once its due date has passed, started with any progress. */
export function measureStatus(m: { progress: number; dueDate: string | null; started: boolean }, today: string): MeasureStatus {
  if (m.progress >= 100) return 'done';
  if (m.dueDate && m.dueDate < today) return 'overdue';
  return m.progress > 0 || m.started ? 'in_progress' : 'not_started';
}

export const ENTERPRISE_KINDS = { private: '民营企业', small_micro: '小微企业', individual: '个体工商户', cooperative: '农民专业合作社', other: '其他' } as const;
export type EnterpriseKind = keyof typeof ENTERPRISE_KINDS;

export const SERVICE_KINDS = {
  health_check: '法治体检',
  visit: '走访服务',
  consultation: '法律咨询',
  training: '法治培训',
  mediation: '纠纷调解',
  contract_review: '合同审查',
  other: '其他服务',
} as const;
export type ServiceKind = keyof typeof SERVICE_KINDS;

export const RISK_LEVELS = { high: '高', medium: '中', low: '低' } as const;
export type RiskLevel = keyof typeof RISK_LEVELS;

export const FOLLOW_UP_STATUSES = { none: '无需跟进', pending: '待跟进', done: '已跟进' } as const;
export type FollowUpStatus = keyof typeof FOLLOW_UP_STATUSES;

// GB 32100-2015 统一社会信用代码: 18 characters of 0-9 and the capitals without I, O, S, V, Z; the
// last is a check character over the first 17.
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export const USCC_FORMAT = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;
export const USCC_FORMAT_MESSAGE = '格式不正确（应为 18 位数字或大写字母，不含 I、O、S、V、Z）';
/** Said, not refused: some legally issued early codes fail the check. */
export const USCC_WARNING = '校验码不符（早期赋码可能如此），请核对';

/** The check character for the first 17 characters (which must be in the charset). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  const c = 31 - (sum % 31);
  return USCC_CHARSET[c === 31 ? 0 : c]!;
}

/** 'format': not 18 characters of the charset; 'checksum': well-formed but the check character differs; 'ok'. */
export function checkUscc(value: string): 'ok' | 'format' | 'checksum' {
  const v = value.trim().toUpperCase();
  if (!USCC_FORMAT.test(v)) return 'format';
  return usccCheckChar(v.slice(0, 17)) === v[17] ? 'ok' : 'checksum';
}
