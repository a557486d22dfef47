import { describe, expect, it } from 'vitest';
import {
  contentHash, contentTokens, excerpt, hamming, normalize, queryTokens, searchTokens, simhash,
} from '../../src/server/modules/opinions/text.js';
import { holdoutAccuracy, predict, train } from '../../src/server/modules/opinions/classifier.js';
import { newPublicNo, newReceiptCode, normalizeReceiptCode, receiptHash } from '../../src/server/modules/opinions/receipt.js';

// The pure parts of 开门纳谏: jieba tokens, duplicate digests, SimHash, receipt codes, the classifier.

describe('tokens', () => {
  it('search tokens hold the fine words and the compounds of Chinese text, without punctuation', () => {
    const t = searchTokens('希望公证处办理公证业务时能缩短等待时间，司法所工作人员态度很好！');
    for (const w of ['公证', '公证处', '业务', '司法', '工作人员', '等待时间']) expect(t).toContain(w);
    expect(t.some((x) => /[，！。]/.test(x))).toBe(false);
  });

  it('query tokens are the precise cut, so a query word matches the indexed word', () => {
    expect(queryTokens('公证 司法')).toEqual(['公证', '司法']);
    expect(queryTokens('  公证，司法！ ')).toEqual(['公证', '司法']);
    expect(queryTokens('律师事务所收费')).toEqual(['律师', '事务所', '收费']);
    // Every query word is among the index tokens of a text that contains it.
    const index = new Set(searchTokens('关于律师事务所收费标准不公开的问题'));
    for (const q of queryTokens('律师事务所收费')) expect(index.has(q)).toBe(true);
    // Full-width letters and digits fold to their plain forms, upper case to lower.
    expect(queryTokens('ＡＢＣ１２３')).toEqual(queryTokens('abc123'));
    // Punctuation only: nothing to search for.
    expect(queryTokens('，。！？')).toEqual([]);
    // A long query is capped (12 words), so nobody builds a huge MATCH expression.
    expect(queryTokens('公证 司法 律师 调解 矫正 复议 普法 鉴定 审批 窗口 服务 态度 作风 效率 收费').length).toBe(12);
  });

  it('content tokens drop stop words', () => {
    const t = contentTokens('我们希望律师的收费可以公开');
    expect(t).toContain('律师');
    expect(t).toContain('收费');
    for (const stop of ['我们', '希望', '的', '可以']) expect(t).not.toContain(stop);
  });

  it('normalize folds full-width forms and whitespace', () => {
    expect(normalize('  ＡＢＣ　１２３\n\t公证  ')).toBe('abc 123 公证');
  });
});

describe('exact duplicates: contentHash', () => {
  const base = '建议公证处延长周末办理时间，方便上班族办理公证业务。';
  it('is equal for full-width/half-width, whitespace and punctuation variants', () => {
    const variants = [
      base,
      '建议公证处延长周末办理时间,方便上班族办理公证业务.',
      '  建议公证处延长周末办理时间，\n方便上班族办理公证业务。  ',
      '建议 公证处 延长 周末 办理 时间 方便 上班族 办理 公证 业务',
      '建议公证处延长周末办理时间！！方便上班族办理公证业务',
    ];
    for (const v of variants) expect(contentHash(v), v).toBe(contentHash(base));
    expect(contentHash('ＡＢＣ公证')).toBe(contentHash('abc公证'));
    expect(contentHash('ABC公证')).toBe(contentHash('abc公证'));
  });
  it('differs when a word differs', () => {
    expect(contentHash(base.replace('周末', '晚上'))).not.toBe(contentHash(base));
    expect(contentHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('near duplicates: SimHash', () => {
  const a = '建议公证处延长周末办理时间，方便上班族办理公证业务，现在工作日去排队太难请假，每次都要等一两个小时。';
  const b = `${a}另外希望增加网上预约。`;
  const c = '社区矫正人员管理要加强，定期走访，防止脱管漏管，矫正对象报到手续也应简化。';
  const d = '人民调解员调解邻里纠纷很耐心，但调解协议的履行缺少跟踪回访机制。';

  it('is a 64-bit hash with four 16-bit bands', () => {
    const h = simhash(a);
    expect(h.hex).toMatch(/^[0-9a-f]{16}$/);
    const n = BigInt(`0x${h.hex}`);
    expect(h.bands).toEqual([0, 1, 2, 3].map((k) => Number((n >> BigInt(16 * k)) & 0xffffn)));
    expect(simhash(a)).toEqual(h); // deterministic
  });

  it('puts a text and the same text with one more sentence close, unrelated texts far', () => {
    const near = hamming(simhash(a).hex, simhash(b).hex);
    expect(near).toBeLessThanOrEqual(10); // the duplicate threshold used by findDuplicates
    expect(hamming(simhash(a).hex, simhash(a.replace(/，/g, ',')).hex)).toBe(0);
    for (const [x, y] of [[a, c], [a, d], [c, d]] as const) {
      expect(hamming(simhash(x).hex, simhash(y).hex)).toBeGreaterThan(20);
    }
  });

  it('hamming counts differing bits', () => {
    expect(hamming('0000000000000000', '0000000000000000')).toBe(0);
    expect(hamming('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hamming('0000000000000001', '0000000000000003')).toBe(1);
  });
});

describe('receipt codes', () => {
  it('normalizes what people type: lower case, dashes, spaces, O for 0, I/L for 1', () => {
    expect(normalizeReceiptCode('abcd-efgh-jkmn-pqrs')).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(normalizeReceiptCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(normalizeReceiptCode(' abcd efgh jkmn pqrs ')).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(normalizeReceiptCode('OOOO-IIII-LLLL-oil0')).toBe('0000-1111-1111-0110');
    expect(normalizeReceiptCode('uuuu-0000-0000-0000')).toBe('VVVV-0000-0000-0000');
    expect(normalizeReceiptCode('ab-cd-ef-gh-jk-mn-pq-rs')).toBe('ABCD-EFGH-JKMN-PQRS');
  });
  it('refuses what is not a code', () => {
    for (const bad of ['', 'abc', 'ABCD-EFGH-JKMN-PQR', 'ABCD-EFGH-JKMN-PQRST', 'ABCD-EFGH-JKMN-PQR!', '公证公证公证公证公证公证公证公证', 'x'.repeat(40)]) {
      expect(normalizeReceiptCode(bad), bad).toBeNull();
    }
  });
  it('every new code normalizes to itself and hashes stably', () => {
    for (let i = 0; i < 200; i++) {
      const c = newReceiptCode();
      expect(normalizeReceiptCode(c)).toBe(c);
      expect(normalizeReceiptCode(c.toLowerCase().replace(/-/g, ''))).toBe(c);
      expect(receiptHash(c)).toBe(receiptHash(normalizeReceiptCode(c)!));
    }
    expect(receiptHash('AAAA-AAAA-AAAA-AAAA')).not.toBe(receiptHash('AAAA-AAAA-AAAA-AAAB'));
  });
  it('public numbers: YJ, the date, five random symbols', () => {
    expect(newPublicNo('2026-11-27')).toMatch(/^YJ20261127[0-9A-HJKMNP-TV-Z]{5}$/);
  });
  it('excerpts cut long text at 80 characters', () => {
    expect(excerpt('短文本')).toBe('短文本');
    const long = '公'.repeat(100);
    expect(excerpt(long)).toBe(`${'公'.repeat(80)}…`);
    expect(excerpt('a\n\n b')).toBe('a b');
  });
});

describe('classifier (naive Bayes on jieba tokens)', () => {
  const corpus: { text: string; category: string }[] = [
    { category: 'lawyer_management', text: '律师收费不透明，希望公开律师事务所收费标准' },
    { category: 'lawyer_management', text: '有的律师接案后不与当事人沟通，律师执业要规范' },
    { category: 'lawyer_management', text: '律师事务所乱收费，代理费远超标准' },
    { category: 'lawyer_management', text: '律师充当司法掮客，请加强律师队伍管理' },
    { category: 'lawyer_management', text: '希望律师协会公开投诉律师的处理结果' },
    { category: 'lawyer_management', text: '律师会见难的问题依然存在，律师执业权利要保障' },
    { category: 'notary_service', text: '公证处办理公证要跑好几趟，材料太多' },
    { category: 'notary_service', text: '公证费用偏高，希望公证处公开收费' },
    { category: 'notary_service', text: '希望公证处周末也能办理公证业务' },
    { category: 'notary_service', text: '办理出国公证等待时间太长' },
    { category: 'notary_service', text: '公证员态度冷淡，公证窗口排队久' },
    { category: 'notary_service', text: '公证书邮寄服务能否推广到全市' },
    { category: 'people_mediation', text: '人民调解员调解邻里纠纷很耐心' },
    { category: 'people_mediation', text: '村里的调解委员会形同虚设，纠纷调解不及时' },
    { category: 'people_mediation', text: '调解协议履行缺少回访，矛盾纠纷又反复' },
    { category: 'people_mediation', text: '希望多培训人民调解员，提高调解能力' },
    { category: 'people_mediation', text: '婚姻家庭纠纷调解要更专业' },
    { category: 'people_mediation', text: '物业纠纷能否由人民调解委员会调解' },
  ];

  it('learns the classes and predicts the obvious ones with a probability ranking', () => {
    const model = train(corpus);
    expect(model.classes).toEqual(['lawyer_management', 'notary_service', 'people_mediation']);
    expect(model.trainedOn).toBe(18);
    const lawyer = predict(model, '律师代理费太高，律师收费应当规范')!;
    expect(lawyer.category).toBe('lawyer_management');
    expect(lawyer.confidence).toBeGreaterThan(0.5);
    expect(lawyer.confidence).toBeLessThanOrEqual(1);
    expect(lawyer.ranking[0]).toEqual({ category: 'lawyer_management', p: lawyer.confidence });
    expect(lawyer.ranking.length).toBe(3);
    const ps = lawyer.ranking.map((r) => r.p);
    expect([...ps].sort((x, y) => y - x)).toEqual(ps);
    expect(ps.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 6);
    expect(predict(model, '公证处排队时间太长')!.category).toBe('notary_service');
    expect(predict(model, '邻居之间的纠纷希望调解员上门调解')!.category).toBe('people_mediation');
  });

  it('an empty model predicts nothing; unknown words fall back to the priors', () => {
    expect(predict(train([]), '律师')).toBeNull();
    const p = predict(train(corpus), 'xyz 完全无关的词汇 qqq')!;
    expect(p.confidence).toBeGreaterThan(0);
    expect(p.confidence).toBeLessThan(0.6);
  });

  it('holdoutAccuracy trains on four fifths and tests on the rest', () => {
    const r = holdoutAccuracy(corpus);
    expect(r.tested).toBe(4); // indexes 0, 5, 10, 15
    expect(r.trainedOn).toBe(14);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.75);
    expect(r.accuracy).toBeLessThanOrEqual(1);
    expect(holdoutAccuracy([])).toEqual({ trainedOn: 0, tested: 0, accuracy: 0 });
  });
});
