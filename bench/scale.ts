// Scale data for benchmarks: copies of the demo people, so a list can be measured at 100× the demo
// (83,500 officers, a province) against the same units, accounts and scopes.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/server/db/types.js';

/**
 * Makes the people `factor` times as many: every person present now gets factor − 1 copies in the
 * same unit, party organisation and post, with a distinct id (`<id>.<k>`) and a distinct name (the
 * name followed by k, so a search for a surname still finds ~the same share). Copies carry no ID
 * number index (it is unique) but keep the masked and sealed values. One INSERT … SELECT per call on
 * both SQLite and PostgreSQL (a few seconds for 835 → 83,500). Answers the new total.
 */
export async function scalePeople(db: Kysely<DB>, factor: number): Promise<number> {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`factor must be a positive integer, got ${factor}`);
  if (factor > 1) {
    const copies = factor - 1;
    await sql`
      with recursive n(k) as (select 1 union all select k + 1 from n where k < ${copies})
      insert into person (id, name, gender, birth_date, org_unit_id, post, party_org_id, police_no,
                          phone_enc, phone_masked, id_no_enc, id_no_masked, id_no_index, status,
                          created_at, updated_at, sort_key)
      select p.id || '.' || cast(n.k as text), p.name || cast(n.k as text), p.gender, p.birth_date,
             p.org_unit_id, p.post, p.party_org_id,
             case when p.police_no is null then null else p.police_no || '-' || cast(n.k as text) end,
             p.phone_enc, p.phone_masked, p.id_no_enc, p.id_no_masked, null, p.status,
             p.created_at, p.updated_at, p.sort_key
      from person p cross join n`.execute(db);
  }
  const { n } = await db.selectFrom('person').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * Makes the demo campaign's top-level ledger items `factor` times as many (sub-items are not copied):
 * each copy keeps its unit, category and state, numbered after the originals (seq + k × 100,000) so
 * the ledger's order and unique index hold. Answers the new number of ledger items.
 */
export async function scaleLedger(db: Kysely<DB>, factor: number): Promise<number> {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`factor must be a positive integer, got ${factor}`);
  if (factor > 1) {
    const copies = factor - 1;
    await sql`
      with recursive n(k) as (select 1 union all select k + 1 from n where k < ${copies})
      insert into rectification_item (id, campaign_id, list, parent_id, parent_key, seq, child_count, source, source_ref,
                                      category_id, title, description, measures, goal, org_unit_id, responsible_person_id, mode,
                                      start_date, deadline, is_public, weight, progress, status, completed_at, signed_off_at,
                                      signed_off_by, sign_off_note, overdue_noticed_on, rating_count, rating_sum, created_by,
                                      created_at, updated_at)
      select i.id || '.' || cast(n.k as text), i.campaign_id, i.list, null, '', i.seq + n.k * 100000, 0, i.source, null,
             i.category_id, i.title, i.description, i.measures, i.goal, i.org_unit_id, i.responsible_person_id, i.mode,
             i.start_date, i.deadline, i.is_public, i.weight, i.progress, i.status, i.completed_at, i.signed_off_at,
             i.signed_off_by, i.sign_off_note, i.overdue_noticed_on, 0, 0, i.created_by, i.created_at, i.updated_at
      from rectification_item i cross join n
      where i.parent_key = '' and i.id not like '%.%'`.execute(db);
  }
  const { n } = await db.selectFrom('rectification_item').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(n);
}
