import type { Kysely } from 'kysely';

// The annual assessment page (modules/exams/archive.ts) reads each of its parts as an index range, so
// a page costs the same with 100× the people and attempts.
//
// 1. exam_attempt_person_status: a page's people's graded attempts (exam-queries.ts, topicAttempts).
//    With only (person_id, exam_id), SQLite without statistics prefers exam_attempt_deadline
//    (status = 'graded') and walks every graded attempt in the database (~5,000: 3–6 ms a page);
//    matching person and status reads just those people's attempts. Score and pass ride along so the
//    attempt rows themselves (paper and answers, kilobytes each) are never read.
// 2. study_topic_start: the year's topics by start date (and the undated ones, whose year is their
//    exams') as index ranges instead of a scan of every topic of every year.
const INDEXES: [string, string, string[]][] = [
  ['exam_attempt_person_status', 'exam_attempt', ['person_id', 'status', 'exam_id', 'score', 'passed']],
  ['study_topic_start', 'study_topic', ['starts_on', 'id']],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of INDEXES) await db.schema.createIndex(name).on(table).columns(columns).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).ifExists().execute();
}
