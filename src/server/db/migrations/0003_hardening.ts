import { sql, type Kysely } from 'kysely';

// The outside review's fixes that need the schema:
// - retry recognition keeps a keyed digest of the request, never the client's request id in clear;
// - Open311 fields that were dropped (email sealed like a phone, device/account ids sealed, media_url);
// - the resident ID number's mask shows only its first two and its check character (the old mask
//   hid exactly the birth date, which is shown beside it, so the two together were the full number);
// - privileged account changes wait for a second administrator's approval.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('opinion_client_request').ifExists().execute();
  await db.schema.alterTable('opinion').dropColumn('client_request_id').execute();
  await db.schema.alterTable('opinion').addColumn('request_digest', 'text').execute();
  await db.schema.createIndex('opinion_request_digest').on('opinion').column('request_digest').execute();
  await db.schema.alterTable('opinion').addColumn('submitter_email_enc', 'text').execute();
  await db.schema.alterTable('opinion').addColumn('open311_meta_enc', 'text').execute();
  await db.schema.alterTable('opinion').addColumn('media_url', 'text').execute();
  await db.schema.alterTable('opinion').addColumn('open311_key_id', 'text').execute();

  await sql`update person set id_no_masked = substr(id_no_masked, 1, 2) || '***************' || substr(id_no_masked, 18, 1)
            where id_no_masked is not null and length(id_no_masked) = 18`.execute(db);

  await db.schema
    .createTable('approval_request')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('requester_duties', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('result', 'text')
    .addColumn('secret_enc', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approval_request_status').on('approval_request').columns(['status', 'requested_at']).execute();
  await db.schema.createIndex('approval_request_target').on('approval_request').columns(['target_type', 'target_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('approval_request').ifExists().execute();
  for (const c of ['open311_key_id', 'media_url', 'open311_meta_enc', 'submitter_email_enc']) {
    await db.schema.alterTable('opinion').dropColumn(c).execute();
  }
  await db.schema.dropIndex('opinion_request_digest').ifExists().execute();
  await db.schema.alterTable('opinion').dropColumn('request_digest').execute();
  await db.schema.alterTable('opinion').addColumn('client_request_id', 'text').execute();
}
