import type { Ctx, Trx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import type { RectificationItemTable } from '../db/types.js';
import { linkPendingIn, seedCategories } from '../modules/rectification/commands.js';

// The demo campaign's ledger, as the account describes it: the "7+2" catalogue, the eight opinions the
// 开门纳谏 symposium put into the ledger (now items), items from clues, self-checks, data screening and
// the life meeting across the county bureaus, the community-correction special action split into one
// sub-item per county, most finished and signed off with evidence, a few still open past their
// deadline. Deterministic: the same database every time.

/** A 1×1 PNG: the evidence photo the demo's reports carry (stored once, by content). */
const EVIDENCE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);

interface Plan {
  code: string | null;
  source: RectificationItemTable['source'];
  title: string;
  description: string;
  measures: string;
  goal: string;
  mode: RectificationItemTable['mode'];
  deadline: string | null;
  /** Final state: signed off, done (awaiting sign-off), in progress at a percentage, or not started. */
  end: 'signed_off' | 'done' | number;
  isPublic?: boolean;
  unit?: string;
}

const PLANS: Plan[] = [
  { code: 'P1', source: 'self_check', title: '过问干预司法活动记录报告不及时', description: '部分单位对干警过问案件情况未做到“逢问必记”，零报告制度落实不到位。', measures: '开展“三个规定”专题培训，建立月度记录报告和零报告制度，纳入年度考核。', goal: '“三个规定”记录报告全覆盖', mode: 'deadline', deadline: '2021-05-31', end: 'signed_off', isPublic: true },
  { code: 'P2', source: 'data_screening', title: '干警及亲属违规经商办企业排查整治', description: '经工商登记信息比对，发现个别干警配偶在辖区内经营法律咨询类企业。', measures: '逐人核实、登记在册，督促限期退出或调整岗位，建立常态化比对机制。', goal: '违规经商办企业问题动态清零', mode: 'deadline', deadline: '2021-06-30', end: 'signed_off' },
  { code: 'P3', source: 'self_check', title: '违规参股借贷问题自查整改', description: '个别干警存在与管理服务对象之间的借贷往来，需全面清理。', measures: '签订承诺书，清理借贷往来，纪检监察部门跟踪核查。', goal: '违规参股借贷全部清理', mode: 'deadline', deadline: '2021-06-30', end: 'signed_off' },
  { code: 'P4', source: 'case_review', title: '减刑假释暂予监外执行案件评查', description: '对 2016 年以来社区矫正对象暂予监外执行案件开展评查，发现材料审核不严的情况。', measures: '逐案评查，完善审核流程，与法院、检察院建立信息共享机制。', goal: '评查案件全覆盖，问题案件全部整改', mode: 'deadline', deadline: '2021-07-15', end: 'done' },
  { code: 'P5', source: 'case_review', title: '行政复议案件久拖不决清理', description: '个别行政复议案件超过法定期限未作出决定。', measures: '建立案件台账，逐案明确办理时限，实行周调度。', goal: '超期案件清零', mode: 'deadline', deadline: '2021-06-15', end: 'signed_off', isPublic: true },
  { code: 'P6', source: 'clue', title: '律师与司法行政干警不正当接触交往专项整治', description: '群众反映个别律师事务所与干警存在不正当接触交往。', measures: '开展律师执业专项检查，建立干警与律师接触交往报备制度。', goal: '建立接触交往报备制度并严格执行', mode: 'concurrent', deadline: '2021-07-31', end: 70, isPublic: true },
  { code: 'P7', source: 'inspection', title: '公证、司法鉴定“金钱案”“人情案”整治', description: '督导检查发现公证、司法鉴定领域存在收费不规范问题。', measures: '全面检查收费情况，公开收费标准，畅通投诉渠道。', goal: '收费公开透明，群众投诉及时办结', mode: 'deadline', deadline: '2021-06-30', end: 'signed_off', isPublic: true },
  { code: 'S2', source: 'clue', title: '律师充当司法掮客专项整治', description: '线索反映个别律师以“关系”招揽案源，充当司法掮客。', measures: '联合法院、检察院核查线索，依法依规处理，开展警示教育。', goal: '查处一批、震慑一片', mode: 'deadline', deadline: '2021-07-31', end: 85 },
  { code: 'D5', source: 'life_meeting', title: '部分科室服务群众“门难进、脸难看、事难办”', description: '专题民主生活会上班子成员查摆出机关作风问题。', measures: '推行首问负责、限时办结，开展作风建设月活动。', goal: '群众满意度明显提升', mode: 'immediate', deadline: '2021-05-15', end: 'signed_off', isPublic: true },
  { code: 'D3', source: 'self_check', title: '公务接待和公车使用不规范', description: '自查发现个别单位公务接待清单不全、公车使用登记不规范。', measures: '完善接待审批和公车使用登记制度，定期公示。', goal: '制度健全、执行到位', mode: 'immediate', deadline: '2021-04-30', end: 'signed_off' },
  { code: 'D6', source: 'self_check', title: '八小时以外监督管理不到位', description: '对干警八小时以外活动情况掌握不够。', measures: '建立家访、谈心谈话制度，发挥家庭助廉作用。', goal: '八小时以外监督常态化', mode: 'concurrent', deadline: null, end: 40 },
  { code: 'D2', source: 'inspection', title: '干部人事档案专项审核问题整改', description: '档案专项审核发现个别档案信息不一致。', measures: '逐卷审核，补充完善材料，认定结果报上级备案。', goal: '档案信息准确一致', mode: 'deadline', deadline: '2021-06-30', end: 'signed_off' },
  { code: 'D5', source: 'data_screening', title: '人民调解案件卷宗不规范', description: '数据比对发现部分调解案件卷宗要素缺失。', measures: '统一卷宗标准，开展业务培训，定期抽查。', goal: '卷宗规范率 100%', mode: 'deadline', deadline: '2021-07-10', end: 0 },
];

/** The community-correction special action: one sub-item per county (脱管漏管虚管 checks). */
const S1_SUB = (county: string) => ({
  title: `${county}社区矫正对象排查`,
  description: `对${county}在册社区矫正对象逐一核查，排查脱管、漏管、虚管情况。`,
});

export async function seedDemoRectification(trx: Trx, ctx: Ctx, now: string) {
  for (const c of ['campaign-1', 'campaign-2']) await seedCategories(trx, c, now);
  const linked = await linkPendingIn(trx, ctx);

  const categories = new Map(
    (await trx.selectFrom('problem_category').select(['id', 'code']).where('campaign_id', '=', 'campaign-1').execute()).map((c) => [c.code, c.id]),
  );
  const counties = await trx
    .selectFrom('org_unit')
    .select(['id', 'name', 'short_name', 'code'])
    .where('kind', '=', 'county_bureau')
    .orderBy('sort')
    .execute();
  const city = await trx.selectFrom('org_unit').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
  // The first person of each unit answers for its items.
  const heads = new Map<string, string>();
  for (const u of [city.id, ...counties.map((c) => c.id)]) {
    const p = await trx.selectFrom('person').select('id').where('org_unit_id', '=', u).orderBy('id').executeTakeFirst();
    if (p) heads.set(u, p.id);
  }
  const hash = await ctx.files.put(EVIDENCE_PNG);

  let seq = await trx
    .selectFrom('rectification_item')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('campaign_id', '=', 'campaign-1')
    .where('list', '=', 'ledger')
    .where('parent_key', '=', '')
    .executeTakeFirst()
    .then((r) => Number(r?.m ?? 0));

  const at = (day: string, hour = 9) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

  /** Reports on an item up to its end state; the last full report carries the evidence photo. */
  async function report(item: RectificationItemTable, end: Plan['end'], startDay: string, endDay: string) {
    const final = end === 'signed_off' || end === 'done' ? 100 : end;
    const steps = final === 0 ? [] : final === 100 ? [40, 100] : [Math.max(10, Math.round(final / 2)), final];
    const startMs = Date.parse(at(startDay));
    const endMs = Math.max(startMs + 86_400_000, Date.parse(at(endDay)) - 3 * 86_400_000);
    for (const [i, pct] of steps.entries()) {
      const created = new Date(startMs + ((endMs - startMs) * (i + 1)) / (steps.length + 0.5)).toISOString();
      const id = newId();
      const evidence = pct === 100 ? 1 : 0;
      await trx
        .insertInto('rectification_progress')
        .values({
          id, item_id: item.id, percent: pct, created_at: created, evidence_count: evidence, actor_id: null, actor_name: '整改责任单位',
          note: pct === 100 ? '整改措施全部落实到位，已形成长效机制，佐证材料见附件。' : '已制定整改方案，正在逐项推进。',
        })
        .execute();
      if (evidence) {
        await trx
          .insertInto('attachment')
          .values({
            id: newId(), content_hash: hash, size: EVIDENCE_PNG.length, mime: 'image/png', original_name: '整改佐证.png',
            uploaded_by: null, owner_type: 'rectification_progress', owner_id: id, created_at: created,
          })
          .execute();
      }
    }
    const status = end === 'signed_off' ? 'signed_off' : final === 100 ? 'done' : final > 0 ? 'in_progress' : 'not_started';
    await trx
      .updateTable('rectification_item')
      .set({
        progress: final, status, updated_at: at(endDay, 17),
        completed_at: final === 100 ? at(endDay, 16) : null,
        ...(end === 'signed_off' ? { signed_off_at: at(endDay, 17), signed_off_by: null, sign_off_note: '经核验佐证材料，整改到位，同意销号。' } : {}),
      })
      .where('id', '=', item.id)
      .execute();
  }

  function row(over: Partial<RectificationItemTable> & Pick<RectificationItemTable, 'title' | 'description' | 'org_unit_id' | 'source' | 'mode'>): RectificationItemTable {
    return {
      id: newId(), campaign_id: 'campaign-1', list: 'ledger', parent_id: null, parent_key: '', seq: ++seq, child_count: 0,
      source_ref: null, category_id: null, measures: null, goal: null, responsible_person_id: heads.get(over.org_unit_id) ?? null,
      start_date: '2021-04-01', deadline: null, is_public: 0, weight: 1, progress: 0, status: 'not_started', completed_at: null,
      signed_off_at: null, signed_off_by: null, sign_off_note: null, overdue_noticed_on: null, rating_count: 0, rating_sum: 0,
      created_by: null, created_at: at('2021-04-01'), updated_at: at('2021-04-01'), ...over,
    };
  }

  // The adopted opinions: planned by the office (deadline, goal, published), most finished.
  const adopted = await trx
    .selectFrom('rectification_item')
    .selectAll()
    .where('source', '=', 'opinion')
    .where('campaign_id', '=', 'campaign-1')
    .orderBy('seq')
    .execute();
  for (const [i, item] of adopted.entries()) {
    const deadline = i < 6 ? '2021-06-30' : '2021-07-31';
    await trx
      .updateTable('rectification_item')
      .set({
        is_public: 1, mode: 'deadline', start_date: '2021-04-20', deadline, responsible_person_id: heads.get(item.org_unit_id) ?? null,
        goal: '群众反映的问题整改到位、答复满意', measures: item.measures ?? '责任单位制定整改方案，限期整改并向群众反馈。',
        created_at: at('2021-04-20'),
      })
      .where('id', '=', item.id)
      .execute();
    await report({ ...item, deadline }, i < 4 ? 'signed_off' : i === 6 ? 60 : 'done', '2021-04-20', deadline);
  }

  let made = 0;
  for (const [i, p] of PLANS.entries()) {
    const unit = i % 3 === 0 ? city.id : counties[i % counties.length]!.id;
    const item = row({
      title: p.title, description: p.description, measures: p.measures, goal: p.goal, mode: p.mode, deadline: p.deadline,
      source: p.source, category_id: categories.get(p.code ?? '') ?? null,
      org_unit_id: unit, is_public: p.isPublic ? 1 : 0,
    });
    await trx.insertInto('rectification_item').values(item).execute();
    await report(item, p.end, '2021-04-01', p.deadline ?? '2021-07-31');
    made++;
  }

  // 社区矫正对象脱管漏管虚管专项整治: a parent with one sub-item per county, rolled up.
  const parent = row({
    title: '社区矫正对象脱管漏管虚管专项整治', description: '对全市在册社区矫正对象开展全面排查，整治脱管、漏管、虚管问题。',
    measures: '各旗县区逐人核查，建立问题清单，完善电子定位和信息共享机制。', goal: '脱管漏管虚管问题全部整改，实现动态清零',
    mode: 'deadline', deadline: '2021-07-31', source: 'data_screening', category_id: categories.get('S1') ?? null,
    org_unit_id: city.id, is_public: 1,
  });
  await trx.insertInto('rectification_item').values(parent).execute();
  made++;
  let sub = 0;
  const children: { progress: number; status: string }[] = [];
  for (const [j, c] of counties.entries()) {
    const s = S1_SUB(c.short_name ?? c.name);
    const child = row({
      ...s, parent_id: parent.id, parent_key: parent.id, seq: ++sub, mode: 'deadline', deadline: '2021-07-31', source: 'data_screening',
      category_id: categories.get('S1') ?? null, org_unit_id: c.id, measures: '逐人核查，建立台账，限期整改。', goal: '脱管漏管虚管清零',
    });
    seq--; // sub-items number within their parent, not in the top-level sequence
    await trx.insertInto('rectification_item').values(child).execute();
    // Two counties still working on it, past the deadline: the ledger's overdue items.
    const end: Plan['end'] = j === 3 ? 80 : j === 7 ? 50 : 'signed_off';
    await report(child, end, '2021-04-10', '2021-07-25');
    children.push({ progress: typeof end === 'number' ? end : 100, status: String(end) });
    made++;
  }
  const progress = Math.round((children.reduce((a, c) => a + c.progress, 0) / children.length) * 10) / 10;
  await trx
    .updateTable('rectification_item')
    .set({ child_count: counties.length, progress, status: 'in_progress', updated_at: at('2021-07-25', 17) })
    .where('id', '=', parent.id)
    .execute();

  // A few public ratings of finished public items.
  const rated = await trx
    .selectFrom('rectification_item')
    .select(['id'])
    .where('is_public', '=', 1)
    .where('status', 'in', ['done', 'signed_off'])
    .orderBy('seq')
    .limit(5)
    .execute();
  for (const [k, r] of rated.entries()) {
    const scores = [5, 4, 5, 5, 3].slice(0, 2 + (k % 3));
    for (const [n, score] of scores.entries()) {
      await trx
        .insertInto('rectification_rating')
        .values({ id: newId(), item_id: r.id, rating: score, comment: score >= 4 ? '整改效果明显' : '还需持续改进', rater_hash: `demo-${k}-${n}`, created_at: at('2021-08-05') })
        .execute();
    }
    await trx
      .updateTable('rectification_item')
      .set({ rating_count: scores.length, rating_sum: scores.reduce((a, b) => a + b, 0) })
      .where('id', '=', r.id)
      .execute();
  }
  return { ledgerItems: linked + made, adoptedItems: linked };
}
