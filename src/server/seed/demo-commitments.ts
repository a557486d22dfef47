import type { Ctx, Trx } from '../platform/context.js';
import { sm3 } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { addDays, loadCalendar } from '../platform/workdays.js';
import type {
  CertCommitmentTable, CertDishonestyTable, CertItemTable, MediationCaseTable, ReconsiderationCaseTable,
} from '../db/types-commitments.js';
import { residentIdCheckChar } from '../../shared/validators.js';
import { creditCodeCheckChar, fillTemplate } from '../../shared/schemas/commitments.js';
import { applicantColumns, barUntil, DRAW_RANGE, isDrawn } from '../modules/commitments/commands.js';
import { caseDeadlines, naturalDaysDeadline } from '../modules/cases/deadlines.js';
import { prng } from './demo.js';

// The demo bureau's 证明事项告知承诺制 (the classic items of a 司法局's catalogue, ~600 commitments over
// 2021 drawn at each item's rate, outcomes mostly true, a handful false and listed as dishonest) and
// its case intake (~40 行政复议 and ~60 企业矛盾纠纷调解 cases, a few still open and so overdue).
// Deterministic: a seeded PRNG stands in for the CSPRNG draw (the draw value is kept all the same).

const BASIS = '《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号）';
const TEMPLATE =
  '本人（本单位）{applicant}因办理{business}，就“{item}”所需的{certificate}郑重承诺：一、已知晓告知的全部内容；二、符合告知的条件、标准和要求；' +
  '三、所填写的信息真实、准确、完整，愿意承担不实承诺的法律责任；四、同意司法行政机关对承诺内容进行核查，承诺不实的，自愿接受列入失信名单，限制期内不再适用告知承诺制。';

// [name, department, certificate, legal basis, allowed, rate %, verify days, bar months, applicant kind]
const ITEMS: [string, string, string, string, boolean, number, number, number, 'person' | 'org'][] = [
  ['亲属关系公证', 'notary', '亲属关系证明', `${BASIS}；《中华人民共和国公证法》第十一条`, true, 10, 20, 36, 'person'],
  ['婚姻状况公证', 'notary', '未婚（未再婚）证明', `${BASIS}；《中华人民共和国公证法》第十一条`, true, 10, 20, 36, 'person'],
  ['继承公证', 'notary', '被继承人死亡证明', `${BASIS}；《中华人民共和国公证法》第十一条`, true, 15, 30, 36, 'person'],
  ['出生公证', 'notary', '出生医学证明', `${BASIS}；《中华人民共和国公证法》第十一条`, true, 8, 20, 24, 'person'],
  ['经历公证', 'notary', '工作经历证明', `${BASIS}；《中华人民共和国公证法》第十一条`, true, 8, 20, 24, 'person'],
  ['法律援助申请', 'legal_aid', '经济困难证明', `${BASIS}；《法律援助条例》第十七条`, true, 20, 15, 24, 'person'],
  ['申请律师执业', 'lawyer', '无犯罪记录证明', `${BASIS}；《中华人民共和国律师法》第五条`, true, 50, 30, 36, 'person'],
  ['司法鉴定人执业登记', 'appraisal', '无犯罪记录证明', `${BASIS}；《司法鉴定人登记管理办法》第十二条`, true, 50, 30, 36, 'person'],
  ['基层法律服务所执业核准', 'grassroots', '经营场所使用证明', `${BASIS}；《基层法律服务所管理办法》第十一条`, true, 30, 30, 12, 'org'],
  ['公证员执业任命', 'notary', '身体健康证明', '《公证员执业管理办法》第九条（须提交证明，不适用告知承诺）', false, 0, 30, 12, 'person'],
];

const SURNAMES = '王李张刘杨赵陈孙马高于郭吴徐周何胡朱韩石梁宋郑';
const GIVEN = '志明建国伟华军红丽艳霞文静敏杰磊强勇涛斌鹏飞超亮刚平辉新宇浩';
const FIRMS = ['鑫源', '蒙东', '红山', '兴隆', '宏达', '永泰', '华盛', '金桥', '草原', '塞北', '玉龙', '恒通', '利民', '丰源', '众诚', '天骄'];
const FIRM_KINDS = ['商贸有限公司', '建筑工程有限公司', '农牧业科技有限公司', '物流有限公司', '房地产开发有限公司', '矿业有限责任公司', '餐饮管理有限公司'];

type R = ReturnType<typeof prng>;
const ymd = (r: R, from: string, to: string) => addDays(from, r.int(0, (Date.parse(to) - Date.parse(from)) / 86_400_000));
const personName = (r: R) => r.pick([...SURNAMES]) + r.pick([...GIVEN]) + (r.next() < 0.6 ? r.pick([...GIVEN]) : '');
const firmName = (r: R, county: string) => `赤峰市${county.replace(/(区|县|旗)$/, '')}${r.pick(FIRMS)}${r.pick(FIRM_KINDS)}`;

function residentId(r: R): string {
  const first17 = `1504${String(r.int(2, 30)).padStart(2, '0')}${r.int(1955, 2000)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}${String(r.int(0, 999)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

function creditCode(r: R): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const first17 = `9115040${r.int(2, 9)}` + Array.from({ length: 9 }, () => chars[r.int(0, chars.length - 1)]).join('');
  return first17 + creditCodeCheckChar(first17);
}

async function chunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 200) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function seedDemoCommitments(trx: Trx, ctx: Ctx, now: string): Promise<Record<string, unknown>> {
  const r = prng(20211018);
  const cal = await loadCalendar(trx);
  const units = await trx.selectFrom('org_unit').select(['id', 'name', 'short_name', 'kind', 'path']).where('kind', 'in', ['city_bureau', 'county_bureau']).orderBy('sort').execute();
  const counties = units.filter((u) => u.kind === 'county_bureau');

  const items: CertItemTable[] = ITEMS.map(([name, department, certificate, legalBasis, allowed, rate, verifyDays, barMonths]) => ({
    id: newId(), name, department, certificate, legal_basis: legalBasis, commitment_allowed: allowed ? 1 : 0, sampling_rate: rate,
    verify_days: verifyDays, bar_months: barMonths, template: TEMPLATE, enabled: 1, created_at: now, updated_at: now,
  }));
  await trx.insertInto('cert_item').values(items).execute();

  // ~600 commitments over 2021, weighted to the notarial items (the bulk of a bureau's certificates).
  const weights = [22, 14, 14, 6, 6, 26, 4, 3, 5, 0];
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const commitments: CertCommitmentTable[] = [];
  const listings: CertDishonestyTable[] = [];
  let verifiedCount = 0;
  for (let k = 0; k < 600; k++) {
    let pick = r.int(0, weightSum - 1);
    let i = 0;
    while (pick >= weights[i]!) pick -= weights[i++]!;
    const item = items[i]!;
    const kind = ITEMS[i]![8];
    const unit = r.next() < 0.15 ? units[0]! : r.pick(counties);
    const county = unit.short_name ?? unit.name;
    const name = kind === 'person' ? personName(r) : `赤峰市${county.replace(/(区|县|旗)$/, '')}${r.pick(FIRMS)}法律服务所`;
    const idNo = kind === 'person' ? residentId(r) : creditCode(r);
    const handledOn = ymd(r, '2021-01-04', '2021-12-28');
    const seq = String(k + 1).padStart(4, '0');
    const business =
      item.department === 'notary' ? `（2021）蒙赤${county.slice(0, 1)}证字第${seq}号${item.name}` :
      item.department === 'legal_aid' ? `${county}法律援助中心赤法援〔2021〕${seq}号` : `${item.name}申请（2021-${seq}）`;
    const text = fillTemplate(item.template, { applicant: name, item: item.name, certificate: item.certificate, business });
    const drawValue = r.int(0, DRAW_RANGE - 1);
    const drawn = isDrawn(drawValue, item.sampling_rate);
    const due = drawn ? naturalDaysDeadline(handledOn, item.verify_days, cal) : null;
    let status: CertCommitmentTable['verify_status'] = drawn ? 'pending' : 'not_drawn';
    let verifiedOn: string | null = null;
    // Drawn before mid-November: checked; a handful found false. Later draws still wait (overdue now).
    if (drawn && handledOn < '2021-11-15') {
      verifiedCount++;
      status = verifiedCount % 16 === 5 ? 'false' : 'true';
      verifiedOn = addDays(handledOn, r.int(3, item.verify_days));
    }
    const row: CertCommitmentTable = {
      id: newId(), item_id: item.id, org_unit_id: unit.id, applicant_kind: kind, applicant_name: name, ...applicantColumns(ctx.cipher, kind, idNo),
      business_ref: business, handled_on: handledOn, signed_text: text, text_digest: sm3(text), signed_at: `${handledOn}T02:${String(k % 60).padStart(2, '0')}:00.000Z`,
      sampling_rate: item.sampling_rate, draw_value: drawValue, drawn: drawn ? 1 : 0, verify_status: status, verify_due: due,
      verified_on: verifiedOn, verify_method: verifiedOn ? r.pick(['data_share', 'records', 'inquiry', 'onsite']) : null,
      verify_note: status === 'false' ? '经核查，申请人承诺内容与事实不符，已终止办理并列入失信名单。' : verifiedOn ? '经核查，承诺内容属实。' : null,
      created_by: null, created_at: now, updated_at: now,
    };
    commitments.push(row);
    if (status === 'false') {
      listings.push({
        id: newId(), applicant_id_index: row.applicant_id_index, applicant_kind: kind, applicant_name: name, applicant_id_masked: row.applicant_id_masked,
        item_id: item.id, commitment_id: row.id, org_unit_id: unit.id, listed_on: verifiedOn!, bar_until: barUntil(verifiedOn!, item.bar_months),
        lifted_at: null, lifted_on: null, lift_reason: null, lifted_by: null, created_at: now,
      });
    }
  }
  // One listing lifted early: the applicant corrected the record and the bureau lifted the bar.
  const lifted = listings[0];
  if (lifted) Object.assign(lifted, { lifted_on: addDays(lifted.listed_on, 90), lifted_at: `${addDays(lifted.listed_on, 90)}T02:00:00.000Z`, lift_reason: '申请人已补交真实证明材料并书面说明情况，经局务会研究同意提前移出。' });
  await chunked(commitments, (c) => trx.insertInto('cert_commitment').values(c).execute());
  if (listings.length) await trx.insertInto('cert_dishonesty').values(listings).execute();

  // 行政复议: mostly decided; some not accepted or withdrawn; a few still open (so overdue now).
  const respondents = ['市场监督管理局', '公安局', '自然资源局', '人力资源和社会保障局', '住房和城乡建设局', '综合行政执法局', '生态环境局', '交通运输局'];
  const acts = [
    ['行政处罚决定（罚款人民币二万元）', '撤销行政处罚决定'], ['不予登记决定', '责令重新作出登记决定'], ['工伤认定决定', '撤销工伤认定决定'],
    ['政府信息公开申请答复', '责令重新答复'], ['限期拆除决定', '撤销限期拆除决定'], ['行政许可不予批准决定', '责令依法作出许可决定'],
    ['责令停产整顿决定', '撤销责令停产整顿决定'], ['行政处罚决定（没收违法所得）', '变更为警告'],
  ] as const;
  const outcomes = ['upheld', 'upheld', 'upheld', 'revoked', 'varied', 'unlawful', 'perform', 'dismissed', 'mediated', 'settled', 'terminated'];
  const recons: ReconsiderationCaseTable[] = [];
  for (let k = 0; k < 40; k++) {
    const unit = k % 3 === 0 ? units[0]! : r.pick(counties);
    const county = unit.short_name ?? '赤峰市';
    const [act, request] = r.pick(acts);
    const open = k >= 36; // the last four: still open
    const receivedOn = open ? ymd(r, '2021-09-01', '2021-10-31') : ymd(r, '2021-01-04', '2021-10-15');
    const { acceptDue } = caseDeadlines({ kind: 'reconsideration', receivedOn }, cal);
    const base = {
      id: newId(), case_no: `赤${county.slice(0, 1)}复〔2021〕${k + 1}号`, org_unit_id: unit.id,
      applicant: r.next() < 0.6 ? personName(r) : firmName(r, county), respondent: `${unit.kind === 'city_bureau' ? '赤峰市' : county}${r.pick(respondents)}`,
      act, request: `请求${request}`, received_on: receivedOn, accept_due: acceptDue!, accepted_on: null, not_accepted_reason: null,
      decision_due: null, extension_days: null, extension_reason: null, due_on: null, outcome: null, closed_on: null, note: null,
      created_by: null, created_at: now, updated_at: now,
    };
    if (k === 39) {
      recons.push({ ...base, status: 'received', due_on: acceptDue! });
      continue;
    }
    if (k % 13 === 5) {
      recons.push({ ...base, status: 'not_accepted', not_accepted_reason: '申请超过法定申请期限，且无正当理由。', closed_on: addDays(receivedOn, 3) });
      continue;
    }
    const acceptedOn = addDays(receivedOn, r.int(1, 4));
    const ext = k % 10 === 7 ? 30 : null;
    const { decisionDue } = caseDeadlines({ kind: 'reconsideration', receivedOn, acceptedOn, extensionDays: ext }, cal);
    const accepted = { ...base, accepted_on: acceptedOn, decision_due: decisionDue!, extension_days: ext, extension_reason: ext ? '案情复杂，需现场勘验并听取第三人意见。' : null };
    if (open) recons.push({ ...accepted, status: 'accepted', due_on: decisionDue! });
    else if (k % 11 === 9) recons.push({ ...accepted, status: 'withdrawn', closed_on: addDays(acceptedOn, r.int(5, 30)), note: '申请人与被申请人达成谅解，主动撤回申请。' });
    else {
      const closedOn = addDays(acceptedOn, r.int(20, 58 + (ext ?? 0)));
      recons.push({ ...accepted, status: 'decided', outcome: r.pick(outcomes), closed_on: closedOn < decisionDue! ? closedOn : decisionDue!, note: '经审查，依法作出复议决定。' });
    }
  }
  await trx.insertInto('reconsideration_case').values(recons).execute();

  // 企业矛盾纠纷调解: the mediator is the first serving officer of the handling unit or below (the city
  // bureau's officers sit in its departments).
  const mediators = new Map<string, string>();
  for (const u of units) {
    const p = await trx.selectFrom('person').select('id').where('sort_key', 'like', `${u.path}%`).where('status', '=', 'active').orderBy('sort_key').orderBy('name').orderBy('id').executeTakeFirst();
    if (p) mediators.set(u.id, p.id);
  }
  const disputes = ['contract', 'contract', 'debt', 'debt', 'labour', 'partnership', 'ip', 'tort', 'other'];
  const summaries: Record<string, string> = {
    contract: '双方因买卖合同货款结算发生争议，申请方要求支付剩余货款及违约金。',
    debt: '双方因借款到期未还发生纠纷，申请方要求归还本金及利息。',
    labour: '企业与职工因解除劳动合同经济补偿金发生争议。',
    partnership: '合伙人之间因利润分配及退伙财产分割发生争议。',
    ip: '一方认为对方使用的商标与其注册商标近似，要求停止使用并赔偿。',
    tort: '因施工造成相邻企业厂房受损，双方就赔偿数额发生争议。',
    other: '双方就租赁场地返还及押金退还发生争议。',
  };
  const mediations: MediationCaseTable[] = [];
  for (let k = 0; k < 60; k++) {
    const unit = k % 4 === 0 ? units[0]! : r.pick(counties);
    const mediator = mediators.get(unit.id);
    if (!mediator) continue;
    const county = unit.short_name ?? '红山区';
    const open = k >= 55;
    const receivedOn = open ? ymd(r, '2021-10-15', '2021-12-10') : ymd(r, '2021-01-04', '2021-11-15');
    const { decisionDue } = caseDeadlines({ kind: 'mediation', receivedOn, periodDays: 30 }, cal);
    const a = firmName(r, county);
    let b = firmName(r, county);
    if (b === a) b = `内蒙古${b.slice(3)}`;
    const type = r.pick(disputes);
    const parties = [{ name: a, code: creditCode(r) }, { name: b, code: creditCode(r) }];
    const roll = r.next();
    const outcome = roll < 0.7 ? 'success' : roll < 0.85 ? 'failed' : 'litigation';
    mediations.push({
      id: newId(), case_no: `赤${county.slice(0, 1)}企调〔2021〕${k + 1}号`, org_unit_id: unit.id, parties: JSON.stringify(parties),
      party_names: `${a}、${b}`, dispute_type: type, amount: r.int(2, 400) * 5000, summary: summaries[type]!, mediator_person_id: mediator,
      received_on: receivedOn, period_days: 30, due_on: open ? decisionDue! : null, deadline: decisionDue!, status: open ? 'mediating' : 'closed',
      outcome: open ? null : outcome, closed_on: open ? null : addDays(receivedOn, r.int(5, 28)),
      note: open ? null : outcome === 'success' ? '双方达成调解协议并当场履行。' : outcome === 'failed' ? '双方分歧较大，调解未果，告知当事人其他救济途径。' : '引导当事人申请仲裁。',
      created_by: null, created_at: now, updated_at: now,
    });
  }
  await trx.insertInto('mediation_case').values(mediations).execute();

  return {
    certItems: items.length,
    commitments: commitments.length,
    commitmentsDrawn: commitments.filter((c) => c.drawn).length,
    dishonestyListed: listings.length,
    reconsiderationCases: recons.length,
    mediationCases: mediations.length,
  };
}
