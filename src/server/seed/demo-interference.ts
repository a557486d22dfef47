import type { Ctx, Trx } from '../platform/context.js';
import { sm3 } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { shanghaiDate } from '../platform/time.js';
import { sql } from 'kysely';
import type { InterferenceRecordTable, PolicyVersionTable, ZeroReportTable } from '../db/types-interference.js';
import { zeroReportContent } from '../modules/interference/commands.js';
import { ZERO_REPORT_STATEMENT, periodOfDate, periodRange } from '../../shared/schemas/interference.js';
import { prng } from './demo.js';

// The demo bureau's 建章立制: “三个规定” records of about forty officers over the quarters of 2021 (a few
// naming county bureau chiefs, most outside persons: lawyers, parties' relatives, acquaintances), 零报告
// from most other serving officers for 2021's second quarter and for the quarter the demo
// starts in (coverage near, never at, 100 %; the demo `officer` has not reported for the current quarter
// yet), and the bureau's rules — among them 《社区矫正工作规范》 and the “三个规定” 记录报告制度 itself —
// with one or two versions and acknowledgements from most people (the demo `officer` has one left to
// acknowledge). Deterministic, bulk inserts.

const OUTSIDERS: [name: string, post: string, relation: string][] = [
  ['张某', '某律师事务所律师', 'lawyer'], ['李某', '社区矫正对象亲属', 'party'], ['王某', '个体工商户', 'friend'], ['赵某', '某法律咨询公司经理', 'intermediary'],
  ['刘某', '当事人之子', 'party'], ['陈某', '某律师事务所律师', 'lawyer'], ['杨某', '某乡镇干部', 'friend'], ['周某', '当事人配偶', 'party'],
  ['吴某', '本人表兄', 'relative'], ['孙某', '某公司法务', 'other'],
];
const CASES = [
  '（2021）赤司矫字第{n}号社区矫正对象请假外出审批', '某村土地承包经营权纠纷人民调解', '（2021）赤司复字第{n}号行政复议案件', '社区矫正对象刘某某违规情形调查',
  '某建筑公司劳务费纠纷调解', '法律援助申请审查（受援人周某某）', '（2021）赤司矫字第{n}号社区矫正对象变更执行地审批', '某律师执业投诉调查',
];
const REQUESTS = [
  '请求对社区矫正对象的违规情形“从轻处理”，不要提请撤销缓刑。', '打听调解方案和对方当事人的底线，希望提前告知。', '希望在行政复议审查中“关照一下”，尽快作出有利决定。',
  '转交当事人自行整理的材料，请求附卷并优先考虑。', '约请吃饭，表示“有事想当面聊聊”，被拒绝后仍多次电话联系。', '询问案件进展，并暗示与领导熟悉。',
];
const MANNER_SETS = [['pleading'], ['fishing'], ['pleading', 'private_meeting'], ['passing_materials'], ['fishing', 'pleading'], ['private_meeting'], ['other']];
const HANDLINGS = ['refused', 'refused', 'explained', 'reported', 'refused', 'other'];

interface PolicyPlan {
  title: string;
  docNo: string;
  category: string;
  issuer: 'city' | 'HSQ';
  versions: [effectiveOn: string, note: string | null][];
  body: string;
}

const POLICIES: PolicyPlan[] = [
  {
    title: '社区矫正工作规范', docNo: '赤司发〔2021〕18号', category: 'correction', issuer: 'city',
    versions: [['2019-12-01', null], ['2021-06-01', '依据《中华人民共和国社区矫正法》及教育整顿查纠整改中发现的脱管漏管问题，修订报到、请假外出、电子定位核查和档案管理规定。']],
    body: '第一章 总则\n第一条 为规范社区矫正工作，依据《中华人民共和国社区矫正法》及其实施办法，结合本市实际，制定本规范。\n第二章 接收与报到\n第五条 社区矫正对象应当自判决、裁定生效之日起十日内到执行地县级社区矫正机构报到……\n第三章 监督管理\n第十二条 司法所每周核查电子定位轨迹，发现异常的，应当当日核实并报告。',
  },
  {
    title: '赤峰市司法行政系统关于建立违反“三个规定”干预司法办案等重大事项记录报告制度的实施办法', docNo: '赤司发〔2021〕25号', category: 'enforcement', issuer: 'city',
    versions: [['2021-06-15', null]],
    body: '第一条 为贯彻防止干预司法“三个规定”，建立重大事项记录报告制度，制定本办法。\n第四条 干警对领导干部干预司法活动、插手具体案件处理，司法机关内部人员过问案件，以及与当事人、律师、特殊关系人、中介组织不正当接触交往的情况，应当全面、如实、及时记录报告。\n第六条 实行季度报告制度，本季度无上述情况的，应当进行零报告。',
  },
  {
    title: '赤峰市司法行政干警八小时以外行为规范', docNo: '赤司发〔2021〕20号', category: 'team', issuer: 'city',
    versions: [['2021-05-20', null]],
    body: '第一条 干警在八小时以外应当遵守法律法规和纪律规定，慎独慎微，严格规范社会交往。\n第三条 不得与社区矫正对象、案件当事人及其代理人进行不正当交往。',
  },
  {
    title: '行政执法案卷评查办法', docNo: '赤司发〔2020〕9号', category: 'enforcement', issuer: 'city',
    versions: [['2020-04-01', null], ['2021-07-01', '增加行政复议案件、公证执业案卷评查内容，评查结果纳入年度考核。']],
    body: '第一条 为提高行政执法质量，规范案卷评查工作，制定本办法。\n第五条 案卷评查每年开展一次，采取交叉评查方式。',
  },
  {
    title: '党风廉政建设责任制实施办法', docNo: '赤司党发〔2021〕3号', category: 'integrity', issuer: 'city',
    versions: [['2021-03-10', null]],
    body: '第一条 为落实全面从严治党主体责任，推进党风廉政建设，制定本办法。\n第四条 各单位主要负责人是本单位党风廉政建设第一责任人。',
  },
  {
    title: '公共法律服务工作站建设标准', docNo: '赤司发〔2021〕31号', category: 'service', issuer: 'city',
    versions: [['2021-08-01', null]],
    body: '第一条 为推进公共法律服务实体平台标准化建设，制定本标准。\n第三条 工作站应当设置法律咨询、人民调解、法律援助申请受理等服务窗口。',
  },
  {
    title: '红山区司法所规范化建设标准', docNo: '红司发〔2021〕7号', category: 'team', issuer: 'HSQ',
    versions: [['2021-05-01', null]],
    body: '第一条 为推进司法所规范化建设，结合红山区实际，制定本标准。\n第二条 司法所应当做到机构设置规范、队伍建设规范、业务工作规范、基础设施规范。',
  },
];

async function chunks<T>(rows: T[], size: number, insert: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function seedDemoInterference(trx: Trx, ctx: Ctx, now: string): Promise<Record<string, unknown>> {
  const r = prng(20210615);
  const people = await trx
    .selectFrom('person')
    .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
    .select(['person.id', 'person.name', 'person.org_unit_id', 'person.post', 'person.sort_key', 'org_unit.code', 'org_unit.kind', 'org_unit.name as unit_name'])
    .where('person.status', '=', 'active')
    .orderBy('person.sort_key')
    .orderBy('person.name')
    .orderBy('person.id')
    .execute();
  // The demo accounts' people (demo.ts: each unit's first person has the unit head's post).
  const officer = people.find((p) => p.code === 'HSQ-01' && p.post === 'office_director');
  const office = people.find((p) => p.code === 'CFSJ-PERSONNEL' && p.post === 'section_chief');
  const chiefs = people.filter((p) => p.kind === 'county_bureau' && p.post === 'bureau_chief' && p.code !== 'HSQ');

  // ---- records: about forty officers over 2021's quarters
  const eligible = people.filter((p) => p.id !== office?.id && p.post !== 'bureau_chief');
  const recorders = Array.from({ length: 40 }, (_, i) => eligible[(i * 97 + 13) % eligible.length]!).filter((p, i, a) => a.indexOf(p) === i);
  if (officer && !recorders.includes(officer)) recorders.push(officer);
  const records: InterferenceRecordTable[] = [];
  const perDay = new Map<string, number>();
  const recordedIn = new Set<string>(); // person|period
  recorders.forEach((p, i) => {
    const count = i % 7 === 0 ? 2 : 1;
    for (let k = 0; k < count; k++) {
      // The demo officer's one record is in the third quarter; the others spread over the year.
      const month = p === officer ? 8 : r.int(1, 11);
      const day = r.int(1, 28);
      const date = `2021-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const at = new Date(`${date}T${String(r.int(8, 18)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:00+08:00`);
      const internal = i % 10 === 3 && chiefs.length > 0;
      const chief = internal ? chiefs[i % chiefs.length]! : null;
      const outsider = OUTSIDERS[(i + k) % OUTSIDERS.length]!;
      const intervener = chief
        ? { personId: chief.id, name: chief.name, unitName: chief.unit_name, post: '局长', relation: 'superior' }
        : { personId: null, name: outsider[0], unitName: null, post: outsider[1], relation: outsider[2] };
      const category = chief ? 'leader' : outsider[2] === 'lawyer' || outsider[2] === 'party' || outsider[2] === 'intermediary' ? 'contact' : i % 3 === 0 ? 'internal' : 'contact';
      const n = (perDay.get(date) ?? 0) + 1;
      perDay.set(date, n);
      const period = periodOfDate(date);
      recordedIn.add(`${p.id}|${period}`);
      records.push({
        id: newId(), record_no: `SG${date.replaceAll('-', '')}${String(n).padStart(4, '0')}`, recorder_person_id: p.id, org_unit_id: p.org_unit_id, period,
        category: category as InterferenceRecordTable['category'], intervener_kind: chief ? 'internal' : 'external',
        intervener_index: chief ? ctx.cipher.blindIndex(chief.id) : null, intervener_enc: ctx.cipher.seal(JSON.stringify(intervener)),
        case_enc: ctx.cipher.seal(CASES[(i + k) % CASES.length]!.replace('{n}', String(10 + i))),
        manners: JSON.stringify(MANNER_SETS[(i + k) % MANNER_SETS.length]), occurred_at: at.toISOString(),
        request_enc: ctx.cipher.seal(REQUESTS[(i * 3 + k) % REQUESTS.length]!), handling: HANDLINGS[(i + k) % HANDLINGS.length]!,
        handling_note_enc: i % 4 === 0 ? ctx.cipher.seal('已当场拒绝并告知“三个规定”要求，次日向所在单位主要负责人报告。') : null,
        created_by: null, created_at: now, updated_at: now,
      });
    }
  });
  await chunks(records, 100, (part) => trx.insertInto('interference_record').values(part).execute());

  // ---- 零报告: 2021Q2 and the quarter the demo starts in, from most of those without a record
  const today = shanghaiDate(new Date(now));
  const current = periodOfDate(today);
  const zeros: ZeroReportTable[] = [];
  for (const [j, period] of ['2021Q2', current].entries()) {
    if (j === 1 && current === '2021Q2') continue;
    const { start, end } = periodRange(period);
    const isCurrent = period === current;
    people.forEach((p, i) => {
      if (recordedIn.has(`${p.id}|${period}`)) return;
      if (isCurrent && p.id === officer?.id) return;
      // A few in each period have not reported (coverage near, not at, 100 %).
      if ((i * 31 + j * 7) % 37 === 0) return;
      const signed = isCurrent
        ? new Date(Math.min(Date.parse(`${start}T09:00:00+08:00`) + r.int(0, 20) * 86_400_000 + r.int(0, 28_800_000), Date.parse(now)))
        : new Date(Date.parse(`${end}T09:00:00+08:00`) - r.int(0, 10) * 86_400_000 + r.int(0, 28_800_000));
      const base = { person_id: p.id, period, statement: ZERO_REPORT_STATEMENT, signed_name: p.name, signed_at: signed.toISOString() };
      zeros.push({ id: newId(), org_unit_id: p.org_unit_id, ...base, digest: sm3(zeroReportContent(base)), created_at: base.signed_at });
    });
  }
  await chunks(zeros, 300, (part) => trx.insertInto('zero_report').values(part).execute());

  // ---- 制度文件 with their versions and acknowledgements
  const units = new Map((await trx.selectFrom('org_unit').select(['id', 'code', 'path']).where('code', 'in', ['CFSJ', 'HSQ']).execute()).map((u) => [u.code, u]));
  const versions: PolicyVersionTable[] = [];
  const versionsOf: { policyId: string; path: string; versions: PolicyVersionTable[]; index: number }[] = [];
  for (const [pi, plan] of POLICIES.entries()) {
    const issuer = units.get(plan.issuer === 'city' ? 'CFSJ' : 'HSQ')!;
    const id = newId();
    const vs = plan.versions.map(([effectiveOn, note], k): PolicyVersionTable => ({
      id: newId(), policy_id: id, version_no: k + 1, status: k === plan.versions.length - 1 ? 'current' : 'superseded', effective_on: effectiveOn,
      body: k === 0 ? plan.body : `${plan.body}\n（${effectiveOn} 修订）`, change_note: note, published_by: null,
      published_at: new Date(`${effectiveOn}T10:00:00+08:00`).toISOString(),
    }));
    const last = vs.at(-1)!;
    await trx
      .insertInto('policy_document')
      .values({
        id, title: plan.title, doc_no: plan.docNo, category: plan.category, issuing_unit_id: issuer.id, audience: 'issuer', current_version_id: last.id,
        current_version_no: last.version_no, current_effective_on: last.effective_on, created_by: null, created_at: vs[0]!.published_at, updated_at: last.published_at,
      })
      .execute();
    versions.push(...vs);
    versionsOf.push({ policyId: id, path: issuer.path, versions: vs, index: pi });
  }
  await chunks(versions, 100, (part) => trx.insertInto('policy_version').values(part).execute());
  // Acknowledgements straight from the people table (one statement per version: thousands of rows): most
  // serving officers under the issuer, less a deterministic sixteenth or so; the demo officer has the
  // “三个规定” 制度 still to acknowledge.
  let acks = 0;
  for (const { policyId, path, versions: vs, index } of versionsOf) {
    for (const [k, v] of vs.entries()) {
      const at = new Date(Math.min(Date.parse(v.published_at) + (3 + k) * 86_400_000, Date.parse(now))).toISOString();
      let q = trx
        .selectFrom('person')
        .select((eb) => [eb.val(v.id).as('version_id'), eb.val(policyId).as('policy_id'), 'person.id as person_id', 'person.org_unit_id', 'person.name as confirmed_name', eb.val(at).as('acked_at')])
        .where('person.status', '=', 'active')
        .where('person.sort_key', '>=', path)
        .where('person.sort_key', '<', `${path}\uffff`)
        // The uuid's hex digit at a position chosen per policy and version: about one in sixteen has not read it.
        .where(sql<string>`substr(person.id, ${2 + ((index * 3 + k) % 7)}, 1)`, '<>', 'a');
      if (index === 1 && officer) q = q.where('person.id', '<>', officer.id);
      const res = await trx
        .insertInto('policy_ack')
        .columns(['version_id', 'policy_id', 'person_id', 'org_unit_id', 'confirmed_name', 'acked_at'])
        .expression(q)
        .executeTakeFirst();
      acks += Number(res.numInsertedOrUpdatedRows ?? 0);
    }
  }
  return { interferenceRecords: records.length, zeroReports: zeros.length, policies: POLICIES.length, policyAcknowledgements: acks };
}
