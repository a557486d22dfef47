import type { Kysely } from 'kysely';

// 建章立制: “三个规定”记录报告 (restricted: the intervener, the case, what was asked and the handling
// note are sealed; the intervener, when a person of the platform, also as a keyed blind index so a
// reader named in a record can be kept from it in SQL), 零报告 (one per person and quarter), and
// 制度文件 (versions, the units that must acknowledge, one acknowledgement per person and version).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('interference_record')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_no', 'text', (c) => c.notNull().unique())
    .addColumn('recorder_person_id', 'text', (c) => c.notNull().references('person.id'))
    // The recorder's unit when recorded: whose record it is (data scope).
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('period', 'text', (c) => c.notNull()) // '2021Q2': the quarter it happened in
    .addColumn('category', 'text', (c) => c.notNull()) // leader | internal | contact
    .addColumn('intervener_kind', 'text', (c) => c.notNull()) // internal | external
    .addColumn('intervener_index', 'text') // blind index of the internal intervener's person id
    .addColumn('intervener_enc', 'text', (c) => c.notNull()) // sealed JSON: person id, name, post, relation
    .addColumn('case_enc', 'text', (c) => c.notNull())
    .addColumn('manners', 'text', (c) => c.notNull()) // JSON array of manner codes
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('request_enc', 'text', (c) => c.notNull())
    .addColumn('handling', 'text', (c) => c.notNull())
    .addColumn('handling_note_enc', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('interference_order').on('interference_record').columns(['occurred_at', 'id']).execute();
  await db.schema.createIndex('interference_period_order').on('interference_record').columns(['period', 'occurred_at', 'id']).execute();
  await db.schema.createIndex('interference_category_order').on('interference_record').columns(['category', 'occurred_at', 'id']).execute();
  await db.schema.createIndex('interference_recorder_order').on('interference_record').columns(['recorder_person_id', 'occurred_at', 'id']).execute();
  // "Has this person recorded in this period?": one index probe per person (coverage).
  await db.schema.createIndex('interference_recorder_period').on('interference_record').columns(['recorder_person_id', 'period']).execute();

  await db.schema
    .createTable('zero_report')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('signed_name', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('zero_report_person_period', ['person_id', 'period'])
    .execute();
  await db.schema.createIndex('zero_report_period').on('zero_report').columns(['period', 'person_id']).execute();

  await db.schema
    .createTable('policy_document')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('doc_no', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('issuing_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('audience', 'text', (c) => c.notNull()) // issuer | units
    .addColumn('current_version_id', 'text')
    .addColumn('current_version_no', 'integer', (c) => c.notNull())
    .addColumn('current_effective_on', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policy_order').on('policy_document').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('policy_category_order').on('policy_document').columns(['category', 'updated_at', 'id']).execute();

  await db.schema
    .createTable('policy_audience_unit')
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policy_document.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addPrimaryKeyConstraint('policy_audience_unit_pk', ['policy_id', 'org_unit_id'])
    .execute();

  await db.schema
    .createTable('policy_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policy_document.id'))
    .addColumn('version_no', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // current | superseded
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('change_note', 'text')
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('policy_version_no', ['policy_id', 'version_no'])
    .execute();

  await db.schema
    .createTable('policy_ack')
    .addColumn('version_id', 'text', (c) => c.notNull().references('policy_version.id'))
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policy_document.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('confirmed_name', 'text', (c) => c.notNull())
    .addColumn('acked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_ack_pk', ['version_id', 'person_id'])
    .execute();
  await db.schema.createIndex('policy_ack_person').on('policy_ack').columns(['person_id', 'version_id']).execute();
}
