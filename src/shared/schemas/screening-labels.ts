// 智能化数据排查 (issue 11): the registers a bureau imports (each import a dated snapshot), the rules
// that cross-check them by resident ID number, and the statuses of what they find. No zod here: the
// staff page reads these (import templates' columns, rule forms, labels) without the schema library;
// screening.ts re-exports them beside the request schemas, as clues.ts does clue-labels.ts.

export const HIT_STATUS = { open: '待审核', confirmed: '已转线索', dismissed: '已排除', known: '已掌握' } as const;
export type HitStatus = keyof typeof HIT_STATUS;

export type ColumnType = 'text' | 'id' | 'date' | 'datetime' | 'enum' | 'number' | 'bool';

export interface DatasetColumn {
  /** The header in the template (Chinese). */
  header: string;
  /**
   * The column of the dataset's table. An `id` column (a resident ID number) is stored only as `<key>_bidx`,
   * its keyed blind index: rules join by it and nothing shows the number, so no copy of it is kept (the
   * imported file is the source). A `datetime` is `<key>` ('YYYY-MM-DD HH:mm', Asia/Shanghai) and `<key>_min`
   * (minutes, for arithmetic on both databases).
   */
  key: string;
  type: ColumnType;
  required?: boolean;
  /** enum: the label a user types → the stored code. */
  values?: Record<string, string>;
  /** text: most characters; number: the range (default 0–100). */
  max?: number;
  min?: number;
  note?: string;
}

export interface DatasetDef {
  label: string;
  table: string;
  note: string;
  columns: DatasetColumn[];
}

const ORG_KINDS = { 司法行政机关: 'justice', 法院: 'court', 检察院: 'procuratorate' } as const;
export const ORG_KIND_LABELS: Record<string, string> = { justice: '司法行政机关', court: '法院', procuratorate: '检察院' };
export const RELATIONS = { 配偶: 'spouse', 子女: 'child', 子女配偶: 'child_spouse', 父母: 'parent', 兄弟姐妹: 'sibling' } as const;
export const RELATION_LABELS: Record<string, string> = Object.fromEntries(Object.entries(RELATIONS).map(([k, v]) => [v, k]));
export const ENTERPRISE_ROLES = { 法定代表人: 'legal_rep', 股东: 'shareholder', 高级管理人员: 'manager' } as const;
export const ENTERPRISE_ROLE_LABELS: Record<string, string> = Object.fromEntries(Object.entries(ENTERPRISE_ROLES).map(([k, v]) => [v, k]));

export const DATASETS = {
  staff: {
    label: '在职人员',
    table: 'scr_staff',
    note: '本系统干警及法院、检察院在职人员，按身份证号与其他名册比对',
    columns: [
      { header: '姓名', key: 'name', type: 'text', required: true, max: 50 },
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '机构类别', key: 'org_kind', type: 'enum', required: true, values: ORG_KINDS, note: '司法行政机关、法院或检察院' },
      { header: '单位', key: 'org_name', type: 'text', required: true, max: 100 },
      { header: '所属地区', key: 'district', type: 'text', required: true, max: 50, note: '旗县区，如“红山区”' },
      { header: '职务', key: 'post', type: 'text', max: 50 },
      { header: '职级', key: 'grade', type: 'text', max: 50 },
    ],
  },
  relative: {
    label: '近亲属',
    table: 'scr_relative',
    note: '在职人员的配偶、子女及其配偶、父母、兄弟姐妹',
    columns: [
      { header: '本人身份证号', key: 'staff_id_no', type: 'id', required: true, note: '在职人员名册中的身份证号' },
      { header: '亲属关系', key: 'relation', type: 'enum', required: true, values: RELATIONS, note: '配偶、子女、子女配偶、父母、兄弟姐妹' },
      { header: '亲属姓名', key: 'name', type: 'text', required: true, max: 50 },
      { header: '亲属身份证号', key: 'id_no', type: 'id', required: true },
    ],
  },
  enterprise_role: {
    label: '企业登记',
    table: 'scr_enterprise_role',
    note: '市场监管部门的企业法定代表人、股东、高级管理人员登记',
    columns: [
      { header: '企业名称', key: 'enterprise', type: 'text', required: true, max: 200 },
      { header: '统一社会信用代码', key: 'credit_code', type: 'text', required: true, max: 18, note: '18 位' },
      { header: '姓名', key: 'name', type: 'text', required: true, max: 50 },
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '任职类型', key: 'role', type: 'enum', required: true, values: ENTERPRISE_ROLES, note: '法定代表人、股东或高级管理人员' },
      { header: '持股比例', key: 'share_pct', type: 'number', note: '百分比，0–100，可空' },
      { header: '起始日期', key: 'start_on', type: 'date', required: true },
      { header: '终止日期', key: 'end_on', type: 'date', note: '仍在任的留空' },
    ],
  },
  former_staff: {
    label: '离任法官检察官',
    table: 'scr_former_staff',
    note: '从法院、检察院离任的人员',
    columns: [
      { header: '姓名', key: 'name', type: 'text', required: true, max: 50 },
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '原单位类别', key: 'org_kind', type: 'enum', required: true, values: { 法院: 'court', 检察院: 'procuratorate' } },
      { header: '原单位', key: 'org_name', type: 'text', required: true, max: 100, note: '与律师代理案件的“审理法院”写法一致' },
      { header: '原职务', key: 'post', type: 'text', max: 50 },
      { header: '职级', key: 'grade', type: 'text', max: 50 },
      { header: '是否领导职务', key: 'is_leader', type: 'bool', note: '是或否' },
      { header: '离任日期', key: 'left_on', type: 'date', required: true },
      { header: '离任原因', key: 'reason', type: 'text', max: 100 },
    ],
  },
  lawyer: {
    label: '律师执业',
    table: 'scr_lawyer',
    note: '律师执业登记',
    columns: [
      { header: '姓名', key: 'name', type: 'text', required: true, max: 50 },
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '执业证号', key: 'licence_no', type: 'text', required: true, max: 30 },
      { header: '律师事务所', key: 'firm', type: 'text', required: true, max: 100 },
      { header: '执业地区', key: 'district', type: 'text', required: true, max: 50 },
      { header: '执业起始日期', key: 'practice_start', type: 'date', required: true },
    ],
  },
  appearance: {
    label: '律师代理案件',
    table: 'scr_appearance',
    note: '律师在各法院代理的案件（案号、承办法官、日期）',
    columns: [
      { header: '案号', key: 'case_no', type: 'text', required: true, max: 60 },
      { header: '审理法院', key: 'court', type: 'text', required: true, max: 100 },
      { header: '承办法官', key: 'judge', type: 'text', required: true, max: 50 },
      { header: '律师执业证号', key: 'licence_no', type: 'text', required: true, max: 30 },
      { header: '代理身份', key: 'role', type: 'text', max: 50, note: '如“原告代理人”' },
      { header: '日期', key: 'appeared_on', type: 'date', required: true },
    ],
  },
  // 社区矫正: court notices, intake, reports and check-ins, leave, warnings, visits, custody (by the subject's ID number).
  correction_notice: {
    label: '社区矫正判决',
    table: 'scr_correction_notice',
    note: '法院判决、裁定的社区矫正对象（判决生效日期、矫正期限、执行地）',
    columns: [
      { header: '姓名', key: 'name', type: 'text', required: true, max: 50 },
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '判决文书号', key: 'judgment_no', type: 'text', required: true, max: 60 },
      { header: '判决法院', key: 'court', type: 'text', required: true, max: 100 },
      { header: '判决生效日期', key: 'effective_on', type: 'date', required: true },
      { header: '矫正起始日期', key: 'term_start', type: 'date', required: true },
      { header: '矫正终止日期', key: 'term_end', type: 'date', required: true },
      { header: '执行地', key: 'district', type: 'text', required: true, max: 50, note: '旗县区' },
    ],
  },
  correction_intake: {
    label: '入矫登记',
    table: 'scr_correction_intake',
    note: '司法所为社区矫正对象办理的入矫登记',
    columns: [
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '登记日期', key: 'registered_on', type: 'date', required: true },
      { header: '执行地', key: 'district', type: 'text', required: true, max: 50 },
      { header: '司法所', key: 'office', type: 'text', max: 100 },
    ],
  },
  correction_checkin: {
    label: '报到与签到',
    table: 'scr_correction_checkin',
    note: '社区矫正对象的报到、电话报告与定位签到（时间、地点、坐标）',
    columns: [
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '时间', key: 'at', type: 'datetime', required: true, note: '如 2021-05-01 08:30' },
      { header: '方式', key: 'method', type: 'text', max: 20, note: '报到、电话报告或定位签到' },
      { header: '所在地区', key: 'district', type: 'text', required: true, max: 50 },
      { header: '经度', key: 'lng', type: 'number', min: 73, max: 136 },
      { header: '纬度', key: 'lat', type: 'number', min: 3, max: 54 },
    ],
  },
  correction_leave: {
    label: '外出审批',
    table: 'scr_correction_leave',
    note: '经批准的外出（起止日期、目的地）',
    columns: [
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '外出起始日期', key: 'from_on', type: 'date', required: true },
      { header: '外出终止日期', key: 'to_on', type: 'date', required: true },
      { header: '目的地', key: 'destination', type: 'text', max: 100 },
    ],
  },
  correction_warning: {
    label: '警告',
    table: 'scr_correction_warning',
    note: '对社区矫正对象给予的警告',
    columns: [
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '警告日期', key: 'issued_on', type: 'date', required: true },
      { header: '事由', key: 'reason', type: 'text', max: 200 },
    ],
  },
  correction_visit: {
    label: '走访记录',
    table: 'scr_correction_visit',
    note: '司法所工作人员对社区矫正对象的走访（时间、坐标）',
    columns: [
      { header: '走访人员', key: 'officer', type: 'text', required: true, max: 50 },
      { header: '身份证号', key: 'id_no', type: 'id', required: true, note: '被走访对象' },
      { header: '时间', key: 'at', type: 'datetime', required: true },
      { header: '经度', key: 'lng', type: 'number', required: true, min: 73, max: 136 },
      { header: '纬度', key: 'lat', type: 'number', required: true, min: 3, max: 54 },
    ],
  },
  correction_custody: {
    label: '收监羁押',
    table: 'scr_correction_custody',
    note: '社区矫正对象被收监执行或羁押的期间',
    columns: [
      { header: '身份证号', key: 'id_no', type: 'id', required: true },
      { header: '起始日期', key: 'from_on', type: 'date', required: true },
      { header: '终止日期', key: 'to_on', type: 'date', note: '仍在押的留空' },
    ],
  },
} as const satisfies Record<string, DatasetDef>;

export type DatasetKind = keyof typeof DATASETS;
export const DATASET_KINDS = Object.keys(DATASETS) as DatasetKind[];

// ---- rules --------------------------------------------------------------------------------------

export interface ParamDef {
  key: string;
  label: string;
  type: 'int' | 'number' | 'relations' | 'roles' | 'orgKinds' | 'text';
  min?: number;
  max?: number;
  unit?: string;
}

export interface RuleKindDef {
  name: string;
  /** What it flags and why, in plain Chinese. */
  description: string;
  datasets: DatasetKind[];
  params: ParamDef[];
  defaults: Record<string, unknown>;
}

export const RULE_KINDS = {
  enterprise_holding: {
    name: '违规经商办企业、参股',
    description:
      '在职人员本人或其近亲属，在企业登记中担任法定代表人、股东或高级管理人员且截至排查日仍在任的，提示核查是否违规经商办企业或违规参股。按身份证号比对，同名不同人不会命中。',
    datasets: ['staff', 'relative', 'enterprise_role'],
    params: [
      { key: 'orgKinds', label: '在职人员机构类别', type: 'orgKinds' },
      { key: 'relations', label: '比对的亲属关系（不选则只比对本人）', type: 'relations' },
      { key: 'roles', label: '任职类型', type: 'roles' },
      { key: 'minSharePct', label: '股东持股比例不低于', type: 'number', min: 0, max: 100, unit: '%' },
    ],
    defaults: { orgKinds: ['justice'], relations: ['spouse', 'child', 'child_spouse', 'parent', 'sibling'], roles: ['legal_rep', 'shareholder', 'manager'], minSharePct: 0 },
  },
  revolving_door: {
    name: '离任后违规从事律师职业',
    description:
      '法官、检察官离任后，在规定年限内（一般 2 年，担任领导职务或高级职级的 3 年）取得律师执业的，提示核查是否违反从业限制。离任日期加年限之前开始执业即命中，满期当日及以后开始执业不命中。',
    datasets: ['former_staff', 'lawyer'],
    params: [
      { key: 'years', label: '一般人员从业限制期', type: 'int', min: 1, max: 10, unit: '年' },
      { key: 'leaderYears', label: '领导职务、高级职级人员从业限制期', type: 'int', min: 1, max: 10, unit: '年' },
      { key: 'seniorGradeKeyword', label: '职级含此字样视为高级职级', type: 'text' },
    ],
    defaults: { years: 2, leaderYears: 3, seniorGradeKeyword: '高级' },
  },
  former_court_case: {
    name: '离任人员在原任职法院代理案件',
    description: '法官、检察官离任后担任律师，在其原任职法院代理案件的（终身禁止），提示核查。按执业证号关联律师与案件，按原单位名称关联法院。',
    datasets: ['former_staff', 'lawyer', 'appearance'],
    params: [],
    defaults: {},
  },
  kin_avoidance: {
    name: '法官检察官近亲属在同地区执业（任职回避）',
    description: '法院、检察院在职人员的配偶、父母、子女在同一地区担任律师的，提示核查是否应当任职回避。',
    datasets: ['staff', 'relative', 'lawyer'],
    params: [{ key: 'relations', label: '比对的亲属关系', type: 'relations' }],
    defaults: { relations: ['spouse', 'parent', 'child'] },
  },
  judge_affinity: {
    name: '律师与法官异常密切（司法掮客迹象）',
    description:
      '同一法院内，某律师在某法官承办案件中出现的次数，远高于按该法官在本院承办份额推算的期望次数：期望次数 = 该律师在本院代理案件数 × 该法官承办案件数 ÷ 本院案件总数。出现次数不少于最少次数、为期望的倍数不低于阈值、且按泊松分布计算的偶然出现概率低于显著性水平的，提示核查。',
    datasets: ['appearance'],
    params: [
      { key: 'minCount', label: '最少共同出现次数', type: 'int', min: 2, max: 1000, unit: '次' },
      { key: 'ratio', label: '出现次数为期望的倍数不低于', type: 'number', min: 1, max: 100, unit: '倍' },
      { key: 'alpha', label: '显著性水平（偶然出现的概率低于）', type: 'number', min: 0, max: 0.5 },
    ],
    defaults: { minCount: 5, ratio: 3, alpha: 0.001 },
  },
  missed_intake: {
    name: '社区矫正漏管',
    description: '法院判决生效后，规定期限内（默认 10 日）没有入矫登记的，提示核查是否漏管。期限最后一日登记的不命中；期限未届满的暂不提示。',
    datasets: ['correction_notice', 'correction_intake'],
    params: [{ key: 'days', label: '判决生效后应入矫登记的期限', type: 'int', min: 1, max: 60, unit: '日' }],
    defaults: { days: 10 },
  },
  lost_contact: {
    name: '社区矫正脱管',
    description:
      '矫正期内两次报到、签到之间（或入矫后首次、最后一次至今）相隔超过允许间隔的，或在执行地以外签到而当日没有经批准的外出的，提示核查是否脱管。收监羁押期间不计。',
    datasets: ['correction_notice', 'correction_checkin', 'correction_leave', 'correction_custody'],
    params: [{ key: 'maxGapDays', label: '两次报到、签到的最长间隔', type: 'int', min: 1, max: 90, unit: '日' }],
    defaults: { maxGapDays: 7 },
  },
  missing_warning: {
    name: '应予警告未警告',
    description: '社区矫正对象报到、签到间隔超过允许间隔（脱离监管）后，在规定期限内没有警告记录的，提示核查是否应予警告而未警告。',
    datasets: ['correction_notice', 'correction_checkin', 'correction_warning'],
    params: [
      { key: 'maxGapDays', label: '两次报到、签到的最长间隔', type: 'int', min: 1, max: 90, unit: '日' },
      { key: 'warnWithinDays', label: '超过间隔后应予警告的期限', type: 'int', min: 1, max: 90, unit: '日' },
    ],
    defaults: { maxGapDays: 7, warnWithinDays: 15 },
  },
  paper_supervision: {
    name: '社区矫正虚管',
    description:
      '监管只在纸面上的迹象：矫正期满后或收监羁押期间仍有走访、签到记录；不同对象在同一时间、同一坐标签到；同一工作人员前后两次走访之间的移动速度超过合理上限。',
    datasets: ['correction_notice', 'correction_checkin', 'correction_visit', 'correction_custody'],
    params: [{ key: 'maxSpeedKmh', label: '走访人员移动速度上限', type: 'int', min: 20, max: 1000, unit: '公里/小时' }],
    defaults: { maxSpeedKmh: 120 },
  },
} as const satisfies Record<string, RuleKindDef>;

export type RuleKind = keyof typeof RULE_KINDS;
export const RULE_KIND_CODES = Object.keys(RULE_KINDS) as RuleKind[];


