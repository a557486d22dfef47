// 制度文件: categories and audience labels, shared by the server and the staff pages (no zod here).

export const POLICY_CATEGORIES = {
  correction: '社区矫正工作规范',
  team: '队伍管理',
  enforcement: '执法监督',
  integrity: '廉政建设',
  service: '公共法律服务',
  other: '其他',
} as const;
export type PolicyCategory = keyof typeof POLICY_CATEGORIES;

/** Who must acknowledge each version: everyone serving under the issuing unit, or chosen units (each with those below). */
export const POLICY_AUDIENCES = { issuer: '发文单位及下级全体干警', units: '指定单位（含下级）干警' } as const;
export type PolicyAudience = keyof typeof POLICY_AUDIENCES;

export const POLICY_VERSION_STATUS = { current: '现行', superseded: '已被新版本替代' } as const;
export type PolicyVersionStatus = keyof typeof POLICY_VERSION_STATUS;
