import type { Kysely } from 'kysely';

// 为民服务：便民利民措施（with milestones and progress history）、小微企业法律服务工作站、市场主体（企业，
// keyed by unified social credit code）and the services given to them (visits, consultations… and
// 法治体检 with findings). Records belong to an org unit (a measure's responsible unit, a workstation's
// host unit) for data scope; each list's default order and filters have an index (platform/list.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_measure')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('grp', 'text', (c) => c.notNull()) // convenience | business_environment | ten_linkages | other
    .addColumn('grp_rank', 'integer', (c) => c.notNull()) // the groups' display order, so the list reads one index
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('owner_person_id', 'text', (c) => c.references('person.id'))
    .addColumn('campaign_id', 'text', (c) => c.references('campaign.id'))
    .addColumn('start_date', 'text')
    .addColumn('due_date', 'text')
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_on', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('service_measure_number', ['grp', 'number'])
    .execute();
  await db.schema.createIndex('service_measure_order').on('service_measure').columns(['grp_rank', 'number', 'id']).execute();
  await db.schema.createIndex('service_measure_group').on('service_measure').columns(['grp', 'number', 'id']).execute();
  await db.schema.createIndex('service_measure_unit_order').on('service_measure').columns(['org_unit_id', 'grp_rank', 'number', 'id']).execute();
  await db.schema.createIndex('service_measure_public').on('service_measure').columns(['is_public', 'grp_rank', 'number', 'id']).execute();

  await db.schema
    .createTable('service_milestone')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('measure_id', 'text', (c) => c.notNull().references('service_measure.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('done_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_milestone_measure').on('service_milestone').columns(['measure_id', 'seq']).execute();

  await db.schema
    .createTable('service_progress')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('measure_id', 'text', (c) => c.notNull().references('service_measure.id'))
    .addColumn('reported_on', 'text', (c) => c.notNull())
    .addColumn('percent', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('evidence_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_progress_measure').on('service_progress').columns(['measure_id', 'reported_on', 'created_at']).execute();

  await db.schema
    .createTable('legal_workstation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id')) // the host unit: whose records
    .addColumn('address', 'text')
    .addColumn('contact', 'text')
    .addColumn('staff_on_duty', 'text')
    .addColumn('opened_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('legal_workstation_unit').on('legal_workstation').columns(['org_unit_id', 'name']).execute();

  await db.schema
    .createTable('enterprise')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique()) // 统一社会信用代码
    .addColumn('code_warning', 'integer', (c) => c.notNull().defaultTo(0)) // check character fails (early codes)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id')) // the county
    .addColumn('industry', 'text')
    .addColumn('legal_rep', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enterprise_unit_code').on('enterprise').columns(['org_unit_id', 'code']).execute();

  await db.schema
    .createTable('enterprise_service')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // visit | consultation | training | mediation | contract_review | health_check | other
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprise.id'))
    .addColumn('workstation_id', 'text', (c) => c.notNull().references('legal_workstation.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id')) // the workstation's host unit (scope)
    .addColumn('county_unit_id', 'text', (c) => c.notNull().references('org_unit.id')) // the enterprise's county (filter)
    .addColumn('served_on', 'text', (c) => c.notNull())
    .addColumn('staff_person_ids', 'text', (c) => c.notNull()) // JSON array
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('findings', 'text') // JSON [{area, risk, finding}] for a health check
    .addColumn('recommendations', 'text')
    .addColumn('follow_up_status', 'text', (c) => c.notNull())
    .addColumn('follow_up', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enterprise_service_order').on('enterprise_service').columns(['served_on', 'id']).execute();
  await db.schema.createIndex('enterprise_service_ws').on('enterprise_service').columns(['workstation_id', 'served_on', 'id']).execute();
  await db.schema.createIndex('enterprise_service_unit').on('enterprise_service').columns(['org_unit_id', 'served_on', 'id']).execute();
  await db.schema.createIndex('enterprise_service_county').on('enterprise_service').columns(['county_unit_id', 'served_on', 'id']).execute();
  await db.schema.createIndex('enterprise_service_kind').on('enterprise_service').columns(['kind', 'served_on', 'id']).execute();
  // "Served" = distinct enterprises: one index per grouping answers it without the rows.
  await db.schema.createIndex('enterprise_service_ws_ent').on('enterprise_service').columns(['workstation_id', 'enterprise_id']).execute();
  await db.schema.createIndex('enterprise_service_ent').on('enterprise_service').columns(['enterprise_id', 'org_unit_id']).execute();
}
