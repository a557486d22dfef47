import { sql, type Kysely } from 'kysely';

// The people search (`?q=`, name or police number contains the text) as an index range instead of a
// walk over every person (modules/people/queries.ts).
//
// person_term holds one row per distinct character of lower(name) and of lower(police_no) of each
// person, with the list's order columns copied beside it: (term, sort_key, name, person_id) is its
// key, so "people holding 王, in the list's order" is one range of it. Both fields share one term
// space; a collision only adds a candidate that the query's LIKE check removes. The characters are
// those of lower() of the whole value in SQL, exactly what contains() (platform/sqlx.ts) matches.
// police_no rides along (not in the key) so that check reads the index alone: looking each
// candidate up in person made a two-character search at 100× cost 5.6 ms instead of a fraction.
//
// Triggers keep it in step with every writer (commands, import, seed, bench scaling, an operator's
// SQL), like person.sort_key (0004), including org moves, which rewrite sort_key.
//
// SQLite triggers cannot use CTEs: seq_n (1…SEQ_MAX) splits a value into characters. Names are at
// most 50 and police numbers 30 characters (shared/schemas/people.ts); characters past SEQ_MAX of a
// longer value written by hand would not be found.
const SEQ_MAX = 1024;

// The terms of the people `r` ranges over (SQLite): `new` inside a trigger on person, or every person
// for the backfill (`from` joins seq_n, the characters' positions, as `s`).
const sqliteTerms = (r: string, from: string) => `
  INSERT INTO person_term (term, sort_key, name, person_id, police_no)
    SELECT substr(lower(${r}.name), s.n, 1), ${r}.sort_key, ${r}.name, ${r}.id, ${r}.police_no FROM ${from}
      WHERE s.n <= length(${r}.name) AND ${r}.sort_key IS NOT NULL
    UNION
    SELECT substr(lower(${r}.police_no), s.n, 1), ${r}.sort_key, ${r}.name, ${r}.id, ${r}.police_no FROM ${from}
      WHERE s.n <= length(${r}.police_no) AND ${r}.sort_key IS NOT NULL`;

// The terms of the people in `rows` (PostgreSQL: a transition table or person itself).
const pgTerms = (rows: string) => `
  INSERT INTO person_term (term, sort_key, name, person_id, police_no)
    SELECT DISTINCT t.term, r.sort_key, r.name, r.id, r.police_no
    FROM ${rows} r
    CROSS JOIN LATERAL (
      SELECT substr(lower(r.name), g, 1) FROM generate_series(1, length(lower(r.name))) g
      UNION ALL
      SELECT substr(lower(r.police_no), g, 1) FROM generate_series(1, length(lower(r.police_no))) g
    ) t(term)
    WHERE r.sort_key IS NOT NULL
  ON CONFLICT DO NOTHING`;

export function personTermsMigration(dialect: 'sqlite' | 'postgres') {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (pg) {
        // Collations as person's own columns, so the key's order is person_sort's: sort_key in byte
        // order ("C", 0004), name in person.name's (the database default). "C" for term: equality only.
        await sql`CREATE TABLE person_term (
          term text COLLATE "C" NOT NULL,
          sort_key text COLLATE "C" NOT NULL,
          name text NOT NULL,
          person_id text NOT NULL,
          police_no text,
          PRIMARY KEY (term, sort_key, name, person_id) INCLUDE (police_no))`.execute(db);
        await sql`CREATE INDEX person_term_person ON person_term (person_id)`.execute(db);
        // No writer may add a person between the triggers' creation and the backfill.
        await sql`LOCK TABLE person IN SHARE ROW EXCLUSIVE MODE`.execute(db);
        // Statement-level with transition tables: one INSERT … SELECT per statement however many rows
        // (import, bench scaling); sort_key is final there (0004's BEFORE trigger has run).
        await sql
          .raw(`CREATE FUNCTION person_term_added() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              ${pgTerms('added')};
              RETURN NULL;
            END $$`)
          .execute(db);
        // Only the people whose name, police number or sort key changed (a status edit rewrites nothing).
        await sql
          .raw(`CREATE FUNCTION person_term_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              DELETE FROM person_term WHERE person_id IN (
                SELECT id FROM (SELECT id, name, police_no, sort_key FROM old_rows
                                EXCEPT SELECT id, name, police_no, sort_key FROM new_rows) x);
              ${pgTerms(`(SELECT id, name, police_no, sort_key FROM new_rows
                          EXCEPT SELECT id, name, police_no, sort_key FROM old_rows)`)};
              RETURN NULL;
            END $$`)
          .execute(db);
        await sql`CREATE FUNCTION person_term_removed() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            DELETE FROM person_term WHERE person_id IN (SELECT id FROM removed);
            RETURN NULL;
          END $$`.execute(db);
        await sql`CREATE TRIGGER person_term_added AFTER INSERT ON person REFERENCING NEW TABLE AS added
          FOR EACH STATEMENT EXECUTE FUNCTION person_term_added()`.execute(db);
        await sql`CREATE TRIGGER person_term_changed AFTER UPDATE ON person REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION person_term_changed()`.execute(db);
        await sql`CREATE TRIGGER person_term_removed AFTER DELETE ON person REFERENCING OLD TABLE AS removed
          FOR EACH STATEMENT EXECUTE FUNCTION person_term_removed()`.execute(db);
        await sql.raw(pgTerms('person')).execute(db);
        return;
      }

      await sql`CREATE TABLE seq_n (n INTEGER PRIMARY KEY)`.execute(db);
      await sql`INSERT INTO seq_n (n)
        WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${sql.lit(SEQ_MAX)}) SELECT n FROM c`.execute(db);
      await sql`CREATE TABLE person_term (
        term TEXT NOT NULL,
        sort_key TEXT NOT NULL,
        name TEXT NOT NULL,
        person_id TEXT NOT NULL,
        police_no TEXT,
        PRIMARY KEY (term, sort_key, name, person_id)) WITHOUT ROWID`.execute(db);
      await sql`CREATE INDEX person_term_person ON person_term (person_id)`.execute(db);
      // Terms are written only once the row's sort_key is its unit's path. Otherwise 0004's trigger is
      // about to set it (an insert without one, a change of unit) and its UPDATE fires
      // person_term_au, which then sees the final row: one write of the terms per change, whatever
      // order SQLite fires the triggers in. Deleting first also clears what an INSERT OR REPLACE
      // (which fires no delete trigger) left behind.
      const settled = 'new.sort_key IS (SELECT path FROM org_unit WHERE id = new.org_unit_id)';
      await sql
        .raw(`CREATE TRIGGER person_term_ai AFTER INSERT ON person WHEN ${settled}
          BEGIN
            DELETE FROM person_term WHERE person_id = new.id;
            ${sqliteTerms('new', 'seq_n s')};
          END`)
        .execute(db);
      await sql
        .raw(`CREATE TRIGGER person_term_au AFTER UPDATE OF id, name, police_no, sort_key ON person
          WHEN (old.id IS NOT new.id OR old.name IS NOT new.name OR old.police_no IS NOT new.police_no
                OR old.sort_key IS NOT new.sort_key) AND ${settled}
          BEGIN
            DELETE FROM person_term WHERE person_id = old.id OR person_id = new.id;
            ${sqliteTerms('new', 'seq_n s')};
          END`)
        .execute(db);
      await sql`CREATE TRIGGER person_term_ad AFTER DELETE ON person
        BEGIN DELETE FROM person_term WHERE person_id = old.id; END`.execute(db);
      await sql.raw(sqliteTerms('p', 'person p CROSS JOIN seq_n s')).execute(db);
    },

    async down(db: Kysely<any>): Promise<void> {
      if (pg) {
        for (const f of ['person_term_added', 'person_term_changed', 'person_term_removed']) {
          await sql.raw(`DROP FUNCTION IF EXISTS ${f}() CASCADE`).execute(db);
        }
      } else {
        for (const t of ['person_term_ai', 'person_term_au', 'person_term_ad']) await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
        await db.schema.dropTable('seq_n').ifExists().execute();
      }
      await db.schema.dropTable('person_term').ifExists().execute();
    },
  };
}
