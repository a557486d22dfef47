// Deterministic generator of realistic Chinese opinion texts for the 开门纳谏 benchmarks: each
// text combines a category's services, complaints and suggestions with a place in Chifeng (the 12
// county-level units and their 司法所 from the seed's reference data), a time and an opener.
// Same seed, same texts. Not a classifier benchmark: the category words are there by construction.
import { COUNTIES } from '../src/server/seed/reference.js';
import { prng } from '../src/server/seed/demo.js';

export type Rng = ReturnType<typeof prng>;
export { prng };

interface CategoryPhrases {
  subjects: string[];
  complaints: string[];
  suggestions: string[];
}

export const PHRASES: Record<string, CategoryPhrases> = {
  approval_service: {
    subjects: ['申领法律职业资格证书', '申请律师执业许可', '办理基层法律服务工作者执业核准', '办理司法鉴定机构登记', '办理公证员执业审批', '提交审批材料'],
    complaints: ['要求提交的材料太多', '办理时限太长', '来回跑了好几趟还没办成', '网上审批系统经常登录不上', '窗口告知的要求前后不一致', '审批进度查不到'],
    suggestions: ['建议推行一次性告知', '希望实现全程网上办理', '建议压缩审批时限', '希望公开办事指南和材料清单', '建议设立帮办代办窗口'],
  },
  public_legal_service: {
    subjects: ['公共法律服务中心', '申请法律援助', '12348法律服务热线', '法律咨询窗口', '村居法律顾问', '值班律师'],
    complaints: ['电话经常打不通', '值班律师经常不在岗', '法律援助审查太严', '咨询时解答不专业', '下班时间早找不到人', '服务点离村里太远'],
    suggestions: ['建议增加值班律师', '希望延长服务时间', '建议在乡镇设立服务点', '建议简化法律援助申请手续', '希望法律顾问定期进村坐班'],
  },
  lawyer_management: {
    subjects: ['律师事务所', '代理律师', '律师收费', '律师执业行为', '委托的律师'],
    complaints: ['收费不透明', '收了代理费不办事', '与对方当事人私下接触', '开庭迟到还不认真准备', '风险代理收费过高', '承诺包赢骗取代理费'],
    suggestions: ['建议加强律师执业监管', '希望公开投诉处理结果', '建议建立律师诚信档案', '建议规范律师收费公示', '希望严查司法掮客'],
  },
  notary_service: {
    subjects: ['公证处', '办理继承公证', '办理房产公证', '办理委托公证', '办理出生公证', '公证手续'],
    complaints: ['排队时间太长', '收费标准不清楚', '要求提供的证明太多', '出证太慢', '公证员态度冷淡', '预约电话没人接'],
    suggestions: ['建议推行预约办理', '希望开通线上公证', '建议实行最多跑一次', '希望公开收费标准', '建议增加周末服务'],
  },
  judicial_appraisal: {
    subjects: ['司法鉴定机构', '伤残等级鉴定', '亲子鉴定', '司法鉴定意见', '鉴定费用'],
    complaints: ['鉴定周期太长', '鉴定费用过高', '鉴定人不出庭作证', '鉴定结论不公正', '鉴定材料被退回好几次'],
    suggestions: ['建议公开司法鉴定收费标准', '希望加强鉴定机构监管', '建议建立鉴定质量评查制度', '建议缩短鉴定周期'],
  },
  people_mediation: {
    subjects: ['人民调解委员会', '村里的调解员', '邻里纠纷调解', '土地承包纠纷调解', '婚姻家庭纠纷调解', '物业纠纷调解'],
    complaints: ['调解员只会和稀泥', '调解协议签了没有履行', '调解员偏向一方', '反映了很久迟迟没人来调解', '调解不做记录'],
    suggestions: ['建议加强调解员培训', '希望建立调解回访制度', '建议引入专业调解员', '建议调解协议及时司法确认'],
  },
  community_correction: {
    subjects: ['社区矫正对象外出请假', '社区矫正中心报到', '矫正工作人员', '社区矫正电子定位', '社区矫正对象教育帮扶'],
    complaints: ['请假审批太慢', '每周报到耽误外出打工', '对矫正对象管理不严', '有人脱管漏管没人管', '集中教育流于形式'],
    suggestions: ['建议简化请假手续', '希望推行线上报到', '建议加强日常监管', '希望帮助矫正对象就业', '建议定期走访矫正对象家庭'],
  },
  law_enforcement_supervision: {
    subjects: ['行政执法人员', '执法检查', '行政处罚', '行政执法监督', '执法部门'],
    complaints: ['执法不规范', '选择性执法', '罚款不开票据', '执法人员态度粗暴', '多头执法重复检查'],
    suggestions: ['建议推行执法全过程记录', '希望公开执法依据和程序', '建议畅通投诉渠道', '建议开展执法案卷评查'],
  },
  administrative_reconsideration: {
    subjects: ['行政复议申请', '行政复议决定', '复议机关', '行政应诉'],
    complaints: ['复议申请迟迟不受理', '超过法定期限没有答复', '复议决定维持原决定理由不充分', '听证没有通知当事人'],
    suggestions: ['建议公开行政复议流程', '希望提高复议纠错率', '建议加强复议人员力量', '建议复议决定书写明理由'],
  },
  legal_publicity: {
    subjects: ['普法宣传', '法治讲座', '普法活动', '宪法宣传', '民法典宣传'],
    complaints: ['形式主义走过场', '宣传材料看不懂', '农村牧区很少开展', '只发传单不讲解', '讲座时间安排在农忙时节'],
    suggestions: ['建议用蒙汉双语宣传', '希望多开展以案释法', '建议利用短视频普法', '建议普法进村入户', '希望针对老年人防诈骗普法'],
  },
  team_conduct: {
    subjects: ['司法所工作人员', '窗口工作人员', '司法所所长', '干部作风', '值班人员'],
    complaints: ['上班时间玩手机', '门难进脸难看事难办', '吃拿卡要', '接受当事人吃请', '迟到早退', '推诿扯皮'],
    suggestions: ['建议严肃追责', '希望加强纪律作风教育', '建议公开监督举报电话', '建议开展明察暗访', '希望落实首问负责制'],
  },
  other: {
    subjects: ['办公场所', '门前停车', '单位网站', '办事指示牌', '无障碍设施'],
    complaints: ['停车位太少', '网站信息更新不及时', '办公地点难找', '没有无障碍通道', '饮水机常年没水'],
    suggestions: ['建议增设指示标识', '希望及时更新网站信息', '建议增加便民设施', '建议设置无障碍坡道'],
  },
};

export const CATEGORY_CODES = Object.keys(PHRASES);
/** Rough spread over the 12 categories (the account's 325 opinions lean on service and conduct). */
const CATEGORY_WEIGHTS = [8, 12, 9, 9, 5, 9, 9, 7, 5, 8, 12, 7];

const OPENERS = ['', '', '', '我是附近的居民，', '本人', '反映一个问题：', '我想提个意见：', '之前多次反映过，', '听邻居说，', '作为一名老党员，', '我是在外务工人员，'];
const TIMES = ['最近', '上个月', '今年三月', '前几天', '这段时间', '去年以来', '春节前后', ''];
const CLOSERS = ['', '', '', '谢谢！', '盼复。', '希望尽快解决。', '请领导重视。'];
/** Rare details, about one text in a thousand: the "rare word" searches find a few hundred of 1,000,000. */
export const RARE = ['那达慕', '骆驼', '羊绒', '驼奶', '敖包', '冰雹', '光伏', '风电场', '奶茶馆', '蒙古包'];

export const PLACES: string[] = (() => {
  const out: string[] = [];
  for (const c of COUNTIES) {
    out.push(c.name, `${c.name}司法局`, `${c.name}公共法律服务中心`);
    for (const o of c.offices) out.push(`${o}司法所`, `${c.name}${o}司法所`);
  }
  return out;
})();

function weighted(r: Rng, weights: number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r.next() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

export function pickCategory(r: Rng): string {
  return CATEGORY_CODES[weighted(r, CATEGORY_WEIGHTS)]!;
}

/** One opinion text of about 40–90 characters in the given category. */
export function opinionText(r: Rng, category: string): string {
  const p = PHRASES[category]!;
  const place = r.pick(PLACES);
  const subject = r.pick(p.subjects);
  let s = `${r.pick(OPENERS)}${r.pick(TIMES)}在${place}${subject}，${r.pick(p.complaints)}`;
  if (r.next() < 0.35) s += `，而且${r.pick(p.complaints)}`;
  s += `。${r.pick(p.suggestions)}`;
  if (r.next() < 0.001) s += `。另外${r.pick(RARE)}方面的问题也请关注`;
  s += `。${r.pick(CLOSERS)}`;
  return s;
}
