import type { Ctx, Trx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import type { ClueTable } from '../db/types.js';
import type { SelfCheckAnswer } from '../modules/self-checks/commands.js';
import { CLOSE_WITHIN_DAYS, DISPOSE_WITHIN_DAYS } from '../modules/clues/commands.js';
import { addDays } from '../platform/workdays.js';

// The demo campaign's problem clues: a handful from each source, at every stage. Two concern officers
// who had declared the same matter in their signed self-check reports (自查从宽); the rest were found
// (被查从严). Texts and reporters are sealed like real ones. Deterministic.

type Plan = [source: string, code: string | null, summary: string, stage: ClueTable['stage'], extra: Partial<ClueTable>];

const FOUND: Plan[] = [
  ['tip_off', 'S2', '群众举报某律师事务所律师自称与法院、司法局人员关系密切，以“找关系”为由收取额外费用。', 'verified', { disposal_method: 'preliminary_verification', disposal_due: '2021-05-31', verification_outcome: 'partly_true', verified_on: '2021-05-20' }],
  ['tip_off', 'P1', '举报反映某司法所工作人员为亲属的民间借贷纠纷向调解员打招呼。', 'closed', { disposal_method: 'talk_inquiry', disposal_due: '2021-05-15', verification_outcome: 'true', verified_on: '2021-05-10', disposition: 'admonishment', closed_on: '2021-05-25' }],
  ['data_screening', 'S1', '数据比对发现 3 名社区矫正对象电子定位连续 7 天无轨迹，存在脱管风险。', 'disposing', { disposal_method: 'preliminary_verification', disposal_due: '2021-06-15' }],
  ['data_screening', 'P2', '工商登记信息比对发现一名干警配偶为某法律咨询公司股东。', 'registered', {}],
  ['case_review', 'P4', '案件评查发现一起暂予监外执行案件病情诊断材料不完整。', 'verified', { disposal_method: 'preliminary_verification', disposal_due: '2021-06-30', verification_outcome: 'true', verified_on: '2021-06-20' }],
  ['case_review', 'P5', '行政复议案件清查发现一件案件超过法定期限未作出决定。', 'closed', { disposal_method: 'talk_inquiry', disposal_due: '2021-05-20', verification_outcome: 'true', verified_on: '2021-05-18', disposition: 'education', closed_on: '2021-05-30' }],
  ['other', 'D5', '督导组反映个别窗口工作人员上班时间玩手机、态度生硬。', 'closed', { disposal_method: 'concluded', disposition: 'none', closed_on: '2021-04-28' }],
  ['other', 'D6', '有人反映某干警经常出入娱乐场所，情况不明。', 'disposing', { disposal_method: 'shelved' }],
];

export async function seedDemoClues(trx: Trx, ctx: Ctx, now: string) {
  const campaignId = 'campaign-1';
  const categories = new Map(
    (await trx.selectFrom('problem_category').select(['id', 'code']).where('campaign_id', '=', campaignId).execute()).map((c) => [c.code, c.id]),
  );
  const people = await trx.selectFrom('person').select(['id', 'org_unit_id']).where('status', '=', 'active').orderBy('id').execute();
  // Those who declared something in their signed report, with what they declared.
  const declared = await trx
    .selectFrom('self_check_report')
    .select(['person_id', 'org_unit_id', 'answers'])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'signed')
    .where('declared_count', '>', 0)
    .orderBy('person_id')
    .limit(2)
    .execute();
  const plans: (Plan & { person: { id: string; org_unit_id: string } })[] = [];
  for (const d of declared) {
    const item = (JSON.parse(d.answers) as SelfCheckAnswer[]).find((a) => a.answer === 'yes')!;
    plans.push(Object.assign(
      ['self_check', item.code, `本人在自查事项报告表中主动说明：${item.description ?? ''}`, 'verified', { disposal_method: 'talk_inquiry', disposal_due: '2021-05-31', verification_outcome: 'true', verified_on: '2021-05-15' }] as Plan,
      { person: { id: d.person_id, org_unit_id: d.org_unit_id } },
    ));
  }
  FOUND.forEach((p, i) => plans.push(Object.assign(p, { person: people[(i * 97 + 13) % people.length]! })));

  let n = 0;
  for (const plan of plans) {
    const [source, code, summary, stage, extra] = plan;
    const { person } = plan;
    n++;
    // A self-reported matter comes to the handlers after the report was signed (all by 2021-04-24).
    const received = source === 'self_check' ? `2021-05-0${n}` : `2021-04-${String(8 + n).padStart(2, '0')}`;
    const id = newId();
    const row: ClueTable = {
      id, clue_no: `XS${received.replaceAll('-', '')}${String(n).padStart(4, '0')}`, campaign_id: campaignId, source,
      category_id: code ? (categories.get(code) ?? null) : null, org_unit_id: person.org_unit_id, summary_enc: ctx.cipher.seal(summary),
      reporter_name_enc: source === 'tip_off' ? ctx.cipher.seal('王某') : null, reporter_phone_enc: source === 'tip_off' ? ctx.cipher.seal('13904760000') : null,
      received_on: received, stage, disposal_method: null, disposal_due: null, verification_outcome: null, verified_on: null, disposition: null,
      closed_on: null, created_by: null, created_at: new Date(`${received}T10:00:00+08:00`).toISOString(), updated_at: now, stage_due: null, ...extra,
    };
    // The current step's deadline, as the commands set it (clues/commands.ts).
    row.stage_due =
      row.stage === 'registered' ? addDays(received, DISPOSE_WITHIN_DAYS)
      : row.stage === 'disposing' ? (row.disposal_method === 'shelved' ? null : row.disposal_due)
      : row.stage === 'verified' ? addDays(row.verified_on!, CLOSE_WITHIN_DAYS)
      : null;
    await trx.insertInto('clue').values(row).execute();
    await trx.insertInto('clue_subject').values({ clue_id: id, person_id: person.id, org_unit_id: person.org_unit_id, seq: 0 }).execute();
    const events: [string, string | null][] = [['registered', null]];
    if (row.disposal_method) events.push([`dispose:${row.disposal_method}`, '经线索处置会议研究，按此方式处置。']);
    if (row.verification_outcome) events.push([`verify:${row.verification_outcome}`, '经核实，已形成核实报告。']);
    if (row.disposition && row.disposal_method !== 'concluded') events.push([`close:${row.disposition}`, '按规定作出处理，已办结。']);
    for (const [k, [kind, note]] of events.entries()) {
      await trx
        .insertInto('clue_event')
        .values({ id: newId(), clue_id: id, at: new Date(Date.parse(row.created_at) + k * 86_400_000).toISOString(), kind, note_enc: note ? ctx.cipher.seal(note) : null, actor_id: null, actor_name: '线索管理员' })
        .execute();
    }
  }
  return { clues: n };
}
