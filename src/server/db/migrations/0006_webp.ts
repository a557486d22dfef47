import { sql, type Kysely } from 'kysely';

// WebP photos (what many phones save now) become an allowed attachment type on databases seeded
// before it was in the 附件类型 dictionary. A fresh database gets it from the seed
// (src/server/seed/reference.ts), which runs after the migrations: this inserts only where the
// dictionary already exists and lacks the item, and never touches an administrator's choice
// (an item they disabled stays disabled).

// The id and place a fresh seed gives it (the 7th item).
const ID = 'dict-attachment_type-7';

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  await sql`
    insert into dict_item (id, type_code, code, label, sort, enabled, created_at, updated_at)
    select ${ID}, ${'attachment_type'}, ${'image/webp'}, ${'WebP 图片'}, 70, 1, ${now}, ${now}
    where exists (select 1 from dict_type where code = ${'attachment_type'})
      and not exists (select 1 from dict_item where type_code = ${'attachment_type'} and code = ${'image/webp'})
      and not exists (select 1 from dict_item where id = ${ID})
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('dict_item').where('id', '=', ID).execute();
}
