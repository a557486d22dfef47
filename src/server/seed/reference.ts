import { CALENDAR_DICTIONARIES } from '../platform/workdays.js';

// Reference data every installation starts with: built-in dictionaries.
// Labels follow the source account and GLOSSARY.md; admins may add items and relabel them.

export interface DictSeed {
  code: string;
  name: string;
  description?: string;
  items: [code: string, label: string][];
}

export const DICTIONARIES: DictSeed[] = [
  {
    code: 'post',
    name: '职务',
    items: [
      ['bureau_chief', '局长'], ['deputy_chief', '副局长'], ['political_commissar', '政治部主任'],
      ['section_chief', '科长'], ['deputy_section_chief', '副科长'], ['office_director', '所长'],
      ['deputy_office_director', '副所长'], ['principal_staff', '主任科员'], ['staff', '科员'],
      ['judicial_assistant', '司法助理员'], ['correction_officer', '社区矫正工作人员'], ['clerk', '工作人员'],
    ],
  },
  {
    code: 'opinion_category',
    name: '意见建议类别',
    description: '开门纳谏征集意见的 12 大类',
    items: [
      ['approval_service', '审批服务'], ['public_legal_service', '公共法律服务'], ['lawyer_management', '律师管理'],
      ['notary_service', '公证服务'], ['judicial_appraisal', '司法鉴定'], ['people_mediation', '人民调解'],
      ['community_correction', '社区矫正'], ['law_enforcement_supervision', '行政执法监督'],
      ['administrative_reconsideration', '行政复议'], ['legal_publicity', '普法宣传'],
      ['team_conduct', '队伍作风纪律'], ['other', '其他'],
    ],
  },
  {
    code: 'opinion_channel',
    name: '征求渠道',
    items: [
      ['portal', '门户网站'], ['wechat', '微信公众号'], ['mini_program', '小程序'], ['questionnaire', '调查问卷'],
      ['window_card', '征求意见卡'], ['suggestion_box', '意见箱'], ['symposium', '座谈会'],
      ['field_visit', '走访调研'], ['hotline', '电话'],
    ],
  },
  {
    code: 'problem_category',
    name: '顽瘴痼疾（7+2）',
    items: [
      ['interfere_justice', '违反防止干预司法“三个规定”'], ['illegal_business', '违规经商办企业'],
      ['lawyer_collusion', '违规参股借贷及与律师不正当接触交往'], ['illegal_commutation', '违规违法办理减刑假释暂予监外执行'],
      ['law_enforcement', '有案不立、压案不查、有罪不究'], ['retired_practice', '离职人员违规从事律师职业'],
      ['unlawful_favor', '滥用职权、徇私枉法'],
      ['correction_lapse', '社区矫正对象脱管漏管虚管（专项行动）'], ['judicial_broker', '律师充当司法掮客（专项行动）'],
    ],
  },
  {
    code: 'clue_source',
    name: '线索来源',
    items: [
      ['self_check', '自查自纠'], ['tip_off', '举报'], ['data_screening', '智能化数据排查'],
      ['case_review', '涉法涉诉案件清查'], ['other', '其他'],
    ],
  },
  {
    code: 'disposal_method',
    name: '处置方式',
    items: [
      ['talk_inquiry', '谈话函询'], ['preliminary_verification', '初步核实'], ['shelved', '暂存待查'], ['concluded', '予以了结'],
    ],
  },
  {
    code: 'study_mode',
    name: '“九学”模式',
    items: [
      ['self_study', '集中自学'], ['lecture', '宣讲导学'], ['expert', '专家解读助学'], ['secretary_led', '支部书记领学'],
      ['reading_film', '读书班及影视作品研学'], ['sharing', '分享促学'], ['event_follow', '重要活动跟学'],
      ['supervision', '巡回指导督学'], ['evaluation', '评价体系评学'],
    ],
  },
  {
    code: 'attachment_type',
    name: '附件类型',
    description: '允许上传的文件类型',
    items: [
      ['image/jpeg', 'JPEG 图片'], ['image/png', 'PNG 图片'], ['application/pdf', 'PDF 文档'],
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Word 文档'],
      ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Excel 表格'],
      ['audio/mpeg', 'MP3 音频'],
      // Last, so the items above keep their ids (dict-attachment_type-N); 0006_webp adds it to older databases.
      ['image/webp', 'WebP 图片'],
      // Phones' and WeChat's voice recordings (分享促学's readings); 0015_audio_types adds them to older databases.
      ['audio/x-m4a', 'M4A 音频'], ['audio/mp4', 'MP4 音频'], ['audio/aac', 'AAC 音频'], ['audio/amr', 'AMR 音频'], ['audio/wav', 'WAV 音频'],
    ],
  },
  // Holidays and make-up workdays drive working-day deadlines; admins add each new year's schedule.
  ...CALENDAR_DICTIONARIES,
];

/** Chifeng's 12 county-level units with their administrative division codes (GB/T 2260). */
export const COUNTIES: { name: string; code: string; division: string; offices: string[] }[] = [
  { name: '红山区', code: 'HSQ', division: '150402', offices: ['文钟', '红庙子', '西屯', '永巨', '站前', '铁南'] },
  { name: '元宝山区', code: 'YBS', division: '150403', offices: ['平庄', '元宝山', '风水沟', '五家', '美丽河', '小五家'] },
  { name: '松山区', code: 'SSQ', division: '150404', offices: ['当铺地', '穆家营子', '初头朗', '大夫营子', '王府', '老府', '太平地', '安庆'] },
  { name: '阿鲁科尔沁旗', code: 'ALK', division: '150421', offices: ['天山', '天山口', '双胜', '坤都', '绍根', '巴彦花'] },
  { name: '巴林左旗', code: 'BLZ', division: '150422', offices: ['林东', '隆昌', '十三敖包', '碧流台', '富河', '哈拉哈达'] },
  { name: '巴林右旗', code: 'BLY', division: '150423', offices: ['大板', '索博日嘎', '宝日勿苏', '查干沐沦', '幸福之路'] },
  { name: '林西县', code: 'LXX', division: '150424', offices: ['林西', '五十家子', '大井', '新城子', '统部', '官地'] },
  { name: '克什克腾旗', code: 'KSK', division: '150425', offices: ['经棚', '宇宙地', '土城子', '同兴', '达日罕乌拉', '达来诺日'] },
  { name: '翁牛特旗', code: 'WNT', division: '150426', offices: ['乌丹', '乌敦套海', '五分地', '桥头', '广德公', '梧桐花', '海拉苏'] },
  { name: '喀喇沁旗', code: 'KLQ', division: '150428', offices: ['锦山', '美林', '王爷府', '小牛群', '牛家营子', '乃林'] },
  { name: '宁城县', code: 'NCX', division: '150429', offices: ['天义', '小城子', '大城子', '八里罕', '黑里河', '汐子', '大明', '五化'] },
  { name: '敖汉旗', code: 'AHQ', division: '150430', offices: ['新惠', '四家子', '长胜', '宝国吐', '贝子府', '四道湾子', '下洼'] },
];

export const CITY_DEPARTMENTS = [
  ['OFFICE', '办公室'], ['PERSONNEL', '人事警务科'], ['CORRECTION', '社区矫正管理科'],
  ['PUBLIC_LEGAL', '公共法律服务管理科'], ['LAWYER', '律师工作管理科'], ['RECONSIDERATION', '行政复议与应诉科'],
  ['SUPERVISION', '行政执法监督科'], ['PUBLICITY', '普法与依法治理科'], ['MEDIATION', '人民参与和促进法治科'],
  ['LEGISLATION', '立法科'],
] as const;
