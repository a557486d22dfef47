import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { collectStats } from '../../src/server/platform/stats.js';
import '../../src/server/modules/figures.js';

// 开门纳谏 statistics: counts by category, channel, status and unit; 按期办结率 and 满意率 per unit;
// and the headline figures (`stats --json`). A known set of opinions is built in a campaign of its
// own, so the exact figures do not depend on what the demo holds; the whole-bureau figures are
// checked as differences and against each other.

type Stats = {
  total: number;
  byCategory: { code: string | null; label: string; count: number }[];
  byChannel: { code: string; label: string; count: number }[];
  byStatus: { code: string; label: string; count: number }[];
  byUnit: {
    unitId: string | null; unitName: string; total: number; replied: number; due: number; onTime: number; overdue: number;
    onTimeRate: number | null; rated: number; satisfied: number; satisfactionRate: number | null;
  }[];
  onTimeReplyRate: number | null;
  satisfactionRate: number | null;
  adoptedIntoLedger: number;
};
type Headline = {
  total: number; byCategory: Record<string, number>; byChannel: Record<string, number>; adoptedIntoLedger: number;
  onTimeReplyRate: number | null; satisfactionRate: number | null;
};

const byCode = <T extends { code: string | null; count: number }>(rows: T[]) =>
  Object.fromEntries(rows.filter((r) => r.count > 0).map((r) => [r.code ?? 'none', r.count]));

describe.each(targets())('opinion statistics on %s', (target) => {
  let s: TestServer;
  const clock = movableClock(new Date('2026-11-02T02:00:00Z')); // Monday 10:00 in Beijing; no holidays this month
  let campaignId: string;
  let hsq: string;
  let ncx: string;
  let baseline: Headline;
  const o: Record<string, { id: string; receiptCode: string }> = {};

  const as = (u: string) => s.as(u); // sessions idle out when the clock jumps: log in afresh
  const headline = async () => (await collectStats(systemCtx(s.deps), ['opinions'])).opinions as Headline;

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    hsq = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow()).id;
    ncx = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'NCX').executeTakeFirstOrThrow()).id;
    baseline = await headline();

    let office: Client = await as('office');
    let unitadmin: Client;
    const c = await office.post('/api/campaigns', { name: '统计测试批次', batch: 97, startDate: '2026-11-01', endDate: '2026-12-31', status: 'planned' });
    expect(c.status).toBe(201);
    campaignId = c.body.id;

    const enter = async (key: string, channel: string, category: string | null) => {
      const r = await office.post('/api/opinions', {
        channel, category, content: `统计用意见${key}：关于${category ?? '未分类'}的建议`, identity: 'anonymous', campaignId,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      o[key] = r.body;
    };
    const ok = async (p: Promise<{ status: number; body: unknown }>, status = 200) => {
      const r = await p;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
    };

    // t0, Monday 10:00: eleven opinions come in and are sorted.
    await enter('o1', 'window_card', 'notary_service');
    await enter('o2', 'hotline', 'notary_service');
    await enter('o3', 'hotline', 'lawyer_management');
    await enter('o4', 'field_visit', 'lawyer_management');
    await enter('o5', 'suggestion_box', 'people_mediation');
    await enter('o6', 'symposium', 'people_mediation');
    await enter('o7', 'window_card', null);
    await enter('o8', 'hotline', null);
    await enter('o9', 'window_card', 'notary_service');
    await enter('o10', 'questionnaire', 'other');
    await enter('o11', 'field_visit', 'legal_publicity');
    for (const k of ['o1', 'o2', 'o3', 'o4', 'o11']) await ok(office.post(`/api/opinions/${o[k]!.id}/assign`, { unitId: hsq, workdays: 2 }));
    await ok(office.post(`/api/opinions/${o.o5!.id}/assign`, { unitId: ncx, workdays: 2 }));
    await ok(office.post(`/api/opinions/${o.o6!.id}/assign`, { unitId: ncx, workdays: 10 }));
    await ok(office.post(`/api/opinions/${o.o8!.id}/reject`, { reason: '不属于司法行政职责' }));
    await ok(office.post(`/api/opinions/${o.o9!.id}/merge`, { intoId: o.o1!.id }));
    await ok(office.post(`/api/opinions/${o.o1!.id}/adopt`, { target: 'ledger', title: '整治一' }), 201);
    await ok(office.post(`/api/opinions/${o.o1!.id}/adopt`, { target: 'project', title: '项目一' }), 201);
    await ok(office.post(`/api/opinions/${o.o3!.id}/adopt`, { target: 'ledger', title: '整治三' }), 201);
    await ok(office.post(`/api/opinions/${o.o5!.id}/adopt`, { target: 'project', title: '项目五' }), 201);

    // t1, Tuesday: answers within the deadline (Wednesday 23:59:59).
    clock.set(new Date('2026-11-03T02:00:00Z'));
    office = await as('office');
    unitadmin = await as('unitadmin');
    await ok(unitadmin.post(`/api/opinions/${o.o1!.id}/reply`, { reply: '已办理' }));
    await ok(unitadmin.post(`/api/opinions/${o.o3!.id}/reply`, { reply: '已办理' }));
    await ok(office.post(`/api/opinions/${o.o5!.id}/reply`, { reply: '已办理' }));
    await ok(office.post(`/api/opinions/${o.o10!.id}/reply`, { reply: '整顿办直接答复' })); // never assigned: no deadline

    // The last second of the deadline still counts as on time.
    clock.set(new Date('2026-11-04T15:59:59.000Z'));
    unitadmin = await as('unitadmin');
    await ok(unitadmin.post(`/api/opinions/${o.o11!.id}/reply`, { reply: '最后一秒答复' }));

    // t3, Thursday 10:00: one late answer; o4 is still open past its deadline.
    clock.set(new Date('2026-11-05T02:00:00Z'));
    unitadmin = await as('unitadmin');
    await ok(unitadmin.post(`/api/opinions/${o.o2!.id}/reply`, { reply: '迟到的答复' }));

    // The public rates: 5, 2, 4 (HSQ), 4 (NCX), 5 (unassigned); 1 on the merged one (outside the rates).
    const pub = s.client();
    for (const [k, score] of [['o1', 5], ['o2', 2], ['o11', 4], ['o5', 4], ['o10', 5], ['o9', 1]] as const) {
      await ok(pub.post(`/api/public/opinions/${o[k]!.receiptCode}/rating`, { score }));
    }
  });
  afterAll(async () => s?.close());

  it('counts by category, channel and status, exactly', async () => {
    const office = await as('office');
    const r = await office.get(`/api/opinions/stats?campaignId=${campaignId}`);
    expect(r.status).toBe(200);
    const st = r.body as Stats;
    expect(st.total).toBe(11);
    expect(byCode(st.byCategory)).toEqual({
      notary_service: 3, lawyer_management: 2, people_mediation: 2, other: 1, legal_publicity: 1, none: 2,
    });
    // All twelve categories are listed (zeros too), then the unsorted ones.
    expect(st.byCategory).toHaveLength(13);
    expect(st.byCategory.at(-1)).toEqual({ code: null, label: '未分类', count: 2 });
    expect(st.byCategory.find((c) => c.code === 'notary_service')!.label).toBe('公证服务');
    expect(byCode(st.byChannel)).toEqual({ window_card: 3, hotline: 3, field_visit: 2, suggestion_box: 1, symposium: 1, questionnaire: 1 });
    expect(st.byChannel.find((c) => c.code === 'portal')).toEqual({ code: 'portal', label: '门户网站', count: 0 });
    expect(byCode(st.byStatus)).toEqual({ received: 1, assigned: 2, replied: 6, rejected: 1, merged: 1 });
    expect(st.adoptedIntoLedger).toBe(2);
  });

  it('on-time and satisfaction rates per unit and overall, exactly', async () => {
    const office = await as('office');
    const st = (await office.get(`/api/opinions/stats?campaignId=${campaignId}`)).body as Stats;
    // Merged and rejected opinions are outside the per-unit rows.
    expect(st.byUnit).toHaveLength(3);
    expect(st.byUnit[0]).toEqual({
      unitId: hsq, unitName: '红山区司法局', total: 5, replied: 4, due: 5, onTime: 3, overdue: 1,
      onTimeRate: 0.6, rated: 3, satisfied: 2, satisfactionRate: 0.6667,
    });
    expect(st.byUnit.find((u) => u.unitId === ncx)).toEqual({
      unitId: ncx, unitName: '宁城县司法局', total: 2, replied: 1, due: 1, onTime: 1, overdue: 0,
      onTimeRate: 1, rated: 1, satisfied: 1, satisfactionRate: 1,
    });
    expect(st.byUnit.find((u) => u.unitId === null)).toEqual({
      unitId: null, unitName: '（未分办）', total: 2, replied: 1, due: 0, onTime: 0, overdue: 0,
      onTimeRate: null, rated: 1, satisfied: 1, satisfactionRate: 1,
    });
    // 4 of 6 due answered on time; 4 of 5 rated answers satisfied (the merged one's 1 star is outside).
    expect(st.onTimeReplyRate).toBe(0.6667);
    expect(st.satisfactionRate).toBe(0.8);
  });

  it('the unit admin counts only what is assigned to 红山区', async () => {
    const ua = await as('unitadmin');
    const r = await ua.get(`/api/opinions/stats?campaignId=${campaignId}`);
    expect(r.status).toBe(200);
    const st = r.body as Stats;
    expect(st.total).toBe(5);
    expect(byCode(st.byCategory)).toEqual({ notary_service: 2, lawyer_management: 2, legal_publicity: 1 });
    expect(byCode(st.byStatus)).toEqual({ replied: 4, assigned: 1 });
    expect(st.byUnit.map((u) => u.unitId)).toEqual([hsq]);
    expect(st.onTimeReplyRate).toBe(0.6);
    expect(st.satisfactionRate).toBe(0.6667);
    expect(st.adoptedIntoLedger).toBe(2);
    // Over the whole bureau too, nothing outside 红山区 is counted.
    const all = (await ua.get('/api/opinions/stats')).body as Stats;
    const hsqPath = (await s.deps.db.selectFrom('org_unit').select('path').where('id', '=', hsq).executeTakeFirstOrThrow()).path;
    const below = new Set(
      (await s.deps.db.selectFrom('org_unit').select(['id', 'path']).execute()).filter((u) => u.path.startsWith(hsqPath)).map((u) => u.id),
    );
    expect(all.byUnit.length).toBeGreaterThan(0);
    for (const u of all.byUnit) expect(below.has(u.unitId!), u.unitName).toBe(true);
    expect(below.has(ncx)).toBe(false);
    expect((await (await as('officer')).get('/api/opinions/stats')).status).toBe(403);
  });

  it('the headline figures agree with the statistics page', async () => {
    const office = await as('office');
    const whole = (await office.get('/api/opinions/stats')).body as Stats;
    const h = await headline();
    expect(h.total).toBe(whole.total);
    expect(h.total - baseline.total).toBe(11);
    // Chinese label → count, as the campaign account quotes them.
    expect(h.byCategory).toEqual(
      Object.fromEntries(whole.byCategory.filter((c) => c.code !== null || c.count > 0).map((c) => [c.label, c.count])),
    );
    const delta = (k: string) => (h.byCategory[k] ?? 0) - (baseline.byCategory[k] ?? 0);
    expect([delta('公证服务'), delta('律师管理'), delta('人民调解'), delta('其他'), delta('普法宣传'), delta('未分类'), delta('社区矫正')]).toEqual([3, 2, 2, 1, 1, 2, 0]);
    const dch = (k: string) => (h.byChannel[k] ?? 0) - (baseline.byChannel[k] ?? 0);
    expect([dch('征求意见卡'), dch('电话'), dch('走访调研'), dch('意见箱'), dch('座谈会'), dch('调查问卷'), dch('门户网站')]).toEqual([3, 3, 2, 1, 1, 1, 0]);
    expect(Object.keys(h.byChannel)).toHaveLength(9);
    expect(h.adoptedIntoLedger - baseline.adoptedIntoLedger).toBe(2);
    expect(h.onTimeReplyRate).toBe(whole.onTimeReplyRate);
    expect(h.satisfactionRate).toBe(whole.satisfactionRate);
    for (const rate of [h.onTimeReplyRate, h.satisfactionRate]) {
      expect(rate).not.toBeNull();
      expect(rate!).toBeGreaterThanOrEqual(0);
      expect(rate!).toBeLessThanOrEqual(1);
      expect(Math.round(rate! * 10000) / 10000).toBe(rate);
    }
    // Where the demo holds no opinions of its own, the whole bureau is exactly this campaign.
    if (baseline.total === 0) {
      expect(h.onTimeReplyRate).toBe(0.6667);
      expect(h.satisfactionRate).toBe(0.8);
    }
  });

  it('an unknown campaign counts nothing', async () => {
    const office = await as('office');
    const st = (await office.get('/api/opinions/stats?campaignId=no-such-campaign')).body as Stats;
    expect(st.total).toBe(0);
    expect(st.byUnit).toEqual([]);
    expect(st.onTimeReplyRate).toBeNull();
    expect(st.satisfactionRate).toBeNull();
    expect(st.adoptedIntoLedger).toBe(0);
  });

  it('every headline figure has one Chinese name, from the registry, for every page that shows it', async () => {
    const officer = await as('officer');
    const r = await officer.get('/api/stats/labels');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      'opinions.total': '意见建议总数',
      'opinions.adoptedIntoLedger': '纳入整治台账',
      'opinions.onTimeReplyRate': '按期办结率',
      'opinions.satisfactionRate': '满意率',
      'people.total': '干警总数',
      'ledger.total': '整治事项总数',
      'ledger.overdue': '已逾期',
    });
    // Every figure /api/stats answers is named (the nested breakdowns by their parent).
    const stats = (await (await as('office')).get('/api/stats')).body;
    const unnamed: string[] = [];
    const walk = (v: unknown, key: string) => {
      if (!(key in r.body)) unnamed.push(key);
      // Breakdowns keyed by their Chinese labels already name themselves.
      // A list of records (talks.rounds: [{round, covered, total}]) is named as a whole.
      if (v && typeof v === 'object' && !Array.isArray(v) && !/\.(byCategory|byChannel|byStatus)$/.test(key)) {
        for (const [k, x] of Object.entries(v)) walk(x, `${key}.${k}`);
      }
    };
    for (const [k, v] of Object.entries(stats)) walk(v, k);
    expect(unnamed).toEqual([]);
    expect((await s.client().get('/api/stats/labels')).status).toBe(401);
  });
});

