import { sql, type Kysely } from 'kysely';

// The opinions list's total without filters, like the people's (0007_list_totals): kept by triggers
// in list_total. PostgreSQL otherwise reads every row to count (the 100× list's p50 grew 2.4× with a
// count capped at 10,000); SQLite's count(*) walks its smallest b-tree, which also grows with the table.
// Every submission already takes the audit chain's head lock, so one more counter row adds no new
// point where writers queue.
export function opinionTotalMigration(dialect: 'sqlite' | 'postgres') {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (pg) {
        await sql`LOCK TABLE opinion IN SHARE ROW EXCLUSIVE MODE`.execute(db);
        // The statement-level functions of 0007.
        await sql`CREATE TRIGGER opinion_total_added AFTER INSERT ON opinion REFERENCING NEW TABLE AS added
          FOR EACH STATEMENT EXECUTE FUNCTION list_total_added()`.execute(db);
        await sql`CREATE TRIGGER opinion_total_removed AFTER DELETE ON opinion REFERENCING OLD TABLE AS removed
          FOR EACH STATEMENT EXECUTE FUNCTION list_total_removed()`.execute(db);
      } else {
        await sql`CREATE TRIGGER opinion_total_added AFTER INSERT ON opinion
          BEGIN UPDATE list_total SET n = n + 1 WHERE table_name = 'opinion'; END`.execute(db);
        await sql`CREATE TRIGGER opinion_total_removed AFTER DELETE ON opinion
          BEGIN UPDATE list_total SET n = n - 1 WHERE table_name = 'opinion'; END`.execute(db);
      }
      await sql`INSERT INTO list_total (table_name, n) SELECT 'opinion', count(*) FROM opinion`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      await sql.raw(`DROP TRIGGER IF EXISTS opinion_total_added${pg ? ' ON opinion' : ''}`).execute(db);
      await sql.raw(`DROP TRIGGER IF EXISTS opinion_total_removed${pg ? ' ON opinion' : ''}`).execute(db);
      await sql`DELETE FROM list_total WHERE table_name = 'opinion'`.execute(db);
    },
  };
}
