import { z } from 'zod';

// The audit log and the login log: filters shared by the server and the staff app, and labels.

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date (YYYY-MM-DD, a day in Asia/Shanghai) or an ISO date-time with its offset. */
export function isTimeFilter(v: string): boolean {
  if (DATE_ONLY.test(v)) return !Number.isNaN(Date.parse(`${v}T00:00:00+08:00`));
  return DATE_TIME.test(v) && !Number.isNaN(Date.parse(v));
}

export function isDateOnly(v: string): boolean {
  return DATE_ONLY.test(v);
}

const timeFilter = (label: string) =>
  z
    .string()
    .trim()
    .refine(isTimeFilter, '须为日期（YYYY-MM-DD）或带时区的 ISO 时间')
    .optional()
    .describe(label);

const page = {
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
};

export const AuditLogFilter = z.object({
  actor: z.string().trim().max(100).optional().describe('操作人'),
  action: z.string().trim().max(64).optional().describe('操作'),
  entityType: z.string().trim().max(64).optional().describe('对象类型'),
  entityId: z.string().trim().max(128).optional().describe('对象编号'),
  from: timeFilter('开始时间'),
  to: timeFilter('结束时间'),
});
export type AuditLogFilter = z.infer<typeof AuditLogFilter>;
export const AuditLogQuery = AuditLogFilter.extend(page);
export type AuditLogQuery = z.infer<typeof AuditLogQuery>;

export const LoginLogFilter = z.object({
  username: z.string().trim().max(64).optional().describe('用户名'),
  success: z.enum(['0', '1']).optional().describe('登录结果'),
  from: timeFilter('开始时间'),
  to: timeFilter('结束时间'),
});
export type LoginLogFilter = z.infer<typeof LoginLogFilter>;
export const LoginLogQuery = LoginLogFilter.extend(page);
export type LoginLogQuery = z.infer<typeof LoginLogQuery>;

/** Why a login failed (login_log.reason). */
export const LOGIN_FAILURE_REASONS: Record<string, string> = {
  no_such_user: '用户不存在',
  bad_password: '密码错误',
  disabled: '账号已停用',
  locked: '账号已锁定',
  ip_limited: '该地址失败次数过多',
};

/** Labels for audit actions; unknown actions are shown by their code. */
export const AUDIT_ACTIONS: Record<string, string> = {
  bootstrap: '系统初始化',
  login: '登录',
  logout: '退出登录',
  change_password: '修改密码',
  reset_password: '重置密码',
  force_logout: '强制下线',
  create: '新增',
  update: '修改',
  delete: '删除',
  import: '导入',
  read_protected: '查看敏感信息',
  activate: '启动',
  close: '结束',
  read: '标为已读',
  read_all: '全部标为已读',
  upload: '上传',
  categorize: '分类',
  assign: '分办',
  reply: '答复',
  merge: '合并',
  reject: '不予受理（驳回）',
  adopt: '纳入清单',
  link_adoption: '关联清单事项',
  submit: '群众提交',
  rate: '群众评价',
  publish: '发布',
  respond: '填写问卷',
  revoke: '吊销',
  request_approval: '提交特权变更审批',
  approve: '批准',
  cancel: '撤回',
  collect_secret: '领取一次性密码',
  sync_builtin_roles: '同步内置角色',
};

/** Labels for audited entity types; unknown types are shown by their code. */
export const AUDIT_ENTITY_TYPES: Record<string, string> = {
  system: '系统',
  session: '会话',
  user: '账号',
  role: '角色',
  person: '干警',
  org_unit: '单位',
  party_org: '党组织',
  dict_type: '字典类型',
  dict_item: '字典项',
  campaign: '教育整顿批次',
  attachment: '附件',
  notification: '通知',
  opinion: '意见建议',
  opinion_adoption: '意见纳入记录',
  symposium: '座谈会',
  survey: '调查问卷',
  open311_key: 'Open311 密钥',
  approval_request: '特权变更审批',
};

export const auditActionLabel = (code: string) => AUDIT_ACTIONS[code] ?? code;
export const auditEntityLabel = (code: string) => AUDIT_ENTITY_TYPES[code] ?? code;
