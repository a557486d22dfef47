import { sql, type Kysely } from 'kysely';

// The voice recordings phones and WeChat make (M4A, AAC, AMR, WAV) become allowed attachment types
// on databases seeded before they were in the 附件类型 dictionary (分享促学's recorded readings). A
// fresh database gets them from the seed (src/server/seed/reference.ts), which runs after the
// migrations; as 0006_webp, this never touches an administrator's choice.

// Ids and places a fresh seed gives them (items 8 to 12).
const ITEMS: [id: string, code: string, label: string, sort: number][] = [
  ['dict-attachment_type-8', 'audio/x-m4a', 'M4A 音频', 80],
  ['dict-attachment_type-9', 'audio/mp4', 'MP4 音频', 90],
  ['dict-attachment_type-10', 'audio/aac', 'AAC 音频', 100],
  ['dict-attachment_type-11', 'audio/amr', 'AMR 音频', 110],
  ['dict-attachment_type-12', 'audio/wav', 'WAV 音频', 120],
];

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  for (const [id, code, label, sort] of ITEMS) {
    await sql`
      insert into dict_item (id, type_code, code, label, sort, enabled, created_at, updated_at)
      select ${id}, ${'attachment_type'}, ${code}, ${label}, ${sort}, 1, ${now}, ${now}
      where exists (select 1 from dict_type where code = ${'attachment_type'})
        and not exists (select 1 from dict_item where type_code = ${'attachment_type'} and code = ${code})
        and not exists (select 1 from dict_item where id = ${id})
    `.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('dict_item').where('id', 'in', ITEMS.map((i) => i[0])).execute();
}
