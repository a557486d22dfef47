import type { Trx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import type { ExamAttemptTable, ExamTable, QuestionTable, StudyTopicTable, WrongAnswerTable } from '../db/types.js';
import type { QuestionType } from '../../shared/schemas/study-labels.js';
import { drawRandom, gradeAnswer, shuffle, type Answer, type DrawRule } from '../modules/exams/grading.js';
import { prng } from './demo.js';

// The demo campaign's three study topics, each with its question bank, an online objective test
// (a paper drawn by rules for each person, answered and auto-graded) and an offline paper exam whose
// scores were entered; every serving officer took both but a few. Plus one self-test left open from
// the day of seeding for a year, so the demo's officer can take an exam. Deterministic.

type Q = [type: QuestionType, difficulty: 1 | 2 | 3, stem: string, options: string[], answer: unknown, explanation?: string];

const TOPICS: { title: string; description: string; startsOn: string; endsOn: string; examDay: string; bank: Q[] }[] = [
  {
    title: '党史学习教育专题一：开天辟地、改天换地',
    description: '学习中国共产党的创建和新民主主义革命时期的历史。',
    startsOn: '2021-03-01', endsOn: '2021-04-20', examDay: '2021-04-20',
    bank: [
      ['single', 1, '中国共产党第一次全国代表大会召开于哪一年？', ['1919年', '1921年', '1927年', '1949年'], 'B', '1921年7月，中共一大在上海召开，后转移到嘉兴南湖。'],
      ['single', 1, '中共一大最后一天的会议转移到了哪里举行？', ['上海法租界', '嘉兴南湖', '广州', '北京'], 'B'],
      ['single', 2, '遵义会议召开于哪一年？', ['1934年', '1935年', '1936年', '1937年'], 'B'],
      ['single', 2, '“枪杆子里面出政权”的论断是在哪次会议上提出的？', ['八七会议', '古田会议', '遵义会议', '洛川会议'], 'A'],
      ['single', 2, '中国工农红军长征胜利结束的标志是？', ['强渡大渡河', '飞夺泸定桥', '红军三大主力会师', '遵义会议召开'], 'C'],
      ['single', 3, '党的第一个农村革命根据地是？', ['井冈山革命根据地', '中央革命根据地', '陕甘革命根据地', '湘鄂西革命根据地'], 'A'],
      ['single', 1, '中华人民共和国成立于哪一年？', ['1945年', '1948年', '1949年', '1950年'], 'C'],
      ['single', 3, '党的七大确立的党的指导思想是？', ['马克思列宁主义', '毛泽东思想', '三民主义', '新民主主义'], 'B'],
      ['multiple', 2, '党的三大优良作风包括？', ['理论联系实际', '密切联系群众', '批评与自我批评', '艰苦奋斗'], ['A', 'B', 'C']],
      ['multiple', 2, '新民主主义革命的三大法宝是？', ['统一战线', '武装斗争', '党的建设', '土地革命'], ['A', 'B', 'C']],
      ['multiple', 3, '下列属于党史学习教育“九学”模式的有？', ['集中自学', '宣讲导学', '分享促学', '考勤打卡'], ['A', 'B', 'C']],
      ['multiple', 2, '红军长征途中召开的重要会议有？', ['遵义会议', '扎西会议', '古田会议', '两河口会议'], ['A', 'B', 'D']],
      ['judge', 1, '中国共产党第一次全国代表大会通过了党的第一个纲领。', [], true],
      ['judge', 1, '南昌起义打响了武装反抗国民党反动派的第一枪。', [], true],
      ['judge', 2, '古田会议召开于1935年。', [], false, '古田会议召开于1929年12月。'],
      ['judge', 2, '抗日战争的胜利是近代以来中国反抗外敌入侵第一次取得完全胜利的民族解放战争。', [], true],
      ['judge', 1, '井冈山精神的核心是坚定信念、艰苦奋斗。', [], true],
      ['blank', 2, '中国共产党第一次全国代表大会在＿＿召开，最后一天转移到浙江＿＿举行。', [], [['上海'], ['嘉兴南湖', '嘉兴']]],
      ['blank', 2, '1935年1月召开的＿＿会议是党的历史上一个生死攸关的转折点。', [], [['遵义']]],
      ['essay', 2, '结合本职工作，谈谈你对“学史明理、学史增信、学史崇德、学史力行”的理解。', [], '要点：理论联系实际，结合司法行政工作……'],
    ],
  },
  {
    title: '教育整顿专题：“自查从宽、被查从严”与防止干预司法“三个规定”',
    description: '学习“三个规定”及“自查从宽、被查从严”政策意见等 6 个政策规定。',
    startsOn: '2021-04-21', endsOn: '2021-05-25', examDay: '2021-05-25',
    bank: [
      ['single', 1, '防止干预司法“三个规定”不包括下列哪一项？', ['领导干部干预司法活动、插手具体案件处理的记录、通报和责任追究规定', '司法机关内部人员过问案件的记录和责任追究规定', '规范司法人员与当事人、律师等接触交往行为的若干规定', '律师执业管理办法'], 'D'],
      ['single', 1, '教育整顿期间适用的政策是？', ['自查从严、被查从宽', '自查从宽、被查从严', '一律从宽', '一律从严'], 'B'],
      ['single', 2, '对领导干部干预司法活动，司法人员应当？', ['视情况决定是否记录', '全面如实记录，做到全程留痕', '口头报告即可', '事后补记'], 'B'],
      ['single', 2, '“七大顽瘴痼疾”中关于经商办企业的问题是指？', ['违规经商办企业', '违规参加培训', '违规使用公车', '违规发放津补贴'], 'A'],
      ['single', 2, '离任司法人员违规从事律师职业属于哪一类问题？', ['违反防止干预司法“三个规定”', '司法人员与律师不正当接触交往、违规从事律师职业', '违规减刑、假释、暂予监外执行', '有案不立、压案不查'], 'B'],
      ['single', 3, '教育整顿中的“两项整治”是指？', ['社区矫正对象脱管漏管虚管和律师充当司法掮客', '酒驾醉驾和违规吃喝', '网络赌博和电信诈骗', '违规经商和违规借贷'], 'A'],
      ['single', 1, '自查事项报告表填报后须由本人？', ['口头确认', '签字承诺', '交由家属确认', '无需确认'], 'B'],
      ['multiple', 2, '“七大顽瘴痼疾”包括？', ['违反防止干预司法“三个规定”', '违规经商办企业', '违规参股借贷', '违规减刑、假释、暂予监外执行'], ['A', 'B', 'C', 'D']],
      ['multiple', 2, '问题线索的来源包括？', ['自查自纠', '群众举报', '智能化数据排查', '案件评查'], ['A', 'B', 'C', 'D']],
      ['multiple', 3, '对主动说清问题的，可以依规依纪依法从宽处理的情形包括？', ['主动交代问题', '积极配合组织调查', '主动挽回损失', '拒不承认'], ['A', 'B', 'C']],
      ['judge', 1, '对干预司法的情况，司法人员如实记录受法律和组织保护。', [], true],
      ['judge', 1, '“自查从宽”意味着自查中报告的问题一律不予处理。', [], false, '自查从宽是依规依纪依法从宽，不是不处理。'],
      ['judge', 2, '配偶、子女违规经商办企业不属于整治范围。', [], false],
      ['judge', 2, '谈心谈话要做到全覆盖。', [], true],
      ['blank', 2, '教育整顿查纠整改环节要坚持“＿＿从宽、被查从严”的政策。', [], [['自查']]],
      ['blank', 2, '教育整顿的“七大顽瘴痼疾”整治加上“＿＿项整治”即“7+2”。', [], [['两', '2', '二']]],
      ['essay', 3, '结合“三个规定”，谈谈司法行政干警如何正确处理与律师的接触交往。', [], '要点：依法依规，不得私下接触，全程留痕……'],
    ],
  },
  {
    title: '司法行政专题：我为群众办实事与法治化营商环境',
    description: '学习便民利民举措、证明事项告知承诺制和法治化营商环境建设。',
    startsOn: '2021-05-26', endsOn: '2021-06-28', examDay: '2021-06-28',
    bank: [
      ['single', 1, '证明事项告知承诺制的核心是？', ['以申请人书面承诺代替证明材料', '增加证明材料', '取消所有审批', '一律现场核验'], 'A'],
      ['single', 1, '“1155”工程中，每名干部结对帮扶几个嘎查村？', ['1个', '5个', '11个', '55个'], 'A'],
      ['single', 2, '“1155”工程每名干部每年至少开展几次法律服务？', ['1次', '3次', '5次', '10次'], 'C'],
      ['single', 2, '为民营企业开展的免费“法治体检”属于哪方面的举措？', ['优化法治化营商环境', '社区矫正', '人民调解', '普法考试'], 'A'],
      ['single', 2, '行政复议的作用不包括？', ['化解行政争议', '监督行政机关依法行政', '保护公民合法权益', '替代刑事审判'], 'D'],
      ['single', 3, '小微企业法律服务工作站主要提供？', ['公益法律服务', '商业贷款', '税务代理', '工商注册代办'], 'A'],
      ['multiple', 2, '“1155”工程要求每个嘎查村做到？', ['培养1名法律明白人', '培养1名法治带头人', '开展1次法治课', '建成1个公共法律服务室'], ['A', 'B', 'C', 'D']],
      ['multiple', 2, '便民利民举措包括？', ['减证便民', '一窗通办', '延时服务', '增加收费'], ['A', 'B', 'C']],
      ['judge', 1, '证明事项告知承诺制可以减少群众跑腿。', [], true],
      ['judge', 1, '法治体检只面向国有企业。', [], false, '面向民营企业。'],
      ['judge', 2, '人民调解是化解矛盾纠纷的第一道防线。', [], true],
      ['blank', 1, '“1155”工程中，每名干部结对帮扶 1 个嘎查村，帮扶期限为＿＿年。', [], [['5', '五']]],
      ['essay', 2, '谈谈你在“我为群众办实事”实践活动中的做法和体会。', [], '要点：结合本职，聚焦群众急难愁盼……'],
    ],
  },
];

const PASS = 600; // tenths: 60 of 100

export async function seedDemoExams(trx: Trx, now: string, campaignId = 'campaign-1', seed = 20210420) {
  const r = prng(seed);
  const people = await trx
    .selectFrom('person')
    .select(['person.id', 'person.org_unit_id'])
    .where('person.status', '=', 'active')
    .orderBy('person.sort_key')
    .orderBy('person.id')
    .execute();
  const root = await trx.selectFrom('org_unit').select(['id']).where('parent_id', 'is', null).orderBy('sort').executeTakeFirstOrThrow();
  // Each person's steadiness: some always do well, some less so (the pass rate is not 100%).
  const skill = new Map(people.map((p) => [p.id, 0.55 + r.next() * 0.43]));
  let attempts = 0;
  let questions = 0;
  const exams: ExamTable[] = [];

  for (const t of TOPICS) {
    const topic: StudyTopicTable = {
      id: newId(), campaign_id: campaignId, title: t.title, description: t.description, starts_on: t.startsOn, ends_on: t.endsOn,
      online_weight: 40, offline_weight: 60, pass_score: 60, created_by: null, created_at: now, updated_at: now,
    };
    await trx.insertInto('study_topic').values(topic).execute();
    const bank: QuestionTable[] = t.bank.map(([type, difficulty, stem, options, answer, explanation]) => ({
      id: newId(), topic_id: topic.id, type, difficulty, stem, options: JSON.stringify(options.map((text, i) => ({ key: 'ABCDEFGH'[i]!, text }))),
      answer: JSON.stringify(answer), explanation: explanation ?? null, status: 'active', created_by: null, created_at: now, updated_at: now,
    }));
    await trx.insertInto('question').values(bank).execute();
    questions += bank.length;
    const parsed = new Map(bank.map((q) => [q.id, { ...q, answer: JSON.parse(q.answer) as unknown, opts: (JSON.parse(q.options) as { key: string }[]).map((o) => o.key) }]));

    const rules: DrawRule[] = [
      { type: 'single', count: 5, points: 100 },
      { type: 'multiple', count: 2, points: 100 },
      { type: 'judge', count: 2, points: 100 },
      { type: 'blank', count: 1, points: 100 },
    ];
    const opens = `${t.examDay}T01:00:00.000Z`; // 09:00 in Shanghai
    const online: ExamTable = {
      id: newId(), topic_id: topic.id, kind: 'online_objective', title: `${t.title.split('：')[0]}线上测试`, org_unit_id: root.id, opens_at: opens,
      closes_at: `${t.examDay}T10:00:00.000Z`, duration_minutes: 30, full_score: 1000, pass_score: PASS, paper_mode: 'random', rules: JSON.stringify(rules),
      shuffle_questions: 1, shuffle_options: 1, status: 'published', expected_count: people.length, created_by: null, created_at: now, updated_at: now,
    };
    const offline: ExamTable = {
      ...online, id: newId(), kind: 'offline_subjective', title: `${t.title.split('：')[0]}线下主观题考试`, opens_at: `${t.examDay}T06:00:00.000Z`,
      closes_at: `${t.examDay}T08:00:00.000Z`, duration_minutes: null, paper_mode: null, rules: '[]', shuffle_questions: 0, shuffle_options: 0,
    };
    exams.push(online, offline);
    await trx.insertInto('exam').values([online, offline]).execute();
    await trx.insertInto('exam_target').values([online, offline].map((e) => ({ exam_id: e.id, kind: 'unit' as const, target_id: root.id }))).execute();

    const rows: ExamAttemptTable[] = [];
    const wrongs: WrongAnswerTable[] = [];
    const bankEntries = bank.map((q) => ({ id: q.id, type: q.type, difficulty: q.difficulty }));
    const rand = (k: number) => Math.floor(r.next() * k);
    for (const p of people) {
      const s = skill.get(p.id)!;
      // A few missed the online test (on duty, on leave).
      if (r.next() < 0.015) continue;
      const paper = drawRandom(rules, bankEntries, rand).map((e) => {
        const q = parsed.get(e.q)!;
        return q.type === 'single' || q.type === 'multiple' ? { ...e, opts: shuffle(q.opts, rand) } : e;
      });
      const answers: Record<string, Answer> = {};
      const marks: Record<string, number> = {};
      let score = 0;
      for (const e of paper) {
        const q = parsed.get(e.q)!;
        const right = r.next() < s;
        let a: Answer;
        if (q.type === 'single') a = right ? (q.answer as string) : q.opts.find((o) => o !== q.answer)!;
        else if (q.type === 'multiple') a = right ? (q.answer as string[]) : (q.answer as string[]).slice(0, 1);
        else if (q.type === 'judge') a = right ? (q.answer as boolean) : !(q.answer as boolean);
        else a = right ? (q.answer as string[][]).map((alts) => alts[0]!) : (q.answer as string[][]).map(() => '不会');
        answers[e.q] = a;
        const m = gradeAnswer({ id: q.id, type: q.type, answer: q.answer }, a, e.points)!;
        marks[e.q] = m;
        score += m;
        if (m < e.points) wrongs.push({ person_id: p.id, question_id: e.q, exam_id: online.id, answer: JSON.stringify(a), times: 1, last_at: online.closes_at });
      }
      const started = new Date(Date.parse(opens) + r.int(0, 300) * 60_000);
      const submitted = new Date(started.getTime() + r.int(8, 29) * 60_000);
      rows.push({
        id: newId(), exam_id: online.id, person_id: p.id, org_unit_id: p.org_unit_id, paper: JSON.stringify(paper), answers: JSON.stringify(answers), marks: JSON.stringify(marks),
        started_at: started.toISOString(), deadline_at: new Date(Math.min(started.getTime() + 30 * 60_000, Date.parse(online.closes_at))).toISOString(),
        saved_at: submitted.toISOString(), submitted_at: submitted.toISOString(), status: 'graded', auto_score: score, score, passed: score >= PASS ? 1 : 0,
        tab_switches: r.next() < 0.9 ? 0 : r.int(1, 4), graded_by: null, graded_at: submitted.toISOString(), version: 3, updated_at: submitted.toISOString(),
      });
    }
    for (const p of people) {
      if (r.next() < 0.01) continue;
      const s = skill.get(p.id)!;
      const score = Math.min(1000, Math.round((s * 100 + (r.next() - 0.4) * 20) * 2) * 5); // half points
      rows.push({
        id: newId(), exam_id: offline.id, person_id: p.id, org_unit_id: p.org_unit_id, paper: '[]', answers: '{}', marks: '{}', started_at: null, deadline_at: null,
        saved_at: null, submitted_at: offline.closes_at, status: 'graded', auto_score: 0, score, passed: score >= PASS ? 1 : 0, tab_switches: 0, graded_by: null,
        graded_at: offline.closes_at, version: 0, updated_at: offline.closes_at,
      });
    }
    for (let i = 0; i < rows.length; i += 100) await trx.insertInto('exam_attempt').values(rows.slice(i, i + 100)).execute();
    // The exams' counters, as the commands keep them.
    for (const e of [online, offline]) {
      const mine = rows.filter((x) => x.exam_id === e.id);
      await trx
        .updateTable('exam')
        .set({
          attempts_count: mine.length, submitted_count: mine.length, graded_count: mine.length, passed_count: mine.filter((x) => x.passed === 1).length,
          score_total: mine.reduce((t, x) => t + (x.score ?? 0), 0),
        })
        .where('id', '=', e.id)
        .execute();
    }
    // One row per person and question: a question missed twice (two papers drew it) counts twice.
    const merged = new Map<string, WrongAnswerTable>();
    for (const w of wrongs) {
      const k = `${w.person_id}/${w.question_id}`;
      const had = merged.get(k);
      merged.set(k, had ? { ...w, times: had.times + 1 } : w);
    }
    const wrongRows = [...merged.values()];
    for (let i = 0; i < wrongRows.length; i += 200) await trx.insertInto('wrong_answer').values(wrongRows.slice(i, i + 200)).execute();
    attempts += rows.length;
  }

  // A self-test open for a year from seeding, on the first topic's bank: the demo's officer can take it.
  const first = await trx.selectFrom('study_topic').select('id').where('campaign_id', '=', campaignId).orderBy('starts_on').executeTakeFirstOrThrow();
  const openRules: DrawRule[] = [
    { type: 'single', count: 4, points: 150 },
    { type: 'multiple', count: 2, points: 100 },
    { type: 'judge', count: 2, points: 100 },
  ];
  const selfTest: ExamTable = {
    id: newId(), topic_id: first.id, kind: 'online_objective', title: '党史知识常态化自测', org_unit_id: root.id, opens_at: now,
    closes_at: new Date(Date.parse(now) + 365 * 86_400_000).toISOString(), duration_minutes: 20, full_score: 1000, pass_score: PASS, paper_mode: 'random',
    rules: JSON.stringify(openRules), shuffle_questions: 1, shuffle_options: 1, status: 'published', expected_count: people.length, created_by: null, created_at: now, updated_at: now,
  };
  await trx.insertInto('exam').values(selfTest).execute();
  await trx.insertInto('exam_target').values({ exam_id: selfTest.id, kind: 'unit', target_id: root.id }).execute();
  exams.push(selfTest);
  return { studyTopics: TOPICS.length, questions, exams: exams.length, examAttempts: attempts };
}
