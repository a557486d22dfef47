import { sql, type Kysely } from 'kysely';

// Lists that stay fast as data grows (see src/server/platform/list.ts), and the auth epoch that lets
// each process cache the signed-in actor safely.
//
// 1. person.sort_key: the person's org-unit path, copied onto the person so the people list's order
//    (unit tree, then name, then id) and the "unit and below" scope are one index range instead of a
//    sort across two tables. Triggers keep it in step with whoever writes (commands, import, seed,
//    an operator's SQL): on insert, on a change of unit, and when an org move rewrites paths.
// 2. One index per list order and per filter (filter columns first, then the order's columns).
// 3. auth_epoch: one row whose number goes up, in the same transaction, with every change to what a
//    signed-in actor is made of (accounts, roles, role units, user roles, unit paths). Triggers again,
//    so no writer can forget it; the per-request session query reads it (platform/auth.ts).

// [name, table, columns, partial-index condition]: one per list order and per filter (the filter's
// columns first, then the order's), so no list sorts or scans a whole table.
const INDEXES: [string, string, string[], string?][] = [
  // people: default order, and each filter followed by the order
  ['person_sort', 'person', ['sort_key', 'name', 'id']],
  ['person_status_sort', 'person', ['status', 'sort_key', 'name', 'id']],
  ['person_post_sort', 'person', ['post', 'sort_key', 'name', 'id']],
  ['person_party_sort', 'person', ['party_org_id', 'sort_key', 'name', 'id']],
  // accounts
  ['app_user_unit_name', 'app_user', ['org_unit_id', 'username']],
  ['app_session_live', 'app_session', ['last_seen_at', 'id'], 'revoked_at IS NULL'],
  // logs
  ['audit_log_at_seq', 'audit_log', ['at', 'seq']],
  ['audit_log_action_seq', 'audit_log', ['action', 'seq']],
  ['audit_log_type_seq', 'audit_log', ['entity_type', 'seq']],
  ['audit_log_entity_seq', 'audit_log', ['entity_type', 'entity_id', 'seq']],
  ['login_log_at_id', 'login_log', ['at', 'id']],
  ['login_log_success_at', 'login_log', ['success', 'at', 'id']],
  ['login_log_user_at_id', 'login_log', ['user_id', 'at', 'id']],
  // dictionaries
  ['dict_type_order', 'dict_type', ['builtin desc', 'code']],
  ['dict_item_order', 'dict_item', ['type_code', 'sort', 'code']],
  ['dict_item_enabled_order', 'dict_item', ['type_code', 'enabled', 'sort', 'code']],
  // campaigns
  ['campaign_order', 'campaign', ['batch', 'created_at', 'id']],
  // notifications (the user's own; unread ones in a partial index)
  ['notification_user_order', 'notification', ['user_id', 'created_at', 'id']],
  ['notification_unread', 'notification', ['user_id', 'created_at', 'id'], 'read_at IS NULL'],
  // symposiums
  ['symposium_order', 'symposium', ['held_on', 'id']],
  ['symposium_unit_order', 'symposium', ['org_unit_id', 'held_on', 'id']],
  // surveys and their responses
  ['survey_order', 'survey', ['created_at', 'id']],
  ['survey_status_order', 'survey', ['status', 'created_at', 'id']],
  ['survey_unit_order', 'survey', ['org_unit_id', 'created_at', 'id']],
  ['survey_published_order', 'survey', ['status', 'published_at', 'id']],
  ['survey_response_order', 'survey_response', ['survey_id', 'submitted_at', 'id']],
  // Open311 keys
  ['open311_key_order', 'open311_key', ['created_at', 'id']],
  // approvals
  ['approval_request_order', 'approval_request', ['requested_at', 'id']],
  ['approval_request_requester', 'approval_request', ['requested_by', 'requested_at', 'id']],
  ['approval_request_kind', 'approval_request', ['kind', 'requested_at', 'id']],
  ['approval_request_status_order', 'approval_request', ['status', 'requested_at', 'id']],
];

export function listIndexesMigration(dialect: 'sqlite' | 'postgres') {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<any>): Promise<void> {
      // ---- person.sort_key
      if (pg) {
        // Byte order ("C"): the subtree range '/a/b/' ≤ k < '/a/b0' must mean "starts with '/a/b/'"
        // whatever the database's collation, and it matches SQLite's order.
        await sql`ALTER TABLE person ADD COLUMN sort_key text COLLATE "C"`.execute(db);
        await sql`UPDATE person SET sort_key = org_unit.path FROM org_unit WHERE org_unit.id = person.org_unit_id`.execute(db);
        await sql`CREATE FUNCTION person_sort_key() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            NEW.sort_key := (SELECT path FROM org_unit WHERE id = NEW.org_unit_id);
            RETURN NEW;
          END $$`.execute(db);
        await sql`CREATE TRIGGER person_sort_key BEFORE INSERT OR UPDATE OF org_unit_id, sort_key ON person
          FOR EACH ROW EXECUTE FUNCTION person_sort_key()`.execute(db);
        await sql`CREATE FUNCTION org_unit_path_people() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            UPDATE person SET sort_key = NEW.path WHERE org_unit_id = NEW.id;
            RETURN NULL;
          END $$`.execute(db);
        await sql`CREATE TRIGGER org_unit_path_people AFTER UPDATE OF path ON org_unit
          FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION org_unit_path_people()`.execute(db);
      } else {
        await sql`ALTER TABLE person ADD COLUMN sort_key text`.execute(db);
        await sql`UPDATE person SET sort_key = (SELECT path FROM org_unit WHERE org_unit.id = person.org_unit_id)`.execute(db);
        // SQLite cannot change NEW in a BEFORE trigger: fix the row right after, only when it is wrong.
        for (const [name, event] of [
          ['person_sort_key_ai', 'AFTER INSERT'],
          ['person_sort_key_au', 'AFTER UPDATE OF org_unit_id, sort_key'],
        ] as const) {
          await sql
            .raw(
              `CREATE TRIGGER ${name} ${event} ON person
               WHEN new.sort_key IS NOT (SELECT path FROM org_unit WHERE id = new.org_unit_id)
               BEGIN UPDATE person SET sort_key = (SELECT path FROM org_unit WHERE id = new.org_unit_id) WHERE id = new.id; END`,
            )
            .execute(db);
        }
        await sql`CREATE TRIGGER org_unit_path_people AFTER UPDATE OF path ON org_unit WHEN old.path IS NOT new.path
          BEGIN UPDATE person SET sort_key = new.path WHERE org_unit_id = new.id; END`.execute(db);
      }

      // ---- indexes
      for (const [name, table, columns, where] of INDEXES) {
        let b = db.schema.createIndex(name).on(table).columns(columns);
        if (where) b = b.where(sql.raw(where) as any);
        await b.execute();
      }
      // Superseded by the wider indexes above (same leading columns).
      for (const name of ['login_log_at', 'notification_user', 'app_user_org_unit', 'approval_request_status']) {
        await db.schema.dropIndex(name).ifExists().execute();
      }

      // ---- auth epoch
      await db.schema
        .createTable('auth_epoch')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('epoch', 'bigint', (c) => c.notNull())
        .execute();
      await db.insertInto('auth_epoch').values({ id: 1, epoch: 1 }).execute();
      // What an actor is made of: the account, its roles, their units and permissions, unit paths.
      const watched: [string, string][] = [
        ['app_user', 'UPDATE OF username, display_name, person_id, org_unit_id, status, password_hash, must_change_password'],
        ['app_user', 'DELETE'],
        ['user_role', 'INSERT'],
        ['user_role', 'UPDATE'],
        ['user_role', 'DELETE'],
        ['role', 'UPDATE'],
        ['role', 'DELETE'],
        ['role_unit', 'INSERT'],
        ['role_unit', 'UPDATE'],
        ['role_unit', 'DELETE'],
        ['org_unit', 'UPDATE OF path'],
      ];
      if (pg) {
        await sql`CREATE FUNCTION bump_auth_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            UPDATE auth_epoch SET epoch = epoch + 1 WHERE id = 1;
            RETURN NULL;
          END $$`.execute(db);
      }
      for (const [table, event] of watched) {
        const name = `auth_epoch_${table}_${event.split(' ')[0]!.toLowerCase()}`;
        await sql
          .raw(
            pg
              ? `CREATE TRIGGER ${name} AFTER ${event} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_epoch()`
              : `CREATE TRIGGER ${name} AFTER ${event} ON ${table} BEGIN UPDATE auth_epoch SET epoch = epoch + 1 WHERE id = 1; END`,
          )
          .execute(db);
      }
    },

    async down(db: Kysely<any>): Promise<void> {
      if (pg) {
        await sql`DROP FUNCTION IF EXISTS bump_auth_epoch() CASCADE`.execute(db);
        await sql`DROP FUNCTION IF EXISTS org_unit_path_people() CASCADE`.execute(db);
        await sql`DROP FUNCTION IF EXISTS person_sort_key() CASCADE`.execute(db);
      } else {
        const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger'
          and (name like 'auth_epoch_%' or name like 'person_sort_key_%' or name = 'org_unit_path_people')`.execute(db);
        for (const t of triggers.rows) await sql.raw(`DROP TRIGGER IF EXISTS ${t.name}`).execute(db);
      }
      await db.schema.dropTable('auth_epoch').ifExists().execute();
      for (const [name] of INDEXES) await db.schema.dropIndex(name).ifExists().execute();
      await db.schema.alterTable('person').dropColumn('sort_key').execute();
    },
  };
}
