import type { Ctx, Trx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import { addWorkdays, loadCalendar } from '../platform/workdays.js';
import { shanghaiDate } from '../platform/time.js';
import { addEvent, insertOpinion } from '../modules/opinions/commands.js';
import type { Channel } from '../../shared/schemas/opinions.js';
import { COUNTIES } from './reference.js';
import { prng } from './demo.js';

// The demo campaign's 开门纳谏: 325 opinions in the 12 categories from every channel, as the account
// reports ("12大类325条"), 8 of the symposium's opinions taken into the rectification ledger, most
// answered and many rated. Texts are synthetic, built from phrases a bureau really hears.

export const DEMO_OPINIONS = 325;

/** Category → [count, city department handling it, subjects, requests]. Counts add up to 325. */
const CATEGORIES: Record<string, [number, string, string[], string[]]> = {
  public_legal_service: [48, 'CFSJ-PUBLIC_LEGAL', [
    '公共法律服务中心窗口排队时间长', '法律援助申请材料要求多', '12348热线经常占线打不通', '村里的法律顾问一年见不到几次',
    '公共法律服务站下班太早', '法律援助律师办案不够上心', '农民工讨薪找法律援助等了很久', '线上法律咨询回复慢',
  ], ['希望增加窗口和值班律师', '建议简化法律援助审查流程', '建议延长服务时间、周末也能办理', '希望法律顾问定期到村坐班', '希望线上咨询当天回复']],
  approval_service: [36, 'CFSJ-OFFICE', [
    '办理行政许可要跑好几趟', '审批事项的办事指南写得不清楚', '网上办事大厅经常登录不上', '申请材料重复提交',
    '审批时限太长', '窗口工作人员对政策解释不一致',
  ], ['建议实行一次性告知和容缺受理', '希望公开审批进度可以随时查询', '建议推行证明事项告知承诺制', '希望压缩审批时限', '建议统一办事标准']],
  notary_service: [30, 'CFSJ-PUBLIC_LEGAL', [
    '公证处办理继承公证要求的证明太多', '公证收费标准不透明', '办公证需要本人多次到场', '公证书出证时间太长',
    '老年人办理公证不方便', '公证员对当事人态度生硬',
  ], ['希望开通网上预约和在线申办', '建议公示收费标准', '希望为老年人提供上门服务', '建议减少证明材料', '希望缩短出证时间']],
  people_mediation: [32, 'CFSJ-MEDIATION', [
    '邻里纠纷找调解委员会没人管', '土地承包纠纷调解了几次都没结果', '婚姻家庭矛盾调解员水平不够', '物业纠纷调解不及时',
    '调解协议达成后对方不履行', '嘎查村调解员补贴低积极性不高',
  ], ['希望调解员及时上门', '建议引导当事人申请司法确认', '希望加强调解员业务培训', '建议提高调解员待遇', '希望联合相关部门一起调解']],
  community_correction: [28, 'CFSJ-CORRECTION', [
    '社区矫正对象请假审批手续繁琐', '矫正对象报到时间和工作冲突', '社区矫正工作人员力量不足', '对矫正对象的教育帮扶流于形式',
    '矫正对象外出管理存在漏洞', '电子定位监管不到位',
  ], ['建议推行线上报到和请假', '希望合理安排报到时间', '建议充实社区矫正专职力量', '希望加强就业帮扶', '建议严格外出审批防止脱管漏管']],
  lawyer_management: [26, 'CFSJ-LAWYER', [
    '个别律师收费过高且不开发票', '律师承诺包赢案件', '律师与当事人失联不回电话', '律师事务所宣传不实',
    '有律师打着关系旗号揽案', '投诉律师后一直没有结果',
  ], ['建议加强律师执业监管', '希望公开投诉处理结果', '建议严查律师充当司法掮客', '希望规范律师收费', '建议建立律师诚信档案']],
  law_enforcement_supervision: [22, 'CFSJ-SUPERVISION', [
    '行政执法人员执法不亮证', '罚款标准不统一', '执法过程没有全程记录', '执法人员态度粗暴',
    '多头执法重复检查企业', '执法结果不公示',
  ], ['建议落实行政执法三项制度', '希望统一裁量基准', '建议推行执法全过程记录', '希望减少对企业的重复检查', '建议公开执法结果']],
  administrative_reconsideration: [20, 'CFSJ-RECONSIDERATION', [
    '申请行政复议不知道去哪里交材料', '复议决定超过期限', '复议听证通知太晚', '复议案件审理不公开',
    '对复议结果不服不知道怎么办',
  ], ['希望畅通行政复议申请渠道', '建议开通网上复议申请', '希望严格遵守复议期限', '建议公开复议决定书', '希望告知后续救济途径']],
  legal_publicity: [25, 'CFSJ-PUBLICITY', [
    '普法宣传形式单一', '普法活动进村次数少', '法律明白人培训走过场', '普法资料都是汉文牧民看不懂',
    '青少年法治教育不够', '普法宣传只在宣传日搞一次',
  ], ['希望用短视频和广播普法', '建议开展蒙汉双语普法', '希望普法进学校进牧区', '建议常态化开展普法', '希望培养更多法律明白人']],
  judicial_appraisal: [14, 'CFSJ-PUBLIC_LEGAL', [
    '司法鉴定周期太长', '鉴定费用偏高', '鉴定机构名单不清楚', '对鉴定意见有异议不知道如何处理',
  ], ['希望缩短鉴定周期', '建议公开鉴定收费和机构名录', '希望加强对鉴定机构的监管', '建议告知重新鉴定的程序']],
  team_conduct: [30, 'CFSJ-PERSONNEL', [
    '个别工作人员上班时间玩手机', '司法所工作人员经常不在岗', '窗口人员说话冷硬', '办事要托关系找熟人',
    '个别干部吃拿卡要', '工作人员推诿扯皮',
  ], ['希望加强作风建设和纪律监督', '建议公开监督举报电话', '希望建立首问负责制', '建议严肃查处违纪问题', '希望开展群众满意度评价']],
  other: [14, 'CFSJ-OFFICE', [
    '司法局网站信息更新慢', '办公地点偏远公交不便', '停车位太少', '办事大厅没有无障碍设施',
  ], ['希望及时更新网站信息', '建议增设便民服务点', '希望增加停车位', '建议完善无障碍设施']],
};

const CHANNEL_COUNTS: [Channel, number][] = [
  ['portal', 60], ['wechat', 70], ['mini_program', 55], ['questionnaire', 30], ['window_card', 40],
  ['suggestion_box', 20], ['symposium', 20], ['field_visit', 20], ['hotline', 10],
];

const SURNAMES = '王李张刘杨赵陈孙马高于郭吴徐周何胡朱';
const GIVEN = '桂兰秀英志强建华玉珍海军淑芬国庆丽娟宝山';

const ASIDES = [
  '工作人员态度也需要改进', '希望相关部门重视', '这个问题反映过好几次了', '网上也查不到相关信息', '希望公开办理结果',
  '建议听取群众意见', '老百姓办事不容易',
];

const REPLIES = [
  '感谢您的意见建议。经核实，我局已{fix}，并将持续跟踪落实情况。',
  '您反映的问题已收悉。我局高度重视，已{fix}。欢迎继续监督。',
  '经研究，已{fix}，相关做法已纳入常态化工作机制。',
];
const FIXES = [
  '增加窗口人员并实行预约办理', '简化办事材料并公开办事指南', '约谈相关工作人员并通报整改', '开通线上办理渠道',
  '组织专项培训并完善考核', '建立定期走访制度', '公开收费标准和投诉渠道', '协调相关部门联合处理',
];

export async function seedDemoOpinions(trx: Trx, ctx: Ctx, now: string, seed = 20210415) {
  const r = prng(seed);
  const nowMs = new Date(now).getTime();
  const calendar = await loadCalendar(trx);
  const units = await trx.selectFrom('org_unit').select(['id', 'code', 'name']).execute();
  const unitByCode = new Map(units.map((u) => [u.code, u]));
  const offices = units.filter((u) => /^[A-Z]{3}-\d{2}$/.test(u.code));

  // Deal out channels and categories, then shuffle so each channel carries a mix of categories.
  const channels: Channel[] = CHANNEL_COUNTS.flatMap(([c, n]) => Array<Channel>(n).fill(c));
  const categories = Object.entries(CATEGORIES).flatMap(([c, [n]]) => Array<string>(n).fill(c));
  for (let i = categories.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [categories[i], categories[j]] = [categories[j]!, categories[i]!];
  }

  // A symposium where the account's 8 ledger items were raised.
  const city = unitByCode.get('CFSJ')!;
  const symposiumId = newId();
  await trx
    .insertInto('symposium')
    .values({
      id: symposiumId, campaign_id: 'campaign-1', title: '“开门纳谏”座谈会', held_on: '2021-04-16', host: '赤峰市司法局党组',
      location: '赤峰市司法局三楼会议室', org_unit_id: city.id,
      summary: '主动公开本部门要整治的顽瘴痼疾和主要措施，听取人大代表、政协委员、律师、企业和群众代表意见建议。',
      created_by: null, created_at: now, updated_at: now,
    })
    .execute();
  const reps: [string, string][] = [
    ['市人大代表', '赤峰市人大常委会'], ['市政协委员', '赤峰市政协'], ['律师代表', '内蒙古某律师事务所'],
    ['企业代表', '赤峰某民营企业'], ['群众代表', '红山区某社区'], ['人民调解员代表', '松山区某嘎查'],
  ];
  for (const [i, [role, org]] of reps.entries()) {
    await trx
      .insertInto('symposium_attendee')
      .values({ id: newId(), symposium_id: symposiumId, kind: 'external', person_id: null, name: `${r.pick([...SURNAMES])}${r.pick([...GIVEN])}（${role}）`, organization: org })
      .execute();
    void i;
  }

  const historicStart = Date.parse('2021-03-08T01:00:00Z');
  const historicSpan = Date.parse('2021-07-10T01:00:00Z') - historicStart;
  let adoptedFromSymposium = 0;
  let made = 0;
  for (let i = 0; i < DEMO_OPINIONS; i++) {
    const category = categories[i]!;
    const channel = channels[i]!;
    const [, dept, subjects, requests] = CATEGORIES[category]!;
    const county = r.next() < 0.6 ? r.pick(COUNTIES) : null;
    const office = county && r.next() < 0.4 ? offices.filter((o) => o.code.startsWith(`${county.code}-`)) : [];
    const place = office.length ? r.pick(office).name : county ? `${county.name}` : r.next() < 0.5 ? '市里' : '';
    // Real opinions wander: a fifth ask for something from another field, some add a word on attitude.
    const other = CATEGORIES[r.pick(Object.keys(CATEGORIES))]!;
    const request = r.next() < 0.2 ? r.pick(other[3]) : r.pick(requests);
    const aside = r.next() < 0.15 ? `，${r.pick(ASIDES)}` : '';
    const content = `${place ? `${place}` : ''}${r.pick(subjects)}，${request}${aside}${r.next() < 0.3 ? '，让群众少跑腿' : ''}。`;
    const named = ['window_card', 'field_visit', 'symposium', 'hotline'].includes(channel) ? r.next() < 0.6 : r.next() < 0.15;
    // 25 recent opinions keep the workbench alive; the rest tell the first campaign's story.
    const atSymposium = channel === 'symposium';
    const recent = i >= DEMO_OPINIONS - 25 && !atSymposium;
    const submittedMs = atSymposium
      ? Date.parse('2021-04-16T02:30:00Z')
      : recent
        ? nowMs - r.int(1, 20) * 86_400_000 - r.int(0, 36_000) * 1000
        : historicStart + Math.floor(r.next() * historicSpan);
    const submittedAt = new Date(submittedMs).toISOString();
    const created = await insertOpinion(trx, ctx, {
      channel,
      category,
      content,
      identity: named ? 'named' : 'anonymous',
      name: named ? `${r.pick([...SURNAMES])}${r.pick([...GIVEN])}${r.pick([...GIVEN])}` : null,
      phone: named ? `1${r.pick(['3', '5', '8'])}${r.int(0, 9)}${String(r.int(0, 99999999)).padStart(8, '0')}` : null,
      wantsContact: named && r.next() < 0.5,
      campaignId: 'campaign-1',
      symposiumId: channel === 'symposium' ? symposiumId : null,
      submittedAt,
    });
    made++;
    const handlingUnit = county ? unitByCode.get(county.code)! : unitByCode.get(dept)!;
    const roll = r.next();
    if (recent && roll < 0.45) continue; // still waiting for triage
    // Nothing may happen after the seeding time: a recent opinion submitted a day ago cannot have
    // been assigned three days after it (that put updated_at, and Open311's updated_datetime, in the future).
    const assignedMs = Math.min(submittedMs + r.int(1, 3) * 86_400_000, submittedMs + Math.floor((nowMs - submittedMs) / 2));
    const assignedAt = new Date(assignedMs).toISOString();
    // 整顿办 sorted every opinion it went on to handle: these confirmed categories are what the
    // category suggestion learns from (suggest.ts); the untriaged recent ones keep only the submitter's.
    await addEvent(trx, assignedAt, { opinion_id: created.id, kind: 'categorized', public: 0, public_text: null, actor_id: null, detail: { category } });
    const workdays = r.pick([5, 5, 7, 10]);
    const deadline = addWorkdays(assignedAt, workdays, calendar);
    if (!recent && !atSymposium && roll < 0.03) {
      await trx.updateTable('opinion').set({ status: 'rejected', reject_reason: '不属于司法行政职责范围，已告知向有关部门反映', updated_at: assignedAt }).where('id', '=', created.id).execute();
      await addEvent(trx, assignedAt, { opinion_id: created.id, kind: 'rejected', public: 1, public_text: '不予受理：不属于司法行政职责范围，已告知向有关部门反映', actor_id: null });
      continue;
    }
    await trx
      .updateTable('opinion')
      .set({ status: 'assigned', assigned_unit_id: handlingUnit.id, assigned_at: assignedAt, deadline_at: deadline, updated_at: assignedAt })
      .where('id', '=', created.id)
      .execute();
    await addEvent(trx, assignedAt, {
      opinion_id: created.id, kind: 'assigned', public: 1, actor_id: null,
      public_text: `已转交${handlingUnit.name}办理，将于${shanghaiDate(new Date(deadline))}前答复`,
      detail: { unitId: handlingUnit.id, workdays },
    });
    if (recent) continue;
    // About one in twelve answered after the deadline, so the on-time rate means something.
    const late = r.next() < 0.08;
    const repliedMs = Math.min(
      late ? new Date(deadline).getTime() + r.int(1, 5) * 86_400_000 : assignedMs + r.int(1, Math.max(1, workdays - 1)) * 86_400_000,
      assignedMs + Math.floor((nowMs - assignedMs) / 2),
    );
    const repliedAt = new Date(repliedMs).toISOString();
    const reply = r.pick(REPLIES).replace('{fix}', r.pick(FIXES));
    const rated = r.next() < 0.6;
    const score = rated ? (r.next() < 0.8 ? r.pick([5, 5, 5, 4, 4]) : r.pick([3, 3, 2, 1])) : null;
    await trx
      .updateTable('opinion')
      .set({
        status: 'replied', reply_text: reply, replied_at: repliedAt, updated_at: repliedAt,
        rating: score, rating_comment: score ? (score >= 4 ? r.pick(['满意，办理及时', '问题解决了，谢谢', '态度很好']) : r.pick(['还需要改进', '答复比较笼统'])) : null,
        rated_at: score ? new Date(Math.min(repliedMs + r.int(1, 5) * 86_400_000, nowMs)).toISOString() : null,
      })
      .where('id', '=', created.id)
      .execute();
    await addEvent(trx, repliedAt, { opinion_id: created.id, kind: 'replied', public: 1, public_text: '已答复，欢迎您对办理结果进行评价', actor_id: null });
    if (score) {
      await addEvent(trx, new Date(Math.min(repliedMs + 86_400_000, nowMs)).toISOString(), { opinion_id: created.id, kind: 'rated', public: 1, public_text: `群众评价：${score} 星`, actor_id: null });
    }
    if (channel === 'symposium' && adoptedFromSymposium < 8) {
      adoptedFromSymposium++;
      const title = `${CATEGORY_TITLES[category] ?? '专项'}整治：${content.slice(0, 18).replace(/[，。]$/, '')}`;
      await trx
        .insertInto('opinion_adoption')
        .values({
          id: newId(), opinion_id: created.id, target: 'ledger', target_ref: null, title, note: '开门纳谏座谈会意见，纳入顽瘴痼疾整治台账',
          status: 'pending', created_by: null, created_at: assignedAt, updated_at: assignedAt,
        })
        .execute();
      await addEvent(trx, assignedAt, { opinion_id: created.id, kind: 'adopted', public: 1, public_text: `已纳入整治台账：${title}`, actor_id: null });
    }
  }
  return { opinions: made, adoptedIntoLedger: adoptedFromSymposium, symposiumId };
}

const CATEGORY_TITLES: Record<string, string> = {
  public_legal_service: '公共法律服务', approval_service: '审批服务', notary_service: '公证服务', people_mediation: '人民调解',
  community_correction: '社区矫正', lawyer_management: '律师管理', law_enforcement_supervision: '行政执法监督',
  administrative_reconsideration: '行政复议', legal_publicity: '普法', judicial_appraisal: '司法鉴定', team_conduct: '队伍作风',
  other: '便民服务',
};
