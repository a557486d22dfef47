import type { Kysely } from 'kysely';

// 证明事项告知承诺制 (the catalogue of certificate items, the commitments registered against them with
// their sampling draw and verification, and the dishonesty list), and 案件受理 (行政复议申请 and
// 企业矛盾纠纷调解 cases with their computed deadlines).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cert_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('commitment_allowed', 'integer', (c) => c.notNull())
    .addColumn('sampling_rate', 'integer', (c) => c.notNull()) // percent 0..100
    .addColumn('verify_days', 'integer', (c) => c.notNull())
    .addColumn('bar_months', 'integer', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('cert_item_name', ['name'])
    .execute();

  await db.schema
    .createTable('cert_commitment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('cert_item.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('applicant_kind', 'text', (c) => c.notNull()) // person | org
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    // A person's ID number is sealed (SM4) and shown masked; an organisation's credit code is public.
    .addColumn('applicant_id_enc', 'text')
    .addColumn('applicant_id_masked', 'text', (c) => c.notNull())
    // Keyed digest of the number or code: the dishonesty check and lookups without decrypting.
    .addColumn('applicant_id_index', 'text', (c) => c.notNull())
    .addColumn('business_ref', 'text', (c) => c.notNull())
    .addColumn('handled_on', 'text', (c) => c.notNull())
    .addColumn('signed_text', 'text', (c) => c.notNull())
    .addColumn('text_digest', 'text', (c) => c.notNull()) // SM3 of signed_text
    .addColumn('signed_at', 'text', (c) => c.notNull())
    // The draw: a CSPRNG value 0..9999, drawn iff value < rate × 100 (rate in force kept beside it).
    .addColumn('sampling_rate', 'integer', (c) => c.notNull())
    .addColumn('draw_value', 'integer', (c) => c.notNull())
    .addColumn('drawn', 'integer', (c) => c.notNull())
    .addColumn('verify_status', 'text', (c) => c.notNull()) // not_drawn | pending | true | false
    .addColumn('verify_due', 'text')
    .addColumn('verified_on', 'text')
    .addColumn('verify_method', 'text')
    .addColumn('verify_note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cert_commitment_order').on('cert_commitment').columns(['handled_on', 'id']).execute();
  await db.schema.createIndex('cert_commitment_unit').on('cert_commitment').columns(['org_unit_id', 'handled_on', 'id']).execute();
  await db.schema.createIndex('cert_commitment_item').on('cert_commitment').columns(['item_id', 'handled_on', 'id']).execute();
  await db.schema.createIndex('cert_commitment_status').on('cert_commitment').columns(['verify_status', 'handled_on', 'id']).execute();
  // The sampling queue, earliest due first.
  await db.schema.createIndex('cert_commitment_queue').on('cert_commitment').columns(['verify_status', 'verify_due', 'id']).execute();
  await db.schema.createIndex('cert_commitment_applicant').on('cert_commitment').columns(['applicant_id_index']).execute();

  await db.schema
    .createTable('cert_dishonesty')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('applicant_id_index', 'text', (c) => c.notNull())
    .addColumn('applicant_kind', 'text', (c) => c.notNull())
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('applicant_id_masked', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('cert_item.id'))
    .addColumn('commitment_id', 'text', (c) => c.notNull().references('cert_commitment.id'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('listed_on', 'text', (c) => c.notNull())
    .addColumn('bar_until', 'text', (c) => c.notNull()) // last barred day, inclusive
    .addColumn('lifted_at', 'text')
    .addColumn('lifted_on', 'text')
    .addColumn('lift_reason', 'text')
    .addColumn('lifted_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cert_dishonesty_order').on('cert_dishonesty').columns(['listed_on', 'id']).execute();
  await db.schema.createIndex('cert_dishonesty_unit').on('cert_dishonesty').columns(['org_unit_id', 'listed_on', 'id']).execute();
  await db.schema.createIndex('cert_dishonesty_applicant').on('cert_dishonesty').columns(['applicant_id_index', 'bar_until']).execute();

  await db.schema
    .createTable('reconsideration_case')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_no', 'text')
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('applicant', 'text', (c) => c.notNull())
    .addColumn('respondent', 'text', (c) => c.notNull())
    .addColumn('act', 'text', (c) => c.notNull())
    .addColumn('request', 'text')
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('accept_due', 'text', (c) => c.notNull())
    .addColumn('accepted_on', 'text')
    .addColumn('not_accepted_reason', 'text')
    .addColumn('decision_due', 'text')
    .addColumn('extension_days', 'integer')
    .addColumn('extension_reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    // The deadline that runs now (acceptance while received, decision while accepted); null once closed.
    .addColumn('due_on', 'text')
    .addColumn('outcome', 'text')
    .addColumn('closed_on', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reconsideration_order').on('reconsideration_case').columns(['received_on', 'id']).execute();
  await db.schema.createIndex('reconsideration_unit').on('reconsideration_case').columns(['org_unit_id', 'received_on', 'id']).execute();
  await db.schema.createIndex('reconsideration_status').on('reconsideration_case').columns(['status', 'received_on', 'id']).execute();
  await db.schema.createIndex('reconsideration_due').on('reconsideration_case').columns(['due_on', 'id']).execute();

  await db.schema
    .createTable('mediation_case')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_no', 'text')
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
    .addColumn('parties', 'text', (c) => c.notNull()) // JSON [{name, code}]
    .addColumn('party_names', 'text', (c) => c.notNull())
    .addColumn('dispute_type', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('mediator_person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('period_days', 'integer', (c) => c.notNull())
    .addColumn('due_on', 'text') // null once closed
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('closed_on', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mediation_order').on('mediation_case').columns(['received_on', 'id']).execute();
  await db.schema.createIndex('mediation_unit').on('mediation_case').columns(['org_unit_id', 'received_on', 'id']).execute();
  await db.schema.createIndex('mediation_status').on('mediation_case').columns(['status', 'received_on', 'id']).execute();
  await db.schema.createIndex('mediation_due').on('mediation_case').columns(['due_on', 'id']).execute();
}
