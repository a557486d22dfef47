import type { Trx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import type { SelfCheckReportTable } from '../db/types.js';
import { checklist, contentDigest, type SelfCheckAnswer } from '../modules/self-checks/commands.js';

// The demo campaign's self-check reports, as the account has it: nearly every serving officer signed
// one (a few have not, so coverage shows names to chase), most declare nothing, a few declare a matter
// (a spouse's shop, a loan, an unreported contact with a lawyer…) — "lenient for what you report".
// Deterministic: who, what and when follow the people's order.

const DECLARATIONS: Record<string, string> = {
  P2: '本人配偶在旗县经营一家小型打字复印店，与司法行政业务无关，已如实报告。',
  P3: '2019 年曾向同事借款 2 万元用于购房，已于 2021 年 3 月全部归还。',
  P6: '2020 年曾与一名律师同学聚餐一次，未涉及案件，特此说明。',
  D6: '曾参加朋友组织的打牌娱乐活动，未涉及赌博，今后注意。',
};

/** `unsigned`: people left without a report on purpose (the demo officer, so a first walk through
 * /self-check signs a first report and the office sees coverage rise). */
export async function seedDemoSelfChecks(trx: Trx, unsigned: readonly string[] = []) {
  const campaignId = 'campaign-1';
  const items = await checklist(trx, campaignId);
  const people = await trx
    .selectFrom('person')
    .select(['id', 'name', 'org_unit_id'])
    .where('status', '=', 'active')
    .orderBy('sort_key')
    .orderBy('name')
    .orderBy('id')
    .execute();
  const codes = Object.keys(DECLARATIONS);
  const rows: SelfCheckReportTable[] = [];
  people.forEach((p, k) => {
    if (k % 37 === 5 || unsigned.includes(p.id)) return; // not yet submitted
    const declares = k % 41 === 7 ? codes[(k / 41) % codes.length | 0]! : null;
    const answers: SelfCheckAnswer[] = items.map((i) => ({
      categoryId: i.id, code: i.code, name: i.name,
      answer: i.code === declares ? 'yes' : 'no',
      description: i.code === declares ? DECLARATIONS[i.code]! : null,
    }));
    const day = 5 + (k % 20);
    const signedAt = new Date(`2021-04-${String(day).padStart(2, '0')}T0${k % 9}:30:00+08:00`).toISOString();
    const row: SelfCheckReportTable = {
      id: newId(), campaign_id: campaignId, person_id: p.id, org_unit_id: p.org_unit_id, version: 1, status: 'signed',
      answers: JSON.stringify(answers), declared_count: declares ? 1 : 0, free_text: declares ? '以上情况属实，请组织审查。' : null,
      signed_name: p.name, content_digest: null, signed_at: signedAt,
      reviewed_at: k % 3 === 0 ? signedAt : null, reviewed_by: null, review_note: k % 3 === 0 ? '已审核，未发现瞒报。' : null,
      created_at: signedAt, updated_at: signedAt,
    };
    row.content_digest = contentDigest(row);
    rows.push(row);
  });
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto('self_check_report').values(rows.slice(i, i + 200)).execute();
  return { selfCheckReports: rows.length, selfCheckPeople: people.length };
}
