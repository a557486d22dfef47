import type { Ctx, Trx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import type { TalkParticipantTable, TalkTable } from '../db/types.js';
import { insertItem } from '../modules/rectification/commands.js';
import { MUST_TALK_REASONS, TALK_TOPICS } from '../../shared/schemas/talks.js';

// The demo campaign's two full rounds of heart-to-heart talks (every serving officer took part in
// each: in every unit its head talks with each member, and the heads of the county bureaus and city
// departments with the bureau's leaders) and the 专题民主生活会 of the bureau's leading group, whose
// problems are ledger items with deadlines. Deterministic.

const SUMMARIES = [
  '交流了近期思想和工作情况，谈话对象表示将严守纪律规矩，主动查摆问题。',
  '围绕队伍教育整顿要求进行了谈心，指出了工作作风方面的不足，对方表示认真整改。',
  '了解了家庭和生活情况，提醒注意八小时以外的社会交往，对方表示接受。',
  '就岗位职责和廉洁自律进行了交流，对方对单位工作提出了意见建议。',
];

export async function seedDemoTalks(trx: Trx, ctx: Ctx, now: string) {
  const campaignId = 'campaign-1';
  const rounds = [
    { id: newId(), round: 1, name: '第一轮谈心谈话', start: '2021-03-15', end: '2021-04-30' },
    { id: newId(), round: 2, name: '第二轮谈心谈话', start: '2021-05-10', end: '2021-06-30' },
  ];
  await trx
    .insertInto('talk_round')
    .values(rounds.map((r) => ({ id: r.id, campaign_id: campaignId, round: r.round, name: r.name, start_date: r.start, end_date: r.end, created_at: now, updated_at: now })))
    .execute();
  const people = await trx
    .selectFrom('person')
    .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
    .select(['person.id', 'person.org_unit_id', 'org_unit.parent_id'])
    .where('person.status', '=', 'active')
    .orderBy('person.sort_key')
    .orderBy('person.name')
    .orderBy('person.id')
    .execute();
  const byUnit = new Map<string, typeof people>();
  for (const p of people) byUnit.set(p.org_unit_id, [...(byUnit.get(p.org_unit_id) ?? []), p]);
  const head = (unitId: string | null) => (unitId ? byUnit.get(unitId)?.[0] : undefined);
  const root = people.find((p) => p.parent_id === null);
  const reasons = Object.keys(MUST_TALK_REASONS);
  const topics = Object.keys(TALK_TOPICS);
  let k = 0;
  let talks = 0;
  for (const r of rounds) {
    const talkRows: TalkTable[] = [];
    const parts: TalkParticipantTable[] = [];
    const startMs = Date.parse(`${r.start}T09:00:00+08:00`);
    const span = Date.parse(`${r.end}T09:00:00+08:00`) - startMs;
    for (const [unitId, members] of byUnit) {
      const chief = members[0]!;
      // The unit's head is talked with by the head of the unit above (the bureau's leaders for the top).
      const above = head(members[0]!.parent_id) ?? (root && root.id !== chief.id ? root : byUnit.get(unitId)?.[1]);
      const pairs: [string, string][] = members.slice(1).map((m) => [chief.id, m.id]);
      if (above && above.id !== chief.id) pairs.push([above.id, chief.id]);
      for (const [talker, talkee] of pairs) {
        k++;
        const id = newId();
        const heldOn = new Date(startMs + ((k * 7919) % 1000) / 1000 * span).toISOString().slice(0, 10);
        talkRows.push({
          id, round_id: r.id, talker_person_id: talker, org_unit_id: people.find((p) => p.id === talker)!.org_unit_id, held_on: heldOn,
          reason: k % 9 === 0 ? reasons[k % reasons.length]! : null,
          topics: JSON.stringify([topics[k % topics.length], topics[(k + 3) % topics.length]]),
          summary: SUMMARIES[k % SUMMARIES.length]!, follow_up: k % 9 === 0 ? '一个月后再次谈话，了解思想变化情况。' : null,
          talkee_count: 1, created_by: null, created_at: now, updated_at: now,
        });
        parts.push({ talk_id: id, round_id: r.id, person_id: talker, role: 'talker' }, { talk_id: id, round_id: r.id, person_id: talkee, role: 'talkee' });
      }
    }
    for (let i = 0; i < talkRows.length; i += 200) await trx.insertInto('talk').values(talkRows.slice(i, i + 200)).execute();
    for (let i = 0; i < parts.length; i += 300) await trx.insertInto('talk_participant').values(parts.slice(i, i + 300)).execute();
    talks += talkRows.length;
  }

  // 专题民主生活会 of the bureau's leading group; each problem became a ledger item with a deadline.
  const city = await trx.selectFrom('org_unit').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
  const leaders = (byUnit.get(city.id) ?? []).slice(0, 7);
  const meetingId = newId();
  await trx
    .insertInto('life_meeting')
    .values({
      id: meetingId, campaign_id: campaignId, org_unit_id: city.id, title: '市司法局党组队伍教育整顿专题民主生活会', held_on: '2021-06-18',
      host: '市司法局党组书记', location: '市司法局三楼会议室', summary: '党组班子成员逐一对照检查，开展批评与自我批评，查摆问题 4 项，逐项明确整改措施和时限。',
      created_by: null, created_at: now, updated_at: now,
    })
    .execute();
  if (leaders.length) await trx.insertInto('life_meeting_attendee').values(leaders.map((p) => ({ meeting_id: meetingId, person_id: p.id }))).execute();
  const problems = [
    ['self_criticism', '深入基层调研不够，对旗县区司法所困难了解不全面。', '班子成员每季度到基层司法所调研不少于 2 次。', '2021-09-30'],
    ['criticism', '抓队伍管理失之于宽，对干警八小时以外监督不够。', '建立干警八小时以外监督管理办法。', '2021-08-31'],
    ['found', '执法监督机制不健全，行政执法案卷评查流于形式。', '修订行政执法案卷评查办法，引入第三方评查。', '2021-10-31'],
    ['found', '为民服务措施落实不平衡，个别窗口单位服务效率不高。', '推行窗口服务“好差评”，按月通报。', '2021-07-31'],
  ] as const;
  for (const [i, [kind, description, measures, deadline]] of problems.entries()) {
    const problemId = newId();
    const item = await insertItem(trx, ctx, null, {
      campaignId, list: 'ledger', parentId: null, source: 'life_meeting', sourceRef: problemId, categoryId: null,
      title: `民主生活会查摆问题：${description.replace(/[，。].*$/s, '')}`.slice(0, 100), description, measures, goal: null,
      orgUnitId: city.id, responsiblePersonId: leaders[i % Math.max(1, leaders.length)]?.id ?? null, mode: 'deadline',
      startDate: '2021-06-18', deadline, isPublic: false, weight: 1,
    });
    // By the campaign's end three were finished (awaiting the office's check) and one still under way.
    await trx
      .updateTable('rectification_item')
      .set(i < 3 ? { progress: 100, status: 'done', completed_at: new Date(`${deadline}T09:00:00+08:00`).toISOString() } : { progress: 50, status: 'in_progress' })
      .where('id', '=', item.id)
      .execute();
    await trx
      .insertInto('rectification_progress')
      .values({
        id: newId(), item_id: item.id, percent: i < 3 ? 100 : 50, evidence_count: 0, actor_id: null, actor_name: '市司法局党组',
        note: i < 3 ? '整改措施已落实，相关制度已印发。' : '整改方案已制定，正在推进。', created_at: new Date(`${deadline}T09:00:00+08:00`).toISOString(),
      })
      .execute();
    await trx
      .insertInto('life_meeting_problem')
      .values({ id: problemId, meeting_id: meetingId, kind, person_id: kind === 'found' ? null : (leaders[i]?.id ?? null), description, item_id: item.id, created_at: now })
      .execute();
  }
  return { talks, talkRounds: rounds.length, lifeMeetings: 1 };
}
