import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { predict, train, trainedWithout, type Sample } from '../../src/server/modules/opinions/classifier.js';
import { staffConfirmed } from '../../src/server/modules/opinions/suggest.js';

// The category suggestion learns only from categories staff confirmed, and never hears an opinion's
// own label back. Each scenario has a server of its own: the model is cached per database, and the
// first suggestion must be computed after the scenario's opinions exist.

/** A latin-letter word jieba keeps whole and no demo text contains. */
function marker() {
  return `mk${Array.from(crypto.randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;
}

const NOTARY_COMPLAINT = '公证处办理继承公证要求的证明太多，跑了好几趟公证处还没办成';

describe.each(targets())('category suggestion ignores what submitters chose on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_PUBLIC_RATE_LIMIT: '0' } });
  });
  afterAll(async () => s?.close());

  it('a citizen-chosen category is neither learnt nor echoed back', async () => {
    const pub = s.client();
    // Citizens file notary complaints under 审批服务, again and again.
    const filed: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await pub.post('/api/public/opinions', {
        category: 'approval_service', identity: 'anonymous',
        content: `${NOTARY_COMPLAINT}，第${i + 1}次反映公证证明材料的问题 ${marker()}`,
      });
      expect(r.status).toBe(201);
      filed.push(r.body.receiptCode);
    }
    const office = await s.as('office');
    const mine = await office.get(`/api/opinions?q=${encodeURIComponent('继承公证')}&category=approval_service&pageSize=200`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThanOrEqual(25);
    for (const item of mine.body.items.slice(0, 5)) {
      const d = await office.get(`/api/opinions/${item.id}`);
      expect(d.status).toBe(200);
      expect(d.body.category).toBe('approval_service');
      // What staff have sorted says notary, whatever the submitter picked.
      expect(d.body.suggestion?.category).toBe('notary_service');
      expect(d.body.suggestion.ranking.find((x: any) => x.category === 'approval_service')?.p ?? 0).toBeLessThan(0.2);
    }
    // None of them is training material.
    const confirmed = await s.deps.db.selectFrom('opinion').select('opinion.id').where(staffConfirmed).execute();
    const ids = new Set(confirmed.map((r) => r.id));
    for (const item of mine.body.items) expect(ids.has(item.id)).toBe(false);
  });
});

describe.each(targets())('category suggestion leaves the opinion itself out on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target);
  });
  afterAll(async () => s?.close());

  it('an opinion’s own confirmed label does not feed its suggestion', async () => {
    const office = await s.as('office');
    const M = marker();
    const text = `${M} ${M} ${M}：殡葬改革宣传栏破旧，群众看不清`;
    // Entered by staff with a category: confirmed, so it is part of the training set…
    const own = await office.post('/api/opinions', { channel: 'hotline', content: text, category: 'legal_publicity', identity: 'anonymous' });
    expect(own.status).toBe(201);
    // …and a citizen's copy of the same words, without a category, is not.
    const copy = await s.client().post('/api/public/opinions', { content: text, identity: 'anonymous' });
    expect(copy.status).toBe(201);
    const copyId = (await office.get(`/api/opinions?q=${M}&category=none`)).body.items[0].id as string;

    const [forOwn, forCopy] = await Promise.all([office.get(`/api/opinions/${own.body.id}`), office.get(`/api/opinions/${copyId}`)]);
    const p = (d: any, c: string) => d.body.suggestion.ranking.find((x: any) => x.category === c)?.p ?? 0;
    // The copy hears what the confirmed opinion taught; the opinion itself does not.
    expect(forCopy.body.suggestion.category).toBe('legal_publicity');
    expect(p(forOwn, 'legal_publicity')).toBeLessThan(p(forCopy, 'legal_publicity'));

    // Exactly what a model trained on every other confirmed opinion says.
    const rows = await s.deps.db
      .selectFrom('opinion').select(['opinion.id', 'opinion.content', 'opinion.category']).where(staffConfirmed).execute();
    expect(rows.map((r) => r.id)).toContain(own.body.id);
    expect(rows.map((r) => r.id)).not.toContain(copyId);
    const others = rows.filter((r) => r.id !== own.body.id).map((r) => ({ text: r.content, category: r.category! }));
    const expected = predict(train(others), text)!;
    expect(forOwn.body.suggestion.category).toBe(expected.category);
    expect(forOwn.body.suggestion.confidence).toBeCloseTo(expected.confidence, 9);
  });
});

describe('leave-one-out prediction', () => {
  const samples: Sample[] = [
    { category: 'lawyer_management', text: '律师收费不透明，律师事务所乱收费' },
    { category: 'lawyer_management', text: '律师执业不规范，接案后不沟通' },
    { category: 'lawyer_management', text: '律师会见难' },
    { category: 'notary_service', text: '公证处排队太久，公证材料太多' },
    { category: 'notary_service', text: '公证费用偏高' },
    { category: 'people_mediation', text: '人民调解员很耐心' },
    { category: 'people_mediation', text: '调解委员会形同虚设，纠纷调解不及时' },
    { category: 'legal_publicity', text: '普法宣传栏破旧，殡葬改革宣传看不清' },
  ];

  it('equals a model trained without the sample, for every sample', () => {
    const model = train(samples);
    for (const [i, s] of samples.entries()) {
      const without = train(samples.filter((_, j) => j !== i));
      const a = predict(model, s.text, s);
      const b = predict(without, s.text);
      if (b === null) {
        expect(a).toBeNull();
        continue;
      }
      expect(a!.category).toBe(b.category);
      expect(a!.ranking.map((x) => x.category)).toEqual(b.ranking.map((x) => x.category));
      a!.ranking.forEach((x, k) => expect(x.p).toBeCloseTo(b.ranking[k]!.p, 12));
      expect(trainedWithout(model, s)).toBe(without.trainedOn);
    }
  });

  it('a class only the left-out sample had disappears from the ranking', () => {
    const model = train(samples);
    const only = samples.find((s) => s.category === 'legal_publicity')!;
    expect(predict(model, only.text)!.category).toBe('legal_publicity');
    const p = predict(model, only.text, only)!;
    expect(p.category).not.toBe('legal_publicity');
    expect(p.ranking.map((x) => x.category)).not.toContain('legal_publicity');
  });

  it('leaving out a sample the model never saw changes nothing', () => {
    const model = train(samples);
    const stranger = { category: 'approval_service', text: '审批窗口太少' };
    expect(predict(model, '公证处排队', stranger)).toEqual(predict(model, '公证处排队'));
    expect(trainedWithout(model, stranger)).toBe(model.trainedOn);
  });
});
