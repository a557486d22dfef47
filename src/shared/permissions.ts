// Permissions per action and the built-in roles. Later modules add their permissions here.

export const PERMISSIONS = {
  'org:read': '查看组织机构',
  'org:write': '维护组织机构',
  'party:read': '查看党组织',
  'party:write': '维护党组织',
  'people:read': '查看干警',
  'people:write': '维护干警信息',
  'people:import': '导入干警',
  'people:export': '导出干警',
  'people:sensitive': '查看干警身份证号、手机号明文',
  'users:read': '查看账号',
  'users:write': '维护账号',
  'roles:read': '查看角色',
  'roles:write': '维护角色与权限',
  'sessions:read': '查看在线会话',
  'sessions:revoke': '强制下线',
  'audit:read': '查看审计日志',
  'loginlog:read': '查看登录日志',
  'dict:read': '查看数据字典',
  'dict:write': '维护数据字典',
  'campaign:read': '查看教育整顿批次',
  'campaign:write': '维护教育整顿批次',
  'files:upload': '上传附件',
  'stats:read': '查看统计数据',
  'opinions:read': '查看意见建议',
  'opinions:enter': '录入线下渠道意见',
  'opinions:triage': '梳理意见（分类、分办、合并、驳回、纳入清单）',
  'opinions:reply': '答复意见',
  'opinions:identity': '查看实名提交人身份（记审计）',
  'opinions:export': '导出意见',
  'symposiums:read': '查看座谈会',
  'symposiums:write': '维护座谈会',
  'surveys:read': '查看调查问卷及结果',
  'surveys:write': '设计、发布调查问卷',
  'open311:keys': '管理 Open311 接入密钥',
  'approvals:read': '查看特权变更审批（非审批人只见本人提交的申请）',
  'approvals:decide': '审批特权变更（批准或驳回另一职责管理员提交的申请）',
  'rectification:read': '查看整治台账、项目清单',
  'rectification:write': '维护整治事项、报送整改进展',
  'rectification:signoff': '整治事项销号',
  'rectification:catalog': '维护问题类别（“7+2”顽瘴痼疾、纪律作风）',
  'selfcheck:fill': '填写、签字提交本人的自查事项报告表',
  'selfcheck:coverage': '查看自查报告提交情况（谁已提交、谁未提交），催报',
  'selfcheck:review': '查阅、审核自查事项报告表内容（记审计）',
  'talks:read': '查看谈心谈话记录与覆盖情况',
  'talks:write': '记录谈心谈话',
  'lifemeetings:read': '查看民主生活会',
  'lifemeetings:write': '记录民主生活会及查摆的问题（问题纳入整治台账）',
  'clues:read': '查阅问题线索（受限，每次查阅记审计）',
  'clues:write': '登记、处置问题线索',
  'clues:identity': '查看线索举报人身份（记审计）',
  'clues:stats': '查看问题线索数量统计（仅数量）',
  'study:read': '查看学习活动、签到、分享、观评、巡回指导、选树典型',
  'study:write': '组织学习活动、登记签到、巡回指导、选树典型',
  'study:take': '参加学习：扫码签到、发布分享、撰写观评、参加考试、查看本人学习档案',
  'exams:read': '查看考试、成绩与干警学习档案',
  'exams:write': '维护题库、组卷发布考试、阅卷、录入线下成绩',
  'study:assess': '设置学习教育年度考评规则，导出考评结果',
  // 为民服务 (issue 10)
  'service:read': '查看便民利民措施、法律服务工作站、企业服务记录与法治体检',
  'service:write': '维护便民利民措施及进展、工作站、企业服务记录与法治体检',
  'village:read': '查看“1155”工程结对、服务、走访、交付成果与达标情况',
  'village:write': '维护“1155”工程结对与村级交付成果',
  'village:field': '登记本人结对村的法律服务与走访（手机离线可用）',
  'commitments:read': '查看证明事项告知承诺、核查结果与失信名单',
  'commitments:write': '维护告知承诺事项目录，登记承诺，抽查核查，认定虚假承诺',
  'cases:read': '查看行政复议申请与企业矛盾纠纷调解案件',
  'cases:write': '登记、办理行政复议申请与企业矛盾纠纷调解案件',
  // 建章立制 (issue 10)
  'interference:record': '记录报告本人遇到的过问或干预案件情况，或按期零报告',
  'interference:read': '查阅“三个规定”记录内容（受限，每次查阅记审计；涉及本人的不可见）',
  'interference:coverage': '查看“三个规定”报告情况（谁已报告、谁未报告）与数量统计',
  'policies:read': '查阅制度文件，确认已阅',
  'policies:write': '发布、修订制度文件，查看阅知情况',
  // 智能化数据排查 (issue 11): registers of ID numbers and what the rules find — clue handlers only.
  'screening:read': '查看数据排查规则、名册导入记录与命中结果（受限）',
  'screening:import': '导入数据排查名册（干警及近亲属、企业登记、离任人员、律师执业与代理案件）',
  'screening:run': '运行数据排查',
  'screening:rules': '维护数据排查规则与参数',
  'screening:review': '审核排查命中：转为线索、排除或标记已掌握',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/**
 * Permissions that administer accounts, read the logs or open protected data. A role carrying any
 * of them is privileged: granting it (or resetting, re-enabling, widening an account or role that
 * has it) waits for a second administrator of another duty. Later modules add theirs here (clues).
 */
export const PROTECTED_PERMISSIONS: readonly Permission[] = [
  'users:write', 'roles:write', 'audit:read', 'loginlog:read', 'people:sensitive', 'opinions:identity',
  'open311:keys', 'sessions:revoke', 'approvals:decide', 'selfcheck:review', 'clues:read', 'clues:write',
  'clues:identity', 'interference:read', 'screening:read', 'screening:import', 'screening:run', 'screening:rules',
  'screening:review',
];

export const DATA_SCOPES = {
  all: '全部数据',
  unit_and_below: '本单位及下级',
  unit: '仅本单位',
  self: '仅本人',
  custom: '自定义单位',
} as const;
export type DataScope = keyof typeof DATA_SCOPES;

export interface BuiltinRole {
  code: string;
  name: string;
  description: string;
  dataScope: DataScope;
  permissions: Permission[];
}

// 等保2.0 three separated duties: the system admin runs the business data, the security admin
// runs accounts and roles, the auditor only reads the logs. No built-in role holds two of them.
export const BUILTIN_ROLES: BuiltinRole[] = [
  {
    code: 'sysadmin',
    name: '系统管理员',
    description:
      '维护组织机构、干警、字典、批次等业务基础数据；审批安全管理员提交的特权账号变更（三员分立：不管理账号、不查看审计）',
    dataScope: 'all',
    permissions: [
      'org:read', 'org:write', 'party:read', 'party:write', 'people:read', 'people:write',
      'people:import', 'people:export', 'people:sensitive', 'dict:read', 'dict:write',
      'campaign:read', 'campaign:write', 'files:upload', 'stats:read', 'approvals:read', 'approvals:decide',
    ],
  },
  {
    code: 'secadmin',
    name: '安全管理员',
    description: '管理账号、角色权限与在线会话；涉及特权角色的变更须经系统管理员或审计管理员批准后生效（三员分立）',
    dataScope: 'all',
    permissions: [
      'org:read', 'people:read', 'users:read', 'users:write', 'roles:read', 'roles:write',
      'sessions:read', 'sessions:revoke', 'dict:read', 'open311:keys', 'approvals:read',
    ],
  },
  {
    code: 'auditor',
    name: '审计管理员',
    description: '查阅审计日志与登录日志，审批特权账号变更（批准或驳回）；除此之外不能修改任何数据（三员分立）',
    dataScope: 'all',
    permissions: ['audit:read', 'loginlog:read', 'org:read', 'dict:read', 'approvals:read', 'approvals:decide'],
  },
  {
    code: 'campaign_office',
    name: '整顿办',
    description: '教育整顿领导小组办公室：统筹批次、查看全市数据与统计',
    dataScope: 'all',
    permissions: [
      'org:read', 'party:read', 'people:read', 'people:export', 'dict:read', 'campaign:read',
      'campaign:write', 'files:upload', 'stats:read', 'opinions:read', 'opinions:enter', 'opinions:triage',
      'opinions:reply', 'opinions:identity', 'opinions:export', 'symposiums:read', 'symposiums:write',
      'surveys:read', 'surveys:write', 'rectification:read', 'rectification:write', 'rectification:signoff',
      'rectification:catalog', 'selfcheck:fill', 'selfcheck:coverage', 'selfcheck:review', 'talks:read', 'talks:write',
      'lifemeetings:read', 'lifemeetings:write', 'clues:stats', 'study:read', 'study:write', 'study:take', 'exams:read',
      'exams:write', 'study:assess', 'service:read', 'service:write', 'village:read', 'village:write', 'village:field',
      'commitments:read', 'commitments:write', 'cases:read', 'cases:write', 'interference:record', 'interference:read',
      'interference:coverage', 'policies:read', 'policies:write',
    ],
  },
  {
    code: 'unit_admin',
    name: '单位管理员',
    description: '旗县区司法局、司法所的管理员：维护本单位及下级的干警与账号',
    dataScope: 'unit_and_below',
    permissions: [
      'org:read', 'party:read', 'people:read', 'people:write', 'people:import', 'people:export',
      'users:read', 'users:write', 'dict:read', 'campaign:read', 'files:upload', 'stats:read',
      'opinions:read', 'opinions:enter', 'opinions:reply', 'opinions:export', 'symposiums:read', 'symposiums:write',
      'surveys:read', 'rectification:read', 'rectification:write', 'selfcheck:fill', 'selfcheck:coverage',
      'talks:read', 'talks:write', 'lifemeetings:read', 'lifemeetings:write', 'study:read', 'study:write', 'study:take',
      'exams:read', 'exams:write', 'service:read', 'service:write', 'village:read', 'village:write', 'village:field',
      'commitments:read', 'commitments:write', 'cases:read', 'cases:write', 'interference:record', 'interference:coverage',
      'policies:read',
    ],
  },
  {
    code: 'officer',
    name: '干警',
    description: '全体干警：查看本人信息，参加学习、自查、谈话等',
    dataScope: 'self',
    // 整治台账: the items the officer is responsible for (data scope self).
    permissions: [
      'people:read', 'dict:read', 'campaign:read', 'files:upload', 'rectification:read', 'selfcheck:fill', 'study:take',
      'village:field', 'interference:record', 'policies:read',
    ],
  },
  {
    code: 'clue_handler',
    name: '线索管理员',
    description: '受限的问题线索处置人员：登记、处置、查阅问题线索，导入名册、运行智能化数据排查并审核命中（每次查阅记审计；线索涉及本人的不可见）',
    dataScope: 'all',
    permissions: [
      'org:read', 'people:read', 'dict:read', 'campaign:read', 'files:upload', 'clues:read', 'clues:write', 'clues:identity',
      'screening:read', 'screening:import', 'screening:run', 'screening:rules', 'screening:review',
    ],
  },
];

/** Roles a unit admin may hand out: never one that outranks their own. */
export const UNIT_ADMIN_ASSIGNABLE = ['officer', 'unit_admin'];

/**
 * Built-in roles that are privileged by name: the three separated duties and the roles that read
 * protected data (reporters' identities, clues) city-wide.
 */
export const PRIVILEGED_BUILTIN_ROLES = ['sysadmin', 'secadmin', 'auditor', 'campaign_office', 'clue_handler'];

/**
 * Whether holding this role is privileged. The two everyday roles are not, although 单位管理员
 * carries users:write: it only ever assigns those two roles, inside its own unit, and never manages
 * an account holding anything more (accounts/policy.ts), so it cannot reach another duty's access.
 */
export function isPrivilegedRole(r: { code: string; permissions: readonly string[] }): boolean {
  if (PRIVILEGED_BUILTIN_ROLES.includes(r.code)) return true;
  if (UNIT_ADMIN_ASSIGNABLE.includes(r.code)) return false;
  return r.permissions.some((p) => (PROTECTED_PERMISSIONS as readonly string[]).includes(p));
}
