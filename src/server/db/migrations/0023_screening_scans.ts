import { sql, type Kysely } from 'kysely';

// 社区矫正's rules read millions of check-ins. Two covering indexes let them read the index alone
// (no table row per check-in): by subject in time order (gaps, away from home, after the term, in
// custody — each a range per subject driven from the judgment register), and by minute and place
// (the same coordinates for different subjects). The gaps between a subject's consecutive check-ins
// are computed once, when the register is imported (scr_correction_gap, only gaps over a day: the
// shortest interval a rule may allow), so a rule reads the few long ones by an index range instead of
// running a window over every check-in on every run; so are the minutes and places shared by several
// subjects (scr_correction_same_place) and the districts each subject checked in from.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('scr_correction_checkin_id').execute();
  await db.schema.dropIndex('scr_correction_checkin_at').execute();
  await db.schema.createIndex('scr_correction_checkin_subject').on('scr_correction_checkin').columns(['snapshot_id', 'id_no_bidx', 'at', 'row_no', 'district']).execute();
  await db.schema.createIndex('scr_correction_checkin_place').on('scr_correction_checkin').columns(['snapshot_id', 'at_min', 'lat', 'lng', 'id_no_bidx']).execute();
  // 司法掮客 counts appearances per court, judge and lawyer: in this index's order, without a sort.
  await db.schema.dropIndex('scr_appearance_court').execute();
  await db.schema.createIndex('scr_appearance_court_judge').on('scr_appearance').columns(['snapshot_id', 'court', 'judge', 'licence_no', 'row_no']).execute();
  await db.schema
    .createTable('scr_correction_gap')
    .addColumn('snapshot_id', 'text', (c) => c.notNull().references('screening_snapshot.id'))
    .addColumn('id_no_bidx', 'text', (c) => c.notNull())
    // The check-in before the gap and the one after it (row numbers in the file), in minutes.
    .addColumn('from_row', 'integer', (c) => c.notNull())
    .addColumn('to_row', 'integer', (c) => c.notNull())
    .addColumn('from_min', 'bigint', (c) => c.notNull())
    .addColumn('to_min', 'bigint', (c) => c.notNull())
    .addColumn('gap_min', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('scr_correction_gap_pk', ['snapshot_id', 'from_row'])
    .execute();
  await db.schema.createIndex('scr_correction_gap_len').on('scr_correction_gap').columns(['snapshot_id', 'gap_min']).execute();
  // Minutes and coordinates at which more than one subject checked in (possibly checked in for by one
  // person), also found at import: a fact of the register alone, whatever a rule's parameters.
  await db.schema
    .createTable('scr_correction_same_place')
    .addColumn('snapshot_id', 'text', (c) => c.notNull().references('screening_snapshot.id'))
    .addColumn('at_min', 'bigint', (c) => c.notNull())
    .addColumn('lat', 'real', (c) => c.notNull())
    .addColumn('lng', 'real', (c) => c.notNull())
    .addColumn('subjects', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('scr_correction_same_place_pk', ['snapshot_id', 'at_min', 'lat', 'lng'])
    .execute();
  // The districts each subject checked in from, with how many times: 脱管's "away from home" reads
  // only the subjects with a district other than their judgment's, not every check-in.
  await db.schema
    .createTable('scr_correction_checkin_district')
    .addColumn('snapshot_id', 'text', (c) => c.notNull().references('screening_snapshot.id'))
    .addColumn('id_no_bidx', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('checkins', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('scr_correction_checkin_district_pk', ['snapshot_id', 'id_no_bidx', 'district'])
    .execute();
  await sql`insert into scr_correction_checkin_district (snapshot_id, id_no_bidx, district, checkins)
    select snapshot_id, id_no_bidx, district, count(*) from scr_correction_checkin group by snapshot_id, id_no_bidx, district`.execute(db);
  // The gaps of the check-in registers already imported.
  await sql`insert into scr_correction_gap (snapshot_id, id_no_bidx, from_row, to_row, from_min, to_min, gap_min)
    select snapshot_id, id_no_bidx, row_no, next_row, at_min, next_min, next_min - at_min from (
      select snapshot_id, id_no_bidx, row_no, at_min,
        lead(at_min) over w as next_min, lead(row_no) over w as next_row
      from scr_correction_checkin window w as (partition by snapshot_id, id_no_bidx order by at_min, row_no)
    ) g where next_min - at_min > 1440`.execute(db);
  await sql`insert into scr_correction_same_place (snapshot_id, at_min, lat, lng, subjects)
    select snapshot_id, at_min, lat, lng, count(distinct id_no_bidx) from scr_correction_checkin
    where lat is not null and lng is not null
    group by snapshot_id, at_min, lat, lng having count(distinct id_no_bidx) > 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scr_correction_checkin_district').execute();
  await db.schema.dropTable('scr_correction_same_place').execute();
  await db.schema.dropTable('scr_correction_gap').execute();
  await db.schema.dropIndex('scr_appearance_court_judge').execute();
  await db.schema.createIndex('scr_appearance_court').on('scr_appearance').columns(['snapshot_id', 'court', 'judge']).execute();
  await db.schema.dropIndex('scr_correction_checkin_place').execute();
  await db.schema.dropIndex('scr_correction_checkin_subject').execute();
  await db.schema.createIndex('scr_correction_checkin_id').on('scr_correction_checkin').columns(['snapshot_id', 'id_no_bidx', 'at_min']).execute();
  await db.schema.createIndex('scr_correction_checkin_at').on('scr_correction_checkin').columns(['snapshot_id', 'at_min', 'lat', 'lng']).execute();
}
