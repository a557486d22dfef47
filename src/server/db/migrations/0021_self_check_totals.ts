import { sql, type Kysely } from 'kysely';

// The self-check "who has not signed" list's total without counting people (queries.ts, listMissing):
// per unit, the serving officers (person.status 'active') and, per campaign, how many of them hold a
// signed report, kept by triggers in the same transaction as every change of either table. The
// missing total in a scope is then a sum over its units (~100 rows at any size) instead of one
// anti-join lookup per person (10,001 lookups, 5.8 ms at 100×). Counted by the person's unit now,
// as the list's scope is. At most one version per person and campaign is 'signed' (signing
// supersedes the previous one), so signed reports count people.
export function selfCheckTotalsMigration(dialect: 'sqlite' | 'postgres') {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('serving_unit_total')
        .addColumn('org_unit_id', 'text', (c) => c.primaryKey())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('self_check_unit_total')
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('org_unit_id', 'text', (c) => c.notNull())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('self_check_unit_total_pk', ['campaign_id', 'org_unit_id'])
        .execute();
      if (pg) {
        // Counted under the locks, with the triggers in place before any other writer changes a row.
        await sql`LOCK TABLE person, self_check_report IN SHARE ROW EXCLUSIVE MODE`.execute(db);
        await sql`CREATE FUNCTION serving_unit_total_kept() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.org_unit_id = NEW.org_unit_id THEN
              RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'active' THEN
              UPDATE serving_unit_total SET n = n - 1 WHERE org_unit_id = OLD.org_unit_id;
              UPDATE self_check_unit_total t SET n = t.n - r.n
                FROM (SELECT campaign_id, count(*) AS n FROM self_check_report
                      WHERE person_id = OLD.id AND status = 'signed' GROUP BY campaign_id) r
                WHERE t.campaign_id = r.campaign_id AND t.org_unit_id = OLD.org_unit_id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'active' THEN
              INSERT INTO serving_unit_total (org_unit_id, n) VALUES (NEW.org_unit_id, 1)
                ON CONFLICT (org_unit_id) DO UPDATE SET n = serving_unit_total.n + 1;
              INSERT INTO self_check_unit_total (campaign_id, org_unit_id, n)
                SELECT campaign_id, NEW.org_unit_id, count(*) FROM self_check_report
                WHERE person_id = NEW.id AND status = 'signed' GROUP BY campaign_id
                ON CONFLICT (campaign_id, org_unit_id) DO UPDATE SET n = self_check_unit_total.n + excluded.n;
            END IF;
            RETURN NULL;
          END $$`.execute(db);
        await sql`CREATE FUNCTION self_check_unit_total_kept() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'signed' THEN
              UPDATE self_check_unit_total t SET n = t.n - 1 FROM person p
                WHERE p.id = OLD.person_id AND p.status = 'active' AND t.campaign_id = OLD.campaign_id AND t.org_unit_id = p.org_unit_id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'signed' THEN
              INSERT INTO self_check_unit_total (campaign_id, org_unit_id, n)
                SELECT NEW.campaign_id, p.org_unit_id, 1 FROM person p WHERE p.id = NEW.person_id AND p.status = 'active'
                ON CONFLICT (campaign_id, org_unit_id) DO UPDATE SET n = self_check_unit_total.n + 1;
            END IF;
            RETURN NULL;
          END $$`.execute(db);
        await sql`CREATE TRIGGER serving_unit_total_kept AFTER INSERT OR DELETE OR UPDATE OF status, org_unit_id ON person
          FOR EACH ROW EXECUTE FUNCTION serving_unit_total_kept()`.execute(db);
        await sql`CREATE TRIGGER self_check_unit_total_kept AFTER INSERT OR DELETE OR UPDATE OF status, person_id, campaign_id
          ON self_check_report FOR EACH ROW EXECUTE FUNCTION self_check_unit_total_kept()`.execute(db);
      } else {
        // Each statement guards itself with a WHERE on old/new (a trigger body has no IF). An upsert
        // from a SELECT needs that SELECT's WHERE (SQLite's parser), which each has.
        const leaving = (who: 'old') => sql.raw(`
          UPDATE serving_unit_total SET n = n - 1 WHERE org_unit_id = ${who}.org_unit_id AND ${who}.status = 'active';
          UPDATE self_check_unit_total SET n = n - (SELECT count(*) FROM self_check_report r
              WHERE r.person_id = ${who}.id AND r.campaign_id = self_check_unit_total.campaign_id AND r.status = 'signed')
            WHERE org_unit_id = ${who}.org_unit_id AND ${who}.status = 'active';`);
        const arriving = (who: 'new') => sql.raw(`
          INSERT INTO serving_unit_total (org_unit_id, n) SELECT ${who}.org_unit_id, 1 WHERE ${who}.status = 'active'
            ON CONFLICT (org_unit_id) DO UPDATE SET n = n + 1;
          INSERT INTO self_check_unit_total (campaign_id, org_unit_id, n)
            SELECT campaign_id, ${who}.org_unit_id, count(*) FROM self_check_report
            WHERE person_id = ${who}.id AND status = 'signed' AND ${who}.status = 'active' GROUP BY campaign_id
            ON CONFLICT (campaign_id, org_unit_id) DO UPDATE SET n = n + excluded.n;`);
        await sql`CREATE TRIGGER serving_unit_total_ai AFTER INSERT ON person WHEN new.status = 'active'
          BEGIN ${arriving('new')} END`.execute(db);
        await sql`CREATE TRIGGER serving_unit_total_ad AFTER DELETE ON person WHEN old.status = 'active'
          BEGIN ${leaving('old')} END`.execute(db);
        await sql`CREATE TRIGGER serving_unit_total_au AFTER UPDATE OF status, org_unit_id ON person
          WHEN (old.status IS NOT new.status OR old.org_unit_id IS NOT new.org_unit_id) AND (old.status = 'active' OR new.status = 'active')
          BEGIN ${leaving('old')} ${arriving('new')} END`.execute(db);
        const unsigned = sql.raw(`
          UPDATE self_check_unit_total SET n = n - 1
            WHERE campaign_id = old.campaign_id AND old.status = 'signed'
              AND org_unit_id = (SELECT org_unit_id FROM person WHERE id = old.person_id AND status = 'active');`);
        const signed = sql.raw(`
          INSERT INTO self_check_unit_total (campaign_id, org_unit_id, n)
            SELECT new.campaign_id, p.org_unit_id, 1 FROM person p WHERE p.id = new.person_id AND p.status = 'active' AND new.status = 'signed'
            ON CONFLICT (campaign_id, org_unit_id) DO UPDATE SET n = n + 1;`);
        await sql`CREATE TRIGGER self_check_unit_total_ai AFTER INSERT ON self_check_report WHEN new.status = 'signed'
          BEGIN ${signed} END`.execute(db);
        await sql`CREATE TRIGGER self_check_unit_total_ad AFTER DELETE ON self_check_report WHEN old.status = 'signed'
          BEGIN ${unsigned} END`.execute(db);
        await sql`CREATE TRIGGER self_check_unit_total_au AFTER UPDATE OF status, person_id, campaign_id ON self_check_report
          WHEN old.status = 'signed' OR new.status = 'signed'
          BEGIN ${unsigned} ${signed} END`.execute(db);
      }
      await sql`INSERT INTO serving_unit_total (org_unit_id, n)
        SELECT org_unit_id, count(*) FROM person WHERE status = 'active' GROUP BY org_unit_id`.execute(db);
      await sql`INSERT INTO self_check_unit_total (campaign_id, org_unit_id, n)
        SELECT r.campaign_id, p.org_unit_id, count(*) FROM self_check_report r JOIN person p ON p.id = r.person_id
        WHERE r.status = 'signed' AND p.status = 'active' GROUP BY r.campaign_id, p.org_unit_id`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      if (pg) {
        await sql`DROP TRIGGER IF EXISTS serving_unit_total_kept ON person`.execute(db);
        await sql`DROP TRIGGER IF EXISTS self_check_unit_total_kept ON self_check_report`.execute(db);
        await sql`DROP FUNCTION IF EXISTS serving_unit_total_kept()`.execute(db);
        await sql`DROP FUNCTION IF EXISTS self_check_unit_total_kept()`.execute(db);
      } else {
        for (const t of ['serving_unit_total_ai', 'serving_unit_total_ad', 'serving_unit_total_au', 'self_check_unit_total_ai',
          'self_check_unit_total_ad', 'self_check_unit_total_au']) await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
      }
      await db.schema.dropTable('self_check_unit_total').ifExists().execute();
      await db.schema.dropTable('serving_unit_total').ifExists().execute();
    },
  };
}
