import { sql, type Kysely } from 'kysely';

// Row counts of the tables whose lists grow without end, kept by triggers in the same transaction
// as every insert and delete: an unfiltered list's total is one row read (platform/list.ts), where
// count(*) would read the whole table on PostgreSQL (15 ms for 83,500 people, more for the logs).
// Keep LIST_TOTAL_TABLES in platform/list.ts in step with this list.
export const COUNTED = ['person', 'audit_log', 'login_log'] as const;

export function listTotalsMigration(dialect: 'sqlite' | 'postgres') {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('list_total')
        .addColumn('table_name', 'text', (c) => c.primaryKey())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .execute();
      if (pg) {
        // Statement-level with transition tables: one counter update per statement, however many rows.
        await sql`CREATE FUNCTION list_total_added() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            UPDATE list_total SET n = n + (SELECT count(*) FROM added) WHERE table_name = TG_TABLE_NAME;
            RETURN NULL;
          END $$`.execute(db);
        await sql`CREATE FUNCTION list_total_removed() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            UPDATE list_total SET n = n - (SELECT count(*) FROM removed) WHERE table_name = TG_TABLE_NAME;
            RETURN NULL;
          END $$`.execute(db);
      }
      for (const table of COUNTED) {
        // Counted inside the migration's transaction or writer lock, with the triggers in place before
        // any other writer can add a row.
        if (pg) {
          await sql.raw(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`).execute(db);
          await sql.raw(`CREATE TRIGGER ${table}_total_added AFTER INSERT ON ${table} REFERENCING NEW TABLE AS added
            FOR EACH STATEMENT EXECUTE FUNCTION list_total_added()`).execute(db);
          await sql.raw(`CREATE TRIGGER ${table}_total_removed AFTER DELETE ON ${table} REFERENCING OLD TABLE AS removed
            FOR EACH STATEMENT EXECUTE FUNCTION list_total_removed()`).execute(db);
        } else {
          await sql.raw(`CREATE TRIGGER ${table}_total_added AFTER INSERT ON ${table}
            BEGIN UPDATE list_total SET n = n + 1 WHERE table_name = '${table}'; END`).execute(db);
          await sql.raw(`CREATE TRIGGER ${table}_total_removed AFTER DELETE ON ${table}
            BEGIN UPDATE list_total SET n = n - 1 WHERE table_name = '${table}'; END`).execute(db);
        }
        await sql.raw(`INSERT INTO list_total (table_name, n) SELECT '${table}', count(*) FROM ${table}`).execute(db);
      }
    },
    async down(db: Kysely<any>): Promise<void> {
      for (const table of COUNTED) {
        await sql.raw(`DROP TRIGGER IF EXISTS ${table}_total_added${pg ? ` ON ${table}` : ''}`).execute(db);
        await sql.raw(`DROP TRIGGER IF EXISTS ${table}_total_removed${pg ? ` ON ${table}` : ''}`).execute(db);
      }
      if (pg) {
        await sql`DROP FUNCTION IF EXISTS list_total_added()`.execute(db);
        await sql`DROP FUNCTION IF EXISTS list_total_removed()`.execute(db);
      }
      await db.schema.dropTable('list_total').ifExists().execute();
    },
  };
}
