import { sql, type Kysely } from 'kysely';

// 开门纳谏: opinions, their public history, adoption links, symposiums, questionnaires, Open311 keys,
// and the per-IP counters and spent challenges the public intake needs across processes.
export function opinionsMigration(dialect: 'sqlite' | 'postgres') {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('opinion')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // Human-facing serial (意见编号), also the Open311 service_request_id.
        .addColumn('public_no', 'text', (c) => c.notNull().unique())
        .addColumn('campaign_id', 'text', (c) => c.references('campaign.id'))
        // The receipt code is a bearer secret: we keep its SM3 digest for lookup and a sealed copy
        // only so an idempotent retry from the same client can be answered with the same code.
        .addColumn('receipt_hash', 'text', (c) => c.notNull().unique())
        .addColumn('receipt_enc', 'text', (c) => c.notNull())
        .addColumn('client_request_id', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('category', 'text')
        .addColumn('suggested_category', 'text')
        .addColumn('suggested_confidence', 'real')
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('search_tokens', 'text', (c) => c.notNull())
        // SimHash of the text split in four 16-bit bands: two texts within Hamming distance 3 share a band.
        .addColumn('simhash', 'text', (c) => c.notNull())
        .addColumn('sh0', 'integer', (c) => c.notNull())
        .addColumn('sh1', 'integer', (c) => c.notNull())
        .addColumn('sh2', 'integer', (c) => c.notNull())
        .addColumn('sh3', 'integer', (c) => c.notNull())
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('submitter_name_enc', 'text')
        .addColumn('submitter_phone_enc', 'text')
        .addColumn('wants_contact', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('location_text', 'text')
        .addColumn('lat', 'real')
        .addColumn('lon', 'real')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('assigned_unit_id', 'text', (c) => c.references('org_unit.id'))
        .addColumn('assigned_at', 'text')
        .addColumn('deadline_at', 'text')
        .addColumn('reply_text', 'text')
        .addColumn('replied_at', 'text')
        .addColumn('replied_by', 'text')
        .addColumn('reject_reason', 'text')
        .addColumn('merged_into_id', 'text', (c) => c.references('opinion.id'))
        .addColumn('rating', 'integer')
        .addColumn('rating_comment', 'text')
        .addColumn('rated_at', 'text')
        .addColumn('symposium_id', 'text')
        .addColumn('entered_by', 'text')
        .addColumn('source_ip_hash', 'text')
        .addColumn('open311_token', 'text')
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      for (const [name, cols] of [
        ['opinion_status', ['status', 'submitted_at']],
        ['opinion_category', ['category', 'submitted_at']],
        ['opinion_channel', ['channel', 'submitted_at']],
        ['opinion_unit', ['assigned_unit_id', 'status']],
        ['opinion_submitted', ['submitted_at']],
        ['opinion_content_hash', ['content_hash']],
        ['opinion_client_request', ['client_request_id']],
        ['opinion_sh0', ['sh0']],
        ['opinion_sh1', ['sh1']],
        ['opinion_sh2', ['sh2']],
        ['opinion_sh3', ['sh3']],
        ['opinion_merged', ['merged_into_id']],
        ['opinion_open311_token', ['open311_token']],
      ] as const) {
        await db.schema.createIndex(name).on('opinion').columns([...cols]).execute();
      }

      if (dialect === 'sqlite') {
        // External-content FTS5 over the jieba tokens, kept in step by triggers.
        await sql`CREATE VIRTUAL TABLE opinion_fts USING fts5(search_tokens, content='opinion', content_rowid='rowid', tokenize='unicode61')`.execute(db);
        await sql`CREATE TRIGGER opinion_fts_ai AFTER INSERT ON opinion BEGIN
          INSERT INTO opinion_fts(rowid, search_tokens) VALUES (new.rowid, new.search_tokens); END`.execute(db);
        await sql`CREATE TRIGGER opinion_fts_ad AFTER DELETE ON opinion BEGIN
          INSERT INTO opinion_fts(opinion_fts, rowid, search_tokens) VALUES ('delete', old.rowid, old.search_tokens); END`.execute(db);
        await sql`CREATE TRIGGER opinion_fts_au AFTER UPDATE OF search_tokens ON opinion BEGIN
          INSERT INTO opinion_fts(opinion_fts, rowid, search_tokens) VALUES ('delete', old.rowid, old.search_tokens);
          INSERT INTO opinion_fts(rowid, search_tokens) VALUES (new.rowid, new.search_tokens); END`.execute(db);
      } else {
        await sql`ALTER TABLE opinion ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_tokens)) STORED`.execute(db);
        await sql`CREATE INDEX opinion_search_vector ON opinion USING gin (search_vector)`.execute(db);
      }

      await db.schema
        .createTable('opinion_event')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('public', 'integer', (c) => c.notNull())
        .addColumn('public_text', 'text')
        .addColumn('detail', 'text')
        .addColumn('actor_id', 'text')
        .execute();
      await db.schema.createIndex('opinion_event_opinion').on('opinion_event').columns(['opinion_id', 'at']).execute();

      await db.schema
        .createTable('opinion_adoption')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('opinion_id', 'text', (c) => c.notNull().references('opinion.id'))
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('target_ref', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('opinion_adoption_once', ['opinion_id', 'target'])
        .execute();
      await db.schema.createIndex('opinion_adoption_target').on('opinion_adoption').columns(['target', 'target_ref']).execute();

      await db.schema
        .createTable('symposium')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.references('campaign.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('held_on', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('location', 'text')
        .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
        .addColumn('summary', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('symposium_attendee')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('symposium_id', 'text', (c) => c.notNull().references('symposium.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('person_id', 'text', (c) => c.references('person.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('organization', 'text')
        .execute();
      await db.schema.createIndex('symposium_attendee_s').on('symposium_attendee').column('symposium_id').execute();

      await db.schema
        .createTable('survey')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.references('campaign.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('one_per_device', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_unit.id'))
        .addColumn('created_by', 'text')
        .addColumn('published_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('survey_question')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('survey_id', 'text', (c) => c.notNull().references('survey.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('options', 'text')
        .addColumn('required', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.createIndex('survey_question_s').on('survey_question').columns(['survey_id', 'seq']).execute();
      await db.schema
        .createTable('survey_response')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('survey_id', 'text', (c) => c.notNull().references('survey.id'))
        .addColumn('device_hash', 'text')
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('survey_response_device', ['survey_id', 'device_hash'])
        .execute();

      await db.schema
        .createTable('open311_key')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('key_hint', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();

      // Per-IP submission counters (hashed IP, hour bucket) and spent proof-of-work challenges:
      // in the database so every process enforces the same limits.
      await db.schema
        .createTable('public_rate')
        .addColumn('bucket', 'text', (c) => c.notNull())
        .addColumn('ip_hash', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('public_rate_pk', ['bucket', 'ip_hash'])
        .execute();
      await db.schema
        .createTable('spent_challenge')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      if (dialect === 'sqlite') await sql`DROP TABLE IF EXISTS opinion_fts`.execute(db);
      for (const t of [
        'spent_challenge', 'public_rate', 'open311_key', 'survey_response', 'survey_question', 'survey',
        'symposium_attendee', 'symposium', 'opinion_adoption', 'opinion_event', 'opinion',
      ]) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  };
}
