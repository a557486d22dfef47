import type { Ctx, Trx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import { prng } from './demo.js';
import { COUNTIES } from './reference.js';
import type { EnterpriseServiceTable, EnterpriseTable, LegalWorkstationTable, ServiceMeasureTable, ServiceMilestoneTable, ServiceProgressTable } from '../db/types-service.js';
import { MEASURE_GROUP_RANK, usccCheckChar, USCC_CHARSET, type MeasureGroup } from '../../shared/schemas/service-labels.js';

// The demo bureau's 为民服务 as the account tells it: 便民利民16条 and the “十联动” action, the ten
// measures to improve the rule-of-law business environment, 13 small/micro-enterprise legal service
// workstations and over a thousand market entities served (法治体检 among them). Deterministic; a few
// measures finished late or still open (overdue against their 2021 dates), two early credit codes that
// fail the GB 32100 check character.

type Plan = 'done' | 'late' | 'ongoing' | 'idle';
// [title, responsible unit code, due date or null (长期), plan, public]
type M = [string, string, string | null, Plan, boolean?];

const CONVENIENCE: M[] = [
  ['公共法律服务中心“一站式”窗口延时、预约服务', 'CFSJ-PUBLIC_LEGAL', '2021-06-30', 'done'],
  ['法律援助“掌上申请”“容缺受理”', 'CFSJ-PUBLIC_LEGAL', '2021-06-30', 'done'],
  ['农民工讨薪法律援助“绿色通道”', 'CFSJ-PUBLIC_LEGAL', '2021-05-31', 'done'],
  ['公证服务“最多跑一次”事项清单', 'CFSJ-PUBLIC_LEGAL', '2021-06-30', 'done'],
  ['为老年人、残疾人上门办理公证', 'CFSJ-PUBLIC_LEGAL', '2021-09-30', 'done'],
  ['司法鉴定收费公示和“一次性告知”', 'CFSJ-PUBLIC_LEGAL', '2021-06-30', 'done'],
  ['“家门口”人民调解室嘎查村（社区）全覆盖', 'CFSJ-MEDIATION', '2021-09-30', 'done'],
  ['12348公共法律服务热线全天候值守', 'CFSJ-PUBLIC_LEGAL', null, 'ongoing'],
  ['“减证便民”：清理取消证明事项', 'CFSJ-SUPERVISION', '2021-06-30', 'done'],
  ['全面推行证明事项告知承诺制', 'CFSJ-SUPERVISION', '2021-09-30', 'late'],
  ['律师参与信访接待和矛盾化解', 'CFSJ-LAWYER', '2021-09-30', 'done'],
  ['社区矫正对象“网上报到”“就近报到”', 'CFSJ-CORRECTION', '2021-06-30', 'done'],
  ['法治宣传“送法上门”进乡村、进社区', 'CFSJ-PUBLICITY', '2021-12-31', 'done'],
  ['行政复议网上申请和办理进度查询', 'CFSJ-RECONSIDERATION', '2021-06-30', 'done'],
  ['村（居）法律顾问全覆盖并公示联系方式', 'CFSJ-PUBLIC_LEGAL', '2021-12-31', 'late'],
  ['老弱病残等特殊群体法律服务“优先办”', 'CFSJ-PUBLIC_LEGAL', '2021-06-30', 'done'],
];
const TEN_LINKAGES: M[] = [
  ['公共法律服务与政务服务中心联动', 'CFSJ-PUBLIC_LEGAL', '2021-06-30', 'done'],
  ['法律援助与法院、检察院联动，刑事案件律师辩护全覆盖', 'CFSJ-PUBLIC_LEGAL', '2021-09-30', 'done'],
  ['人民调解与诉讼服务联动（诉调对接）', 'CFSJ-MEDIATION', '2021-09-30', 'done'],
  ['行政复议与行政执法监督联动', 'CFSJ-RECONSIDERATION', '2021-09-30', 'done'],
  ['公证与不动产登记联动办理', 'CFSJ-PUBLIC_LEGAL', '2021-12-31', 'late'],
  ['社区矫正与公安、民政联动帮扶', 'CFSJ-CORRECTION', '2021-12-31', 'done', false],
  ['律师调解与工商联、商会联动', 'CFSJ-LAWYER', '2021-09-30', 'done'],
  ['“谁执法谁普法”责任单位联动', 'CFSJ-PUBLICITY', null, 'idle'],
  ['司法所与派出所、人民法庭“三所联动”', 'HSQ', '2021-09-30', 'done'],
  ['法律服务与乡村振兴驻村工作队联动', 'NCX', null, 'ongoing'],
];
const BUSINESS: M[] = [
  ['建立小微企业法律服务工作站', 'CFSJ-PUBLIC_LEGAL', '2021-06-30', 'done'],
  ['开展“服务民营企业法治体检”公益法律服务', 'CFSJ-LAWYER', '2021-12-31', 'done'],
  ['建立企业矛盾纠纷调解工作机制', 'CFSJ-MEDIATION', '2021-09-30', 'done'],
  ['推行涉企轻微违法行为“首违不罚”清单', 'CFSJ-SUPERVISION', '2021-06-30', 'done'],
  ['规范涉企行政检查，推行“双随机、一公开”', 'CFSJ-SUPERVISION', '2021-09-30', 'done'],
  ['涉企行政复议案件快立、快审、快结', 'CFSJ-RECONSIDERATION', '2021-09-30', 'late'],
  ['律师服务团对接重点项目和招商引资企业', 'CFSJ-LAWYER', '2021-12-31', 'done'],
  ['清理涉企证明事项，推行告知承诺', 'CFSJ-SUPERVISION', '2021-09-30', 'done'],
  ['企业合规指导和法律风险提示', 'CFSJ-LAWYER', null, 'ongoing'],
  ['政府合同合法性审查提速增效', 'CFSJ-LEGISLATION', '2021-06-30', 'done', false],
];

const PROGRESS_NOTES = [
  '制定了实施方案，明确了责任分工和时间节点，已部署到各旗县区。',
  '各地按方案组织实施，已完成大部分工作任务，正在查漏补缺。',
  '工作任务全部完成，已形成总结报告并建立长效机制。',
];

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const WORKSTATION_HOSTS: [string, string][] = [
  ['HSQ', '红山区小微企业法律服务工作站'],
  ['HSQ-05', '红山区站前商圈小微企业法律服务工作站'],
  ['YBS', '元宝山区小微企业法律服务工作站'],
  ['SSQ', '松山区小微企业法律服务工作站'],
  ['ALK', '阿鲁科尔沁旗小微企业法律服务工作站'],
  ['BLZ', '巴林左旗小微企业法律服务工作站'],
  ['BLY', '巴林右旗小微企业法律服务工作站'],
  ['LXX', '林西县小微企业法律服务工作站'],
  ['KSK', '克什克腾旗小微企业法律服务工作站'],
  ['WNT', '翁牛特旗小微企业法律服务工作站'],
  ['KLQ', '喀喇沁旗小微企业法律服务工作站'],
  ['NCX', '宁城县小微企业法律服务工作站'],
  ['AHQ', '敖汉旗小微企业法律服务工作站'],
];

const NAME_HEADS = ['鑫源', '宏达', '恒信', '盛安', '瑞丰', '金桥', '华兴', '兴隆', '富民', '德润', '永盛', '泰和', '广源', '天成', '众诚', '惠农', '草原', '北方', '红山', '蒙东'];
const NAME_TRADES: [string, string][] = [
  ['商贸有限公司', '批发和零售业'], ['建筑工程有限公司', '建筑业'], ['农牧业科技有限公司', '农、林、牧、渔业'], ['餐饮管理有限公司', '住宿和餐饮业'],
  ['物流有限公司', '交通运输业'], ['食品有限公司', '制造业'], ['信息技术有限公司', '信息技术服务业'], ['汽车服务有限公司', '居民服务业'],
  ['矿业有限责任公司', '采矿业'], ['文化传媒有限公司', '文化、体育和娱乐业'],
];
const FINDINGS: [string, string][] = [
  ['合同管理', '合同文本未约定违约责任和争议解决方式，履约风险较大。'],
  ['劳动用工', '部分员工未签订书面劳动合同，未依法缴纳社会保险。'],
  ['公司治理', '股东会、董事会决议记录不完整，章程未随股权变动修改。'],
  ['知识产权', '自有商标未注册，存在被抢注风险。'],
  ['安全生产', '安全生产责任制未落实到岗位，应急预案未演练。'],
  ['税务财务', '发票管理不规范，存在虚开风险提示。'],
];
const SUMMARIES: Record<string, string> = {
  health_check: '律师上门开展法治体检，查阅了章程、合同和用工台账，当面反馈体检意见。',
  visit: '走访企业了解生产经营中的法律需求，宣讲了优化营商环境政策。',
  consultation: '解答企业关于合同纠纷和债权追收的法律咨询。',
  training: '为企业管理人员和员工开展劳动法、合同法专题培训。',
  mediation: '调解企业与供应商之间的货款纠纷，双方达成分期付款协议。',
  contract_review: '审查企业购销合同和租赁合同，提出修改意见。',
};

export async function seedDemoService(trx: Trx, _ctx: Ctx, now: string): Promise<Record<string, unknown>> {
  const r = prng(20210610);
  const units = await trx.selectFrom('org_unit').select(['id', 'code', 'kind', 'parent_id']).execute();
  const unitByCode = new Map(units.filter((u) => u.code).map((u) => [u.code!, u]));
  const people = await trx.selectFrom('person').select(['id', 'org_unit_id']).where('status', '=', 'active').orderBy('sort_key').orderBy('name').orderBy('id').execute();
  const peopleOf = new Map<string, string[]>();
  for (const p of people) peopleOf.set(p.org_unit_id, [...(peopleOf.get(p.org_unit_id) ?? []), p.id]);

  // ---- measures, their milestones and progress history
  const measures: ServiceMeasureTable[] = [];
  const milestones: ServiceMilestoneTable[] = [];
  const reports: ServiceProgressTable[] = [];
  const add = (group: MeasureGroup, list: M[], start: string) => {
    list.forEach(([title, unitCode, due, plan, isPublic = true], i) => {
      const unit = unitByCode.get(unitCode)!;
      const id = newId();
      const begin = addDays(start, i * 2);
      const end = due ?? '2021-12-31';
      const steps = [
        { title: '制定实施方案、明确责任分工', due: addDays(begin, 14) },
        { title: '组织实施、督促推进', due: addDays(begin, Math.max(30, Math.floor((Date.parse(end) - Date.parse(begin)) / 172_800_000))) },
        { title: '总结评估、建立长效机制', due: end },
      ];
      const reached = plan === 'done' ? 3 : plan === 'late' ? 2 : plan === 'ongoing' ? 1 : 0;
      const path = plan === 'done' ? [30, 70, 100] : plan === 'late' ? [30, 60 + (i % 3) * 10] : plan === 'ongoing' ? [20, 50] : [];
      steps.forEach((s, k) => {
        milestones.push({
          id: newId(), measure_id: id, seq: k + 1, title: s.title, due_date: s.due, done_on: k < reached ? addDays(s.due, -((i + k) % 5)) : null, created_at: now, updated_at: now,
        });
      });
      path.forEach((percent, k) => {
        const on = k === path.length - 1 && plan === 'done' ? addDays(end, -((i % 4) + 1)) : addDays(begin, 20 + k * 35);
        reports.push({
          id: newId(), measure_id: id, reported_on: on, percent, note: PROGRESS_NOTES[Math.min(k, 2)]!, evidence_count: 0, created_by: null,
          created_at: `${on}T02:00:00.000Z`,
        });
      });
      const progress = path.length ? path[path.length - 1]! : 0;
      measures.push({
        id, grp: group, grp_rank: MEASURE_GROUP_RANK[group], number: i + 1, title, description: `${title}。责任单位牵头，各旗县区司法局配合，按节点推进并报送进展和佐证材料。`,
        org_unit_id: unit.id, owner_person_id: peopleOf.get(unit.id)?.[0] ?? null, campaign_id: 'campaign-1', start_date: begin, due_date: due,
        is_public: isPublic ? 1 : 0, progress, done_on: progress >= 100 ? reports[reports.length - 1]!.reported_on : null, created_by: null, created_at: now, updated_at: now,
      });
    });
  };
  add('convenience', CONVENIENCE, '2021-04-06');
  add('ten_linkages', TEN_LINKAGES, '2021-04-12');
  add('business_environment', BUSINESS, '2021-04-20');
  for (let i = 0; i < measures.length; i += 200) await trx.insertInto('service_measure').values(measures.slice(i, i + 200)).execute();
  for (let i = 0; i < milestones.length; i += 200) await trx.insertInto('service_milestone').values(milestones.slice(i, i + 200)).execute();
  for (let i = 0; i < reports.length; i += 200) await trx.insertInto('service_progress').values(reports.slice(i, i + 200)).execute();

  // ---- 13 workstations
  const stations: LegalWorkstationTable[] = WORKSTATION_HOSTS.map(([code, name], i) => {
    const host = unitByCode.get(code)!;
    return {
      id: newId(), name, org_unit_id: host.id, address: `${name.replace(/小微企业法律服务工作站$/, '')}公共法律服务中心${i % 2 ? '二楼' : '一楼'}`,
      contact: `0476-${String(8_200_000 + i * 1_717).slice(0, 7)}`, staff_on_duty: '值班律师 2 名（每周二、四），司法所工作人员 1 名', opened_on: addDays('2021-05-10', i), created_at: now, updated_at: now,
    };
  });
  await trx.insertInto('legal_workstation').values(stations).execute();

  // ---- enterprises: ~1,050 in the counties, codes with valid check characters, two early ones without
  const countyUnits = COUNTIES.map((c) => ({ unit: unitByCode.get(c.code)!, division: c.division, code: c.code }));
  const stationsOf = new Map<string, LegalWorkstationTable[]>();
  for (const s of stations) {
    const u = units.find((x) => x.id === s.org_unit_id)!;
    const county = u.kind === 'county_bureau' ? u.id : u.parent_id!;
    stationsOf.set(county, [...(stationsOf.get(county) ?? []), s]);
  }
  const enterprises: EnterpriseTable[] = [];
  const codes = new Set<string>();
  const TOTAL = 1053;
  for (let i = 0; i < TOTAL; i++) {
    const c = countyUnits[i % countyUnits.length]!;
    const individual = r.next() < 0.15;
    let body = '';
    for (let k = 0; k < 9; k++) body += USCC_CHARSET[r.int(0, k < 8 ? 30 : 9)];
    const first17 = `9${individual ? 2 : 1}${c.division}${body}`;
    let code = first17 + usccCheckChar(first17);
    let warning = 0;
    if (i === 17 || i === 518) {
      // An early code whose check character fails: kept, with a warning.
      const right = usccCheckChar(first17);
      code = first17 + USCC_CHARSET[(USCC_CHARSET.indexOf(right) + 7) % 31];
      warning = 1;
    }
    if (codes.has(code)) continue;
    codes.add(code);
    const [trade, industry] = r.pick(NAME_TRADES);
    const place = COUNTIES.find((x) => x.code === c.code)!.name.replace(/(区|旗|县)$/, '');
    const name = individual ? `${place}${r.pick(NAME_HEADS)}${industry.slice(0, 2)}经营部（个体工商户）` : `赤峰${place}${r.pick(NAME_HEADS)}${trade}`;
    enterprises.push({
      id: newId(), code, code_warning: warning, name, kind: individual ? 'individual' : r.next() < 0.6 ? 'small_micro' : 'private',
      org_unit_id: c.unit.id, industry, legal_rep: null, created_at: now, updated_at: now,
    });
  }
  for (let i = 0; i < enterprises.length; i += 200) await trx.insertInto('enterprise').values(enterprises.slice(i, i + 200)).execute();

  // ---- services: all but ~2 % served, 法治体检 for about 40 %, some served twice
  const records: EnterpriseServiceTable[] = [];
  const kinds = ['visit', 'consultation', 'training', 'mediation', 'contract_review'];
  enterprises.forEach((e, i) => {
    if (i % 50 === 49) return;
    const options = stationsOf.get(e.org_unit_id)!;
    const times = i % 4 === 0 ? 2 : 1;
    for (let t = 0; t < times; t++) {
      const ws = options[(i + t) % options.length]!;
      const host = ws.org_unit_id;
      const staffPool = peopleOf.get(host) ?? [];
      const kind = t === 0 && i % 5 < 2 ? 'health_check' : kinds[(i + t) % kinds.length]!;
      const servedOn = addDays('2021-06-01', r.int(0, 180));
      const findings =
        kind === 'health_check'
          ? Array.from({ length: r.int(1, 3) }, (_, k) => {
              const [area, finding] = FINDINGS[(i + k) % FINDINGS.length]!;
              return { area, risk: (['high', 'medium', 'low'] as const)[(i + k) % 3], finding };
            })
          : null;
      records.push({
        id: newId(), kind, enterprise_id: e.id, workstation_id: ws.id, org_unit_id: host, county_unit_id: e.org_unit_id, served_on: servedOn,
        staff_person_ids: JSON.stringify(staffPool.length ? [staffPool[(i + t) % staffPool.length]!] : []), summary: SUMMARIES[kind]!,
        findings: findings ? JSON.stringify(findings) : null,
        recommendations: findings ? '建议完善合同管理和劳动用工制度，定期开展法律风险自查，重大决策前听取法律顾问意见。' : null,
        follow_up_status: findings ? (i % 3 === 0 ? 'pending' : 'done') : 'none', follow_up: findings && i % 3 !== 0 ? '已回访，企业已按建议整改。' : null,
        created_by: null, created_at: `${servedOn}T03:00:00.000Z`, updated_at: `${servedOn}T03:00:00.000Z`,
      });
    }
  });
  for (let i = 0; i < records.length; i += 200) await trx.insertInto('enterprise_service').values(records.slice(i, i + 200)).execute();

  return {
    serviceMeasures: measures.length,
    legalWorkstations: stations.length,
    enterprises: enterprises.length,
    enterprisesServed: new Set(records.map((x) => x.enterprise_id)).size,
    enterpriseServices: records.length,
  };
}
