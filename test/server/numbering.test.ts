import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';

// Records numbered from the day's highest number (线索编号 XS…, 记录编号 SG…): many filed at the same
// moment each get their own number and all are saved. On PostgreSQL two transactions read the same
// highest number; the loser is run again (platform/dberrors.ts, retryNumbering) instead of failing.

describe.each(targets())('the day’s numbers under concurrent filing on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T02:00:00Z'));
  let s: TestServer;
  let officer: Client;
  let handler: Client;

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    [officer, handler] = await Promise.all([s.as('officer'), s.as('cluehandler')]);
  });
  afterAll(async () => {
    await s?.close();
  });

  const AT_ONCE = 12;

  it('twelve “三个规定” records filed at once: twelve saved, numbered one to twelve for the day', async () => {
    const body = (i: number) => ({
      category: 'contact', intervenerKind: 'external', intervenerName: `钱某${i}`, intervenerPost: '律师', intervenerRelation: 'lawyer',
      caseRef: `（2026）赤司矫字第 ${i} 号`, manners: ['pleading'], occurredAt: '2026-11-20T10:30:00+08:00',
      requestText: '打听审批进展。', handling: 'refused', handlingNote: null,
    });
    const answers = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => officer.post('/api/interference/records', body(i))));
    expect(answers.map((a) => a.status), JSON.stringify(answers.find((a) => a.status !== 201)?.body)).toEqual(Array(AT_ONCE).fill(201));
    const numbers = answers.map((a) => a.body.recordNo as string).sort();
    expect(numbers).toEqual(Array.from({ length: AT_ONCE }, (_, i) => `SG20261123${String(i + 1).padStart(4, '0')}`));
    const saved = await s.deps.db.selectFrom('interference_record').select('record_no').where('record_no', 'like', 'SG20261123%').execute();
    expect(saved.map((r) => r.record_no).sort()).toEqual(numbers);
  });

  it('twelve clues registered at once for one day: twelve saved with distinct numbers', async () => {
    const category = await s.deps.db.selectFrom('problem_category').select('id').where('campaign_id', '=', 'campaign-1').limit(1).executeTakeFirstOrThrow();
    const unit = await s.deps.db.selectFrom('org_unit').select('id').orderBy('path').limit(1).executeTakeFirstOrThrow();
    const answers = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, i) =>
        handler.post('/api/clues', {
          campaignId: 'campaign-1', source: 'tip_off', categoryId: category.id, summary: `举报第 ${i} 件：某律师收取额外费用。`,
          receivedOn: '2026-11-22', subjects: [{ orgUnitId: unit.id }],
        }),
      ),
    );
    expect(answers.map((a) => a.status), JSON.stringify(answers.find((a) => a.status !== 201)?.body)).toEqual(Array(AT_ONCE).fill(201));
    const numbers = answers.map((a) => a.body.clueNo as string).sort();
    expect(new Set(numbers).size).toBe(AT_ONCE);
    for (const n of numbers) expect(n).toMatch(/^XS20261122\d{4}$/);
    const saved = await s.deps.db.selectFrom('clue').select('clue_no').where('clue_no', 'like', 'XS20261122%').execute();
    expect(saved.map((r) => r.clue_no).sort()).toEqual(numbers);
  });
});
