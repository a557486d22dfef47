import type { Kysely } from 'kysely';

// 问题线索: restricted. The clue's text and its reporter are sealed (SM4, as opinions' submitters);
// lists show only the number, source, category, people concerned, stage and deadlines. Who is concerned
// (people or units) is its own table: scope, "never shown to the person concerned", and the leniency
// check against that person's signed self-check reports all read it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clue_no', 'text', (c) => c.notNull().unique())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.references('problem_category.id'))
    // The unit whose handlers may see it: the concerned person's or unit's (the first concerned).
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('summary_enc', 'text', (c) => c.notNull())
    .addColumn('reporter_name_enc', 'text')
    .addColumn('reporter_phone_enc', 'text')
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull()) // registered | disposing | verified | closed
    .addColumn('disposal_method', 'text')
    .addColumn('disposal_due', 'text')
    // The deadline of the step the clue is at: a disposal decision within 15 days of receipt, the
    // verification by the disposal's deadline, the disposition within 30 days of verification.
    .addColumn('stage_due', 'text')
    .addColumn('verification_outcome', 'text')
    .addColumn('verified_on', 'text')
    .addColumn('disposition', 'text')
    .addColumn('closed_on', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('clue_order').on('clue').columns(['campaign_id', 'received_on', 'id']).execute();
  await db.schema.createIndex('clue_stage').on('clue').columns(['campaign_id', 'stage', 'received_on', 'id']).execute();
  await db.schema.createIndex('clue_source').on('clue').columns(['campaign_id', 'source', 'received_on', 'id']).execute();
  await db.schema.createIndex('clue_due').on('clue').columns(['stage', 'stage_due']).execute();

  await db.schema
    .createTable('clue_subject')
    .addColumn('clue_id', 'text', (c) => c.notNull().references('clue.id'))
    .addColumn('person_id', 'text', (c) => c.references('person.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('clue_subject_pk', ['clue_id', 'seq'])
    .execute();
  await db.schema.createIndex('clue_subject_person').on('clue_subject').columns(['person_id', 'clue_id']).execute();

  await db.schema
    .createTable('clue_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clue_id', 'text', (c) => c.notNull().references('clue.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // What was decided, sealed like the clue itself (a verification's findings are as sensitive).
    .addColumn('note_enc', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .execute();
  await db.schema.createIndex('clue_event_clue').on('clue_event').columns(['clue_id', 'at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['clue_event', 'clue_subject', 'clue']) await db.schema.dropTable(t).ifExists().execute();
}
