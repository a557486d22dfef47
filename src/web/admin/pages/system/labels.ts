// Chinese labels for codes the system pages show. Unknown codes fall back to the raw code so a
// new action or entity type from a later module is still readable.

import { DATA_SCOPES, PERMISSIONS } from '../../../../shared/permissions.js';
import { USER_STATUS } from '../../../../shared/schemas/accounts.js';
import { CAMPAIGN_STATUS } from '../../../../shared/schemas/campaigns.js';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, LOGIN_FAILURE_REASONS } from '../../../../shared/schemas/logs.js';

// The shared schemas hold the server's own labels (also used in Excel exports); they win. The extra
// entries here cover codes other modules write that the shared lists do not name yet.
const EXTRA_ACTIONS: Record<string, string> = {
  export: '导出',
  revoke: '强制下线',
  enable: '启用',
  disable: '停用',
  move: '移动',
  read: '查看',
  read_all: '全部已读',
  activate: '启动',
  close: '结束',
  upload: '上传',
};
// Spread twice: the shared actions come first in filter lists, and their labels win.
export const ACTION_LABELS: Record<string, string> = { ...AUDIT_ACTIONS, ...EXTRA_ACTIONS, ...AUDIT_ACTIONS };

export const ENTITY_LABELS: Record<string, string> = { ...AUDIT_ENTITY_TYPES, notification: '通知', ...AUDIT_ENTITY_TYPES };

export const LOGIN_REASON_LABELS: Record<string, string> = {
  bad_password: '密码错误',
  no_such_user: '用户不存在',
  locked: '账号锁定中',
  ip_limited: '该地址失败次数过多',
  disabled: '账号已停用',
  ...LOGIN_FAILURE_REASONS,
};

export const USER_STATUS_LABELS: Record<string, string> = { ...USER_STATUS };

export const CAMPAIGN_STATUS_LABELS: Record<string, string> = { ...CAMPAIGN_STATUS };
export const CAMPAIGN_STATUS_COLORS: Record<string, string> = { planned: 'default', active: 'processing', closed: 'success' };

/** Permission groups by code prefix (`people:read` → `people`). */
export const PERMISSION_GROUP_LABELS: Record<string, string> = {
  org: '组织机构',
  party: '党组织',
  people: '干警',
  users: '账号',
  roles: '角色权限',
  sessions: '在线会话',
  audit: '审计日志',
  loginlog: '登录日志',
  dict: '数据字典',
  campaign: '教育整顿批次',
  files: '附件',
  stats: '统计',
};

export function label(map: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return map[code] ?? code;
}

export const dataScopeLabel = (code: string | null | undefined) => label(DATA_SCOPES as Record<string, string>, code);
export const permissionLabel = (code: string) => (PERMISSIONS as Record<string, string>)[code] ?? code;

export function permissionGroup(code: string): string {
  const i = code.indexOf(':');
  return i < 0 ? code : code.slice(0, i);
}

/** Options for a Select from a label map. */
export function optionsOf(map: Record<string, string>) {
  return Object.entries(map).map(([value, text]) => ({ value, label: text }));
}
