import { sql, type Kysely } from 'kysely';

// 法律志愿服务进乡村“1155”工程: villages (嘎查村/社区) under a county bureau, each cadre's five-year pairing
// with one village (one active pairing per cadre and per village, kept by partial unique indexes), the
// services and visits recorded there (the id is made on the phone, so a record sent twice is stored
// once), and the five deliverables of each pairing with their evidence.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('village')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('county_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('office_unit_id', 'text', (c) => c.references('org_unit.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // gacha | village | community
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('village_county_name', ['county_unit_id', 'name'])
    .execute();
  await db.schema.createIndex('village_order').on('village').columns(['county_unit_id', 'name', 'id']).execute();

  await db.schema
    .createTable('village_pairing')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('village_id', 'text', (c) => c.notNull().references('village.id'))
    .addColumn('cadre_person_id', 'text', (c) => c.notNull().references('person.id'))
    // The cadre's unit when paired: whose record it is (data scope).
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    // The village's county, copied: the board groups by it.
    .addColumn('county_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('start_year', 'integer', (c) => c.notNull())
    .addColumn('end_year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // active | ended
    .addColumn('note', 'text')
    .addColumn('ended_on', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('village_pairing_active_cadre').on('village_pairing').column('cadre_person_id').unique().where(sql.ref('status'), '=', 'active').execute();
  await db.schema.createIndex('village_pairing_active_village').on('village_pairing').column('village_id').unique().where(sql.ref('status'), '=', 'active').execute();
  await db.schema.createIndex('village_pairing_cadre').on('village_pairing').columns(['cadre_person_id', 'id']).execute();
  await db.schema.createIndex('village_pairing_county').on('village_pairing').columns(['county_unit_id', 'id']).execute();
  await db.schema.createIndex('village_pairing_status').on('village_pairing').columns(['status', 'id']).execute();
  await db.schema.createIndex('village_pairing_unit').on('village_pairing').columns(['org_unit_id', 'id']).execute();

  await db.schema
    .createTable('village_record')
    .addColumn('id', 'text', (c) => c.primaryKey()) // made on the phone
    .addColumn('pairing_id', 'text', (c) => c.notNull().references('village_pairing.id'))
    .addColumn('type', 'text', (c) => c.notNull()) // service | visit
    .addColumn('service_kind', 'text')
    .addColumn('held_on', 'text', (c) => c.notNull()) // Asia/Shanghai calendar date
    .addColumn('year', 'integer', (c) => c.notNull()) // held_on's year: the board counts by it
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('people_reached', 'integer')
    .addColumn('visited', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('photo_count', 'integer', (c) => c.notNull())
    // SHA-256 of the submitted content: the same id sent again must carry the same content.
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('cadre_person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('county_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('village_record_order').on('village_record').columns(['held_on', 'id']).execute();
  await db.schema.createIndex('village_record_pairing').on('village_record').columns(['pairing_id', 'held_on', 'id']).execute();
  await db.schema.createIndex('village_record_type').on('village_record').columns(['type', 'held_on', 'id']).execute();
  await db.schema.createIndex('village_record_unit').on('village_record').columns(['org_unit_id', 'held_on', 'id']).execute();
  await db.schema.createIndex('village_record_cadre').on('village_record').columns(['cadre_person_id', 'held_on', 'id']).execute();
  // The board: a year's counts per pairing and type, from the index alone.
  await db.schema.createIndex('village_record_year').on('village_record').columns(['year', 'pairing_id', 'type', 'held_on']).execute();

  await db.schema
    .createTable('village_deliverable')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pairing_id', 'text', (c) => c.notNull().references('village_pairing.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | in_progress | done
    .addColumn('done_on', 'text')
    .addColumn('count', 'integer')
    .addColumn('evidence', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('village_deliverable_kind', ['pairing_id', 'kind'])
    .execute();
}
