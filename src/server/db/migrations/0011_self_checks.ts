import type { Kysely } from 'kysely';

// 自查事项报告表: each person's item-by-item self-check for a campaign and the pledge that signs it
// (typed full name + SM3 digest of the exact content + time). A signed version is never changed; a
// correction is a new version (the old ones are kept). One row per version.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('self_check_report')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    // The person's unit when the version was made: coverage and scope read it without a join.
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | signed | superseded
    // [{categoryId, code, name, answer: 'yes'|'no', description}] — the catalogue as it read when filled.
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('declared_count', 'integer', (c) => c.notNull())
    .addColumn('free_text', 'text')
    .addColumn('signed_name', 'text')
    .addColumn('content_digest', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('review_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('self_check_version', ['campaign_id', 'person_id', 'version'])
    .execute();
  // Coverage and the review list: a campaign's signed reports by unit, newest first.
  await db.schema.createIndex('self_check_status').on('self_check_report').columns(['campaign_id', 'status', 'org_unit_id', 'signed_at']).execute();
  await db.schema.createIndex('self_check_signed').on('self_check_report').columns(['campaign_id', 'status', 'signed_at', 'id']).execute();
  await db.schema.createIndex('self_check_person').on('self_check_report').columns(['person_id', 'campaign_id', 'version']).execute();
  // "Has this person signed this campaign's report?" answered from the index alone (coverage, missing names).
  await db.schema.createIndex('self_check_signer').on('self_check_report').columns(['campaign_id', 'status', 'person_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('self_check_report').ifExists().execute();
}
