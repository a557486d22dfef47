import type { CreateTableBuilder, Kysely } from 'kysely';
import { RULE_KINDS, RULE_KIND_CODES } from '../../../shared/schemas/screening.js';

// 智能化数据排查: imported registers as dated snapshots (one table per register, rows keyed by the
// snapshot and the row's number in the file; resident ID numbers only as a keyed blind index for
// joining and a sealed copy), versioned rules, runs, and hits with their review. A hit is one finding
// of one rule, identified by a fingerprint of what it found, so a re-run never duplicates it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('screening_snapshot')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    // loading: rows still arriving (never read by a rule); ready; failed: refused, its rows removed.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_by', 'text')
    .addColumn('imported_by_name', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text')
    .execute();
  // The current snapshot of a register: its latest ready one.
  await db.schema.createIndex('screening_snapshot_current').on('screening_snapshot').columns(['kind', 'status', 'imported_at']).execute();
  await db.schema.createIndex('screening_snapshot_order').on('screening_snapshot').columns(['started_at', 'id']).execute();
  await db.schema.createIndex('screening_snapshot_kind_order').on('screening_snapshot').columns(['kind', 'started_at', 'id']).execute();

  // A resident ID number only as its keyed blind index: joined by, never shown, no copy kept.
  const idCols = (t: CreateTableBuilder<any, any>, key = 'id_no'): CreateTableBuilder<any, any> => t.addColumn(`${key}_bidx`, 'text', (c) => c.notNull());
  const base = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('snapshot_id', 'text', (c) => c.notNull().references('screening_snapshot.id'))
      .addColumn('row_no', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${name}_pk`, ['snapshot_id', 'row_no']);

  await idCols(base('scr_staff').addColumn('name', 'text', (c) => c.notNull()))
    .addColumn('org_kind', 'text', (c) => c.notNull())
    .addColumn('org_name', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('post', 'text')
    .addColumn('grade', 'text')
    .execute();
  await db.schema.createIndex('scr_staff_id').on('scr_staff').columns(['snapshot_id', 'id_no_bidx']).execute();

  await idCols(idCols(base('scr_relative'), 'staff_id_no').addColumn('relation', 'text', (c) => c.notNull()).addColumn('name', 'text', (c) => c.notNull()))
    .execute();
  await db.schema.createIndex('scr_relative_staff').on('scr_relative').columns(['snapshot_id', 'staff_id_no_bidx']).execute();
  await db.schema.createIndex('scr_relative_id').on('scr_relative').columns(['snapshot_id', 'id_no_bidx']).execute();

  await idCols(
    base('scr_enterprise_role')
      .addColumn('enterprise', 'text', (c) => c.notNull())
      .addColumn('credit_code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull()),
  )
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('share_pct', 'real')
    .addColumn('start_on', 'text', (c) => c.notNull())
    .addColumn('end_on', 'text')
    .execute();
  await db.schema.createIndex('scr_enterprise_role_id').on('scr_enterprise_role').columns(['snapshot_id', 'id_no_bidx']).execute();

  await idCols(base('scr_former_staff').addColumn('name', 'text', (c) => c.notNull()))
    .addColumn('org_kind', 'text', (c) => c.notNull())
    .addColumn('org_name', 'text', (c) => c.notNull())
    .addColumn('post', 'text')
    .addColumn('grade', 'text')
    .addColumn('is_leader', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('left_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('scr_former_staff_id').on('scr_former_staff').columns(['snapshot_id', 'id_no_bidx']).execute();

  await idCols(base('scr_lawyer').addColumn('name', 'text', (c) => c.notNull()))
    .addColumn('licence_no', 'text', (c) => c.notNull())
    .addColumn('firm', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('practice_start', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scr_lawyer_id').on('scr_lawyer').columns(['snapshot_id', 'id_no_bidx']).execute();
  await db.schema.createIndex('scr_lawyer_licence').on('scr_lawyer').columns(['snapshot_id', 'licence_no']).execute();

  await base('scr_appearance')
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('court', 'text', (c) => c.notNull())
    .addColumn('judge', 'text', (c) => c.notNull())
    .addColumn('licence_no', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('appeared_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scr_appearance_licence').on('scr_appearance').columns(['snapshot_id', 'licence_no', 'court']).execute();
  await db.schema.createIndex('scr_appearance_court').on('scr_appearance').columns(['snapshot_id', 'court', 'judge']).execute();

  // 社区矫正.
  const bidxOnly = idCols;
  await idCols(base('scr_correction_notice').addColumn('name', 'text', (c) => c.notNull()))
    .addColumn('judgment_no', 'text', (c) => c.notNull())
    .addColumn('court', 'text', (c) => c.notNull())
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addColumn('term_start', 'text', (c) => c.notNull())
    .addColumn('term_end', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scr_correction_notice_id').on('scr_correction_notice').columns(['snapshot_id', 'id_no_bidx']).execute();
  await idCols(base('scr_correction_intake'))
    .addColumn('registered_on', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('office', 'text')
    .execute();
  await db.schema.createIndex('scr_correction_intake_id').on('scr_correction_intake').columns(['snapshot_id', 'id_no_bidx', 'registered_on']).execute();
  await bidxOnly(base('scr_correction_checkin'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('at_min', 'integer', (c) => c.notNull())
    .addColumn('method', 'text')
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('lng', 'real')
    .addColumn('lat', 'real')
    .execute();
  await db.schema.createIndex('scr_correction_checkin_id').on('scr_correction_checkin').columns(['snapshot_id', 'id_no_bidx', 'at_min']).execute();
  await db.schema.createIndex('scr_correction_checkin_at').on('scr_correction_checkin').columns(['snapshot_id', 'at_min', 'lat', 'lng']).execute();
  await bidxOnly(base('scr_correction_leave'))
    .addColumn('from_on', 'text', (c) => c.notNull())
    .addColumn('to_on', 'text', (c) => c.notNull())
    .addColumn('destination', 'text')
    .execute();
  await db.schema.createIndex('scr_correction_leave_id').on('scr_correction_leave').columns(['snapshot_id', 'id_no_bidx']).execute();
  await bidxOnly(base('scr_correction_warning'))
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('scr_correction_warning_id').on('scr_correction_warning').columns(['snapshot_id', 'id_no_bidx', 'issued_on']).execute();
  await bidxOnly(base('scr_correction_visit').addColumn('officer', 'text', (c) => c.notNull()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('at_min', 'integer', (c) => c.notNull())
    .addColumn('lng', 'real', (c) => c.notNull())
    .addColumn('lat', 'real', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scr_correction_visit_officer').on('scr_correction_visit').columns(['snapshot_id', 'officer', 'at_min']).execute();
  await db.schema.createIndex('scr_correction_visit_id').on('scr_correction_visit').columns(['snapshot_id', 'id_no_bidx', 'at_min']).execute();
  await bidxOnly(base('scr_correction_custody'))
    .addColumn('from_on', 'text', (c) => c.notNull())
    .addColumn('to_on', 'text')
    .execute();
  await db.schema.createIndex('scr_correction_custody_id').on('scr_correction_custody').columns(['snapshot_id', 'id_no_bidx']).execute();

  await db.schema
    .createTable('screening_rule')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('builtin', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('screening_rule_version')
    .addColumn('rule_code', 'text', (c) => c.notNull().references('screening_rule.code'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by_name', 'text')
    .addPrimaryKeyConstraint('screening_rule_version_pk', ['rule_code', 'version'])
    .execute();

  await db.schema
    .createTable('screening_run')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('snapshots', 'text', (c) => c.notNull()) // JSON: [{kind, snapshotId, importedAt, rows}]
    .addColumn('results', 'text', (c) => c.notNull()) // JSON: [{code, version, hits, new, unchanged, resolved}]
    .execute();
  await db.schema.createIndex('screening_run_order').on('screening_run').columns(['started_at', 'id']).execute();

  await db.schema
    .createTable('screening_hit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule_code', 'text', (c) => c.notNull().references('screening_rule.code'))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('rule_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('present', 'integer', (c) => c.notNull())
    // Sealed: who it concerns, what it says and the evidence rows.
    .addColumn('subject_enc', 'text', (c) => c.notNull())
    .addColumn('summary_enc', 'text', (c) => c.notNull())
    .addColumn('evidence_enc', 'text', (c) => c.notNull())
    // The platform's officer it concerns (matched by ID number), and so the unit whose scope it is in.
    .addColumn('person_id', 'text', (c) => c.references('person.id'))
    .addColumn('org_unit_id', 'text', (c) => c.references('org_unit.id'))
    .addColumn('first_run_id', 'text', (c) => c.notNull().references('screening_run.id'))
    .addColumn('last_run_id', 'text', (c) => c.notNull().references('screening_run.id'))
    .addColumn('resolved_run_id', 'text', (c) => c.references('screening_run.id'))
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_by_name', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('review_note_enc', 'text')
    .addColumn('clue_id', 'text', (c) => c.references('clue.id'))
    .addUniqueConstraint('screening_hit_finding', ['rule_code', 'fingerprint'])
    .execute();
  // The review queue: by status (open first), newest finding first; and per rule.
  await db.schema.createIndex('screening_hit_queue').on('screening_hit').columns(['status', 'first_seen_at', 'id']).execute();
  await db.schema.createIndex('screening_hit_rule').on('screening_hit').columns(['rule_code', 'first_seen_at', 'id']).execute();
  await db.schema.createIndex('screening_hit_rule_status').on('screening_hit').columns(['rule_code', 'status', 'first_seen_at', 'id']).execute();
  await db.schema.createIndex('screening_hit_order').on('screening_hit').columns(['first_seen_at', 'id']).execute();

  // The built-in rules, one of each kind with its default parameters, as version 1. The bureau edits
  // them (a new version each time) and adds rules of these kinds with other parameters.
  const now = new Date().toISOString();
  const rules = RULE_KIND_CODES.map((kind, seq) => ({
    code: kind, kind, name: RULE_KINDS[kind].name, description: RULE_KINDS[kind].description,
    params: JSON.stringify(RULE_KINDS[kind].defaults), version: 1, enabled: 1, builtin: 1, seq, created_at: now, updated_at: now,
  }));
  await db.insertInto('screening_rule').values(rules).execute();
  await db
    .insertInto('screening_rule_version')
    .values(rules.map((r) => ({ rule_code: r.code, version: 1, name: r.name, description: r.description, params: r.params, created_at: now, created_by_name: '系统内置' })))
    .execute();
}
