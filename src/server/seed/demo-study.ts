import type { Ctx, Trx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import type {
  CommendationTable, StudyActivityTable, StudyAttendanceTable, StudyReviewTable, StudySeriesTable, StudyShareLikeTable, StudyShareTable,
  StudyTargetTable, SupervisionVisitTable,
} from '../db/types.js';
import { addDays, isWorkday, loadCalendar } from '../platform/workdays.js';
import { newCheckinSecret } from '../modules/study/checkin.js';
import { prng } from './demo.js';

// The demo campaign's "九学" season (2021-03 to 2021-07): activities in all nine modes — the
// mobilisation meeting, the “七一” medal ceremony and the centenary celebration followed by everyone
// with 观评 written afterwards, lectures, expert readings, branch secretaries' sessions, a reading
// class and films, a morning 10-minute sharing series with a speaker rota at 红山区司法局, roving
// supervision sessions and assessments — with attendance for all 835 people, shares with plays and
// likes, supervision visits to most party organisations (a few follow-ups still open), and the
// commendations the account names. Deterministic (seeded draws); check-in secrets are random.

const CAMPAIGN = 'campaign-1';

const REVIEWS = [
  '收看后深受触动，要把党史学习教育成果转化为做好司法行政工作的实际行动，坚持司法为民。',
  '通过观看大会直播，进一步坚定了理想信念，要以先进典型为榜样，立足岗位办实事、解难题。',
  '勋章获得者的事迹感人至深，作为一名基层司法所干警，要扎根基层，把群众的事当作自己的事。',
  '重温党的百年奋斗历程，更加深刻认识到初心使命，今后要在矛盾纠纷化解中践行群众路线。',
  '学习了总书记重要讲话精神，要对照教育整顿要求查摆自身问题，做到忠诚干净担当。',
  '观看后感触很深，要把学习成果体现在规范执法、优化法律服务上，让群众有更多获得感。',
];
const SHARE_TEXTS: [string, string, string][] = [
  ['red_story', '红色故事：“半条被子”', '三位女红军借宿徐解秀老人家，临走时把仅有的一条被子剪下一半留给老人。共产党人就是自己只有一条被子，也要剪下半条给老百姓。'],
  ['red_story', '红色故事：八女投江', '1938 年，东北抗联八名女战士为掩护大部队突围，背水作战，弹尽后宁死不屈，投入乌斯浑河。'],
  ['red_story', '红色故事：焦裕禄的藤椅', '焦裕禄肝病发作时用硬物顶住肝部，藤椅右边被顶出一个大窟窿。他心里装着全体人民，唯独没有他自己。'],
  ['feeling', '学党史——这些事我感触最深', '读到“为有牺牲多壮志，敢教日月换新天”，我想到调解室里一次次耐心的劝解：为民办实事，就在一件件小事里。'],
  ['feeling', '学史明理：人民立场是根本立场', '学习党史让我更明白，司法行政工作的出发点和落脚点都是群众满意，这也是教育整顿的目的。'],
  ['feeling', '读《中国共产党简史》有感', '一百年来党始终把人民放在心中最高位置。作为社区矫正工作者，要严格执法，也要用心帮扶。'],
  ['reading', '原文领读：《论中国共产党历史》选段', '本期领读《论中国共产党历史》选段，约 8 分钟，欢迎跟读。'],
  ['reading', '原文领读：《毛泽东 邓小平 江泽民 胡锦涛关于中国共产党历史论述摘编》', '本期领读论述摘编第一部分，约 10 分钟。'],
  ['reading', '原文领读：《中国共产党简史》第一章', '本期领读《中国共产党简史》第一章“中国共产党的创建和投身大革命的洪流”。'],
  ['other', '分享：赤峰革命历史纪念地寻访', '周末带孩子参观了当地革命历史纪念馆，听讲解员讲述抗战时期热河地区的革命斗争，很受教育。'],
];
const FINDINGS = [
  '学习笔记记录较为简单，个别党员自学时间不足，学习心得联系工作实际不够。',
  '支部学习计划执行较好，但专题研讨发言准备不充分，存在照本宣科现象。',
  '学习资料配发齐全，学习记录规范；个别干警对应知应会内容掌握不牢。',
  '“三会一课”与党史学习教育结合较好，但学习成果转化为为民办实事的举措不够具体。',
];

/** A short silent MP3 (MPEG-1 Layer III, 128 kbit/s, 44.1 kHz frames of zeros): the audio readings' placeholder. */
function silentMp3(frames = 40): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`).toISOString();
const plusMinutes = (iso: string, m: number) => new Date(Date.parse(iso) + m * 60_000).toISOString();

export async function seedDemoStudy(trx: Trx, ctx: Ctx, now: string) {
  const r = prng(20210315);
  const units = await trx.selectFrom('org_unit').select(['id', 'code', 'name', 'path', 'kind', 'parent_id']).orderBy('path').execute();
  const people = await trx
    .selectFrom('person')
    .select(['id', 'name', 'org_unit_id', 'sort_key', 'party_org_id', 'post'])
    .where('status', '=', 'active')
    .orderBy('sort_key')
    .orderBy('name')
    .orderBy('id')
    .execute();
  const parties = await trx.selectFrom('party_org').select(['id', 'name', 'org_unit_id', 'kind', 'path']).orderBy('path').execute();
  const city = units.find((u) => u.parent_id === null)!;
  const counties = units.filter((u) => u.kind === 'county_bureau');
  const byCode = (code: string) => units.find((u) => u.code === code)!;
  const under = (path: string) => people.filter((p) => (p.sort_key ?? '').startsWith(path));
  const headOf = (unitId: string) => people.find((p) => p.org_unit_id === unitId);

  const activities: StudyActivityTable[] = [];
  const targets: StudyTargetTable[] = [];
  const attendance: StudyAttendanceTable[] = [];
  const expectedOf = new Map<string, typeof people>();

  const add = (a: {
    mode: StudyActivityTable['mode']; title: string; day: string; time: string; minutes: number; unitId: string; targetUnits: string[];
    hours: number; speaker?: string | null; speakerPersonId?: string | null; place?: string; summary?: string; partyOrgId?: string | null;
    links?: { title: string; url: string; kind: string }[]; attend?: number; seriesId?: string | null;
  }) => {
    const id = newId();
    const startsAt = at(a.day, a.time);
    const expected = [...new Map(a.targetUnits.flatMap((u) => under(units.find((x) => x.id === u)!.path)).map((p) => [p.id, p])).values()];
    const came = expected.filter(() => r.next() < (a.attend ?? 0.93));
    const hoursTenths = Math.round(a.hours * 10);
    activities.push({
      id, campaign_id: CAMPAIGN, topic_id: null, series_id: a.seriesId ?? null, mode: a.mode, title: a.title, held_on: a.day, starts_at: startsAt,
      ends_at: plusMinutes(startsAt, a.minutes), place: a.place ?? null, org_unit_id: a.unitId, party_org_id: a.partyOrgId ?? null,
      speaker: a.speaker ?? null, speaker_person_id: a.speakerPersonId ?? null, summary: a.summary ?? null, links: JSON.stringify(a.links ?? []),
      hours_tenths: hoursTenths, checkin_secret: newCheckinSecret(), expected_count: expected.length, attended_count: came.length,
      created_by: null, created_at: now, updated_at: now,
    });
    for (const u of a.targetUnits) targets.push({ activity_id: id, kind: 'unit', target_id: u });
    for (const p of came) {
      // Most scanned the session's code within its first minutes; some were entered from the sign-in sheet.
      const qr = r.next() < 0.8;
      attendance.push({
        activity_id: id, person_id: p.id, method: qr ? 'qr' : 'list',
        checked_at: qr ? plusMinutes(startsAt, r.int(-12, 5)) : plusMinutes(startsAt, a.minutes + 30), held_on: a.day, hours_tenths: hoursTenths,
        recorded_by: null,
      });
    }
    expectedOf.set(id, expected);
    return id;
  };

  const all = [city.id];
  const xuexi = { title: '学习强国·党史学习教育专题', url: 'https://www.xuexi.cn/', kind: 'link' };
  const gov = { title: '共产党员网', url: 'https://www.12371.cn/', kind: 'link' };

  // 重要活动跟学: everyone follows the great occasions, then writes a 观评.
  const events = [
    add({ mode: 'event_follow', title: '全市政法队伍教育整顿动员大会', day: '2021-03-05', time: '09:00', minutes: 120, unitId: city.id, targetUnits: all, hours: 2, place: '各单位视频会议室', summary: '组织全体干警收听收看全市政法队伍教育整顿动员大会，会后开展观评。', attend: 0.96 }),
    add({ mode: 'event_follow', title: '收看“七一勋章”颁授仪式', day: '2021-06-29', time: '10:00', minutes: 90, unitId: city.id, targetUnits: all, hours: 1.5, place: '各单位会议室', summary: '组织全体人员收看“七一勋章”颁授仪式直播并进行观评。', links: [gov], attend: 0.94 }),
    add({ mode: 'event_follow', title: '收看庆祝中国共产党成立100周年大会', day: '2021-07-01', time: '08:00', minutes: 120, unitId: city.id, targetUnits: all, hours: 2, place: '各单位会议室', summary: '组织全体人员收看庆祝大会直播，学习总书记重要讲话精神，会后撰写观评。', links: [gov, xuexi], attend: 0.97 }),
  ];
  // 宣讲导学, 专家解读助学, 评价体系评学: city-wide; 读书班 and films for the city's departments and the counties.
  add({ mode: 'lecture', title: '市委宣讲团党史学习教育专题宣讲报告会', day: '2021-04-08', time: '14:30', minutes: 120, unitId: city.id, targetUnits: all, hours: 2, speaker: '市委宣讲团成员', place: '市司法局六楼会议室（各旗县区视频分会场）', attend: 0.9 });
  add({ mode: 'lecture', title: '局党组书记讲专题党课：学党史 悟思想 办实事 开新局', day: '2021-05-20', time: '15:00', minutes: 90, unitId: city.id, targetUnits: all, hours: 1.5, speaker: '市司法局党组书记', place: '市司法局六楼会议室（视频分会场）', attend: 0.92 });
  for (const [i, c] of counties.slice(0, 2).entries()) {
    const head = headOf(c.id);
    add({ mode: 'lecture', title: `${c.name}党史宣讲进司法所`, day: ['2021-04-22', '2021-05-13'][i]!, time: '09:30', minutes: 60, unitId: c.id, targetUnits: [c.id], hours: 1, speaker: head?.name ?? null, speakerPersonId: head?.id ?? null, place: `${c.name}会议室` });
  }
  add({ mode: 'expert', title: '专家解读《中国共产党简史》', day: '2021-03-25', time: '14:30', minutes: 120, unitId: city.id, targetUnits: all, hours: 2, speaker: '市委党校党史教研室教授', place: '视频会议', links: [xuexi], attend: 0.91 });
  add({ mode: 'expert', title: '专家解读《中华人民共和国民法典》与基层法治', day: '2021-05-27', time: '14:30', minutes: 120, unitId: city.id, targetUnits: all, hours: 2, speaker: '内蒙古大学法学院教授', place: '视频会议', attend: 0.89 });
  add({ mode: 'expert', title: '政法队伍教育整顿政策解读', day: '2021-03-17', time: '09:00', minutes: 90, unitId: city.id, targetUnits: units.filter((u) => u.kind === 'department').map((u) => u.id), hours: 1.5, speaker: '市教育整顿领导小组办公室', place: '市司法局六楼会议室' });
  const films: [string, string, string[]][] = [
    ['2021-04-15', '观看电视剧《觉醒年代》选集并研讨', units.filter((u) => u.kind === 'department').map((u) => u.id)],
    ['2021-05-07', '观看电影《建党伟业》并交流', counties.slice(0, 4).map((u) => u.id)],
    ['2021-06-10', '观看专题片《榜样5》并交流', counties.slice(4, 8).map((u) => u.id)],
  ];
  for (const [day, title, t] of films) add({ mode: 'reading_film', title, day, time: '14:30', minutes: 150, unitId: city.id, targetUnits: t, hours: 2.5, place: '各单位会议室' });
  add({ mode: 'reading_film', title: '党史学习教育读书班（集中学习 3 天）', day: '2021-04-19', time: '08:30', minutes: 3 * 24 * 60 - 60 * 15, unitId: city.id, targetUnits: units.filter((u) => u.kind === 'department').map((u) => u.id), hours: 16, place: '市委党校', summary: '局机关全体党员参加，集中学习《中国共产党简史》等指定书目，分组研讨。' });
  // 集中自学 and 支部书记领学 in the units and their branches.
  for (const [i, c] of counties.slice(0, 4).entries()) {
    add({ mode: 'self_study', title: `${c.name}党史学习教育集中自学`, day: addDays('2021-03-19', i * 7), time: '08:30', minutes: 120, unitId: c.id, targetUnits: [c.id], hours: 2, place: `${c.name}会议室` });
  }
  const branchOf = (unitId: string) => parties.find((p) => p.org_unit_id === unitId && p.kind === 'branch');
  for (const [i, c] of counties.slice(4, 8).entries()) {
    const branch = branchOf(c.id);
    const head = headOf(c.id);
    add({
      mode: 'secretary_led', title: `${branch?.name ?? c.name}书记领学《论中国共产党历史》`, day: addDays('2021-04-12', i * 7), time: '15:00', minutes: 90,
      unitId: c.id, targetUnits: [c.id], hours: 1.5, speaker: head?.name ?? null, speakerPersonId: head?.id ?? null, partyOrgId: branch?.id ?? null,
      place: `${c.name}党员活动室`,
    });
  }
  // 巡回指导督学: the supervising group's sessions in three counties.
  for (const [i, c] of counties.slice(8, 11).entries()) {
    add({ mode: 'supervision', title: `巡回指导组赴${c.name}督学并开展应知应会测试`, day: addDays('2021-05-11', i * 14), time: '09:00', minutes: 180, unitId: city.id, targetUnits: [c.id], hours: 1, speaker: '市司法局学习教育巡回指导组', place: `${c.name}` });
  }
  // 评价体系评学: one assessment per topic, city-wide.
  for (const [i, t] of ['第一专题学习效果测评（线上）', '第二专题学习效果测评（线上）', '第三专题学习效果测评（线上）'].entries()) {
    add({ mode: 'evaluation', title: t, day: ['2021-04-02', '2021-05-14', '2021-06-18'][i]!, time: '09:00', minutes: 60, unitId: city.id, targetUnits: all, hours: 1, place: '线上', attend: 0.95 });
  }
  // 分享促学: three open sharing sessions, and the morning 10-minute sharing at 红山区司法局 with a rota.
  for (const [i, day] of ['2021-03-30', '2021-04-27', '2021-06-22'].entries()) {
    const c = counties[9 + (i % 3)]!;
    const speaker = under(c.path)[2];
    add({ mode: 'sharing', title: `党员讲红色故事（第 ${i + 1} 场）`, day, time: '16:00', minutes: 60, unitId: c.id, targetUnits: [c.id], hours: 1, speaker: speaker?.name ?? null, speakerPersonId: speaker?.id ?? null, place: `${c.name}会议室` });
  }
  const hsq = byCode('HSQ');
  const cal = await loadCalendar(trx);
  const rota = under(hsq.path).filter((p) => p.org_unit_id === hsq.id).slice(0, 6);
  const series: StudySeriesTable = {
    id: newId(), campaign_id: CAMPAIGN, title: '学党史——这些事我感触最深（晨读前10分钟）', mode: 'sharing', org_unit_id: hsq.id, starts_on: '2021-05-10',
    ends_on: '2021-05-28', start_time: '08:20', minutes: 10, rota: JSON.stringify(rota.map((p) => p.id)), created_by: null, created_at: now,
  };
  let n = 0;
  for (let d = series.starts_on; d <= series.ends_on; d = addDays(d, 1)) {
    if (!isWorkday(d, cal)) continue;
    const speaker = rota[n % rota.length]!;
    n++;
    add({ mode: 'sharing', title: `${series.title}（第 ${n} 期）`, day: d, time: series.start_time, minutes: 10, unitId: hsq.id, targetUnits: [hsq.id], hours: 0.5, speaker: speaker.name, speakerPersonId: speaker.id, place: '红山区司法局会议室', seriesId: series.id, attend: 0.9 });
  }

  await trx.insertInto('study_series').values(series).execute();
  for (let i = 0; i < activities.length; i += 100) await trx.insertInto('study_activity').values(activities.slice(i, i + 100)).execute();
  for (let i = 0; i < targets.length; i += 500) await trx.insertInto('study_activity_target').values(targets.slice(i, i + 500)).execute();
  for (let i = 0; i < attendance.length; i += 500) await trx.insertInto('study_attendance').values(attendance.slice(i, i + 500)).execute();

  // 观评 after the great occasions, by some who attended.
  const reviews: StudyReviewTable[] = [];
  const attendedAt = new Map<string, Set<string>>();
  for (const a of attendance) (attendedAt.get(a.activity_id) ?? attendedAt.set(a.activity_id, new Set()).get(a.activity_id)!).add(a.person_id);
  for (const [k, id] of events.entries()) {
    const act = activities.find((a) => a.id === id)!;
    const writers = (expectedOf.get(id) ?? []).filter((p) => attendedAt.get(id)?.has(p.id) && r.next() < 0.03);
    for (const [j, p] of writers.entries()) {
      const submitted = plusMinutes(act.ends_at, 60 * (2 + j));
      reviews.push({
        id: newId(), activity_id: id, person_id: p.id, org_unit_id: p.org_unit_id, body: REVIEWS[(k + j) % REVIEWS.length]!, submitted_at: submitted,
        updated_at: submitted,
      });
    }
  }
  for (let i = 0; i < reviews.length; i += 200) await trx.insertInto('study_review').values(reviews.slice(i, i + 200)).execute();

  // 分享促学: text shares and the audio readings (a silent placeholder clip stands in for the recording).
  const audioHash = await ctx.files.put(silentMp3());
  const shares: StudyShareTable[] = [];
  const likes: StudyShareLikeTable[] = [];
  const attachments: { id: string; content_hash: string; size: number; mime: string; original_name: string; uploaded_by: null; owner_type: string; owner_id: string; created_at: string }[] = [];
  for (let i = 0; i < 24; i++) {
    const [category, title, body] = SHARE_TEXTS[i % SHARE_TEXTS.length]!;
    const day = addDays('2021-03-08', i * 5);
    const author = people[r.int(0, people.length - 1)]!;
    const publishedAt = at(day, `${String(7 + (i % 3)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}`);
    const id = newId();
    const audio = category === 'reading';
    let audioFileId: string | null = null;
    if (audio) {
      audioFileId = newId();
      attachments.push({
        id: audioFileId, content_hash: audioHash, size: silentMp3().length, mime: 'audio/mpeg', original_name: `原文领读-${i + 1}.mp3`, uploaded_by: null,
        owner_type: 'study_share', owner_id: id, created_at: publishedAt,
      });
    }
    const likers = [...new Set(Array.from({ length: r.int(0, 18) }, () => people[r.int(0, people.length - 1)]!.id))];
    for (const p of likers) likes.push({ share_id: id, person_id: p, at: plusMinutes(publishedAt, r.int(5, 600)) });
    shares.push({
      id, campaign_id: CAMPAIGN, kind: audio ? 'audio' : 'text', category: category as StudyShareTable['category'],
      title: i < SHARE_TEXTS.length ? title : `${title}（${Math.floor(i / SHARE_TEXTS.length) + 1}）`, body, audio_file_id: audioFileId,
      author_person_id: author.id, org_unit_id: author.org_unit_id, published_on: day, published_at: publishedAt,
      status: i === 13 ? 'hidden' : 'published', plays: likers.length * 3 + r.int(5, 60), likes: likers.length, created_by: null,
      updated_at: publishedAt,
    });
  }
  if (attachments.length) await trx.insertInto('attachment').values(attachments).execute();
  await trx.insertInto('study_share').values(shares).execute();
  for (let i = 0; i < likes.length; i += 500) await trx.insertInto('study_share_like').values(likes.slice(i, i + 500)).execute();

  // 巡回指导: most party organisations visited once; some asked to follow up, four of them still open.
  const visits: SupervisionVisitTable[] = [];
  let open = 0;
  for (const [i, p] of parties.entries()) {
    if (!p.org_unit_id || i % 7 === 3) continue; // about one in seven not yet visited
    const visitedOn = addDays('2021-04-06', (i * 3) % 75);
    const withFollowUp = i % 3 === 0;
    const stillOpen = withFollowUp && open < 4 && i % 2 === 0;
    if (stillOpen) open++;
    visits.push({
      id: newId(), campaign_id: CAMPAIGN, party_org_id: p.id, org_unit_id: p.org_unit_id, visited_on: visitedOn,
      team: `市司法局学习教育巡回指导第${['一', '二', '三'][i % 3]}组`, findings: FINDINGS[i % FINDINGS.length]!,
      follow_up: withFollowUp ? '完善学习记录，补齐个人自学笔记，下月组织一次专题研讨。' : null,
      follow_up_due: withFollowUp ? addDays(visitedOn, 30) : null,
      follow_up_done_on: withFollowUp && !stillOpen ? addDays(visitedOn, 20) : null,
      follow_up_result: withFollowUp && !stillOpen ? '已补齐学习笔记，召开专题研讨会一次。' : null,
      created_by: null, created_at: now, updated_at: now,
    });
  }
  for (let i = 0; i < visits.length; i += 200) await trx.insertInto('supervision_visit').values(visits.slice(i, i + 200)).execute();

  // 选树典型: the account's two 先进基层党组织 (2021 “七一”), and model people from the grass roots.
  const organ = parties.find((p) => p.name === '中共赤峰市司法局机关委员会');
  const lawyers = parties.find((p) => p.name === '中共赤峰市律师行业委员会');
  const commendations: CommendationTable[] = [];
  const commend = (c: Omit<CommendationTable, 'id' | 'campaign_id' | 'created_by' | 'created_at'>) =>
    commendations.push({ id: newId(), campaign_id: CAMPAIGN, created_by: null, created_at: now, ...c });
  if (organ?.org_unit_id) {
    commend({ kind: 'party_org', party_org_id: organ.id, person_id: null, org_unit_id: organ.org_unit_id, title: '先进基层党组织', conferred_by: '中共赤峰市委', conferred_on: '2021-06-30', reason: '以“九学”模式系统推进党史学习教育，与政法队伍教育整顿紧密结合，成效显著。' });
  }
  if (lawyers?.org_unit_id) {
    commend({ kind: 'party_org', party_org_id: lawyers.id, person_id: null, org_unit_id: lawyers.org_unit_id, title: '先进基层党组织', conferred_by: '中共赤峰市直属机关工作委员会', conferred_on: '2021-06-30', reason: '加强律师行业党建，组织律师党员开展党史学习教育和公益法律服务。' });
  }
  const grassroots = people.filter((p) => units.find((u) => u.id === p.org_unit_id)?.kind === 'office');
  for (const [i, title] of ['优秀共产党员', '优秀共产党员', '优秀党务工作者', '优秀共产党员'].entries()) {
    const p = grassroots[(i * 97 + 13) % grassroots.length]!;
    commend({ kind: 'person', party_org_id: null, person_id: p.id, org_unit_id: p.org_unit_id, title, conferred_by: '中共赤峰市司法局党组', conferred_on: '2021-06-28', reason: '扎根基层司法所，化解矛盾纠纷、帮扶社区矫正对象成绩突出，作先进事迹报告。' });
  }
  await trx.insertInto('commendation').values(commendations).execute();

  return {
    studyActivities: activities.length, studyAttendances: attendance.length, studyReviews: reviews.length, studyShares: shares.length,
    supervisionVisits: visits.length, commendations: commendations.length,
  };
}
