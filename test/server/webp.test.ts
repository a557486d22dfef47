// WebP photos: accepted from the public and from staff (the 附件类型 dictionary has it, on a fresh
// database through the seed and on an older one through migration 0006_webp), with the public
// upload's 5 MB limit unchanged. Real HTTP, SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { up as addWebp } from '../../src/server/db/migrations/0006_webp.js';
import { PUBLIC_UPLOAD_TYPES } from '../../src/server/modules/opinions/public.js';
import { startServer, type TestServer } from '../support/http.js';
import { fileForm } from '../support/files.js';

/** A real 1×1 lossless WebP (RIFF…WEBPVP8L). */
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

describe('WebP photos', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer('sqlite', { demo: false, env: { RECTIFY_PUBLIC_RATE_LIMIT: '0' } });
  });
  afterAll(async () => s?.close());

  const webpItems = () =>
    s.deps.db.selectFrom('dict_item').selectAll().where('type_code', '=', 'attachment_type').where('code', '=', 'image/webp').execute();

  it('a fresh database allows WebP, and the public page is told so', async () => {
    const items = await webpItems();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: 'dict-attachment_type-7', label: 'WebP 图片', enabled: 1 });
    expect(PUBLIC_UPLOAD_TYPES).toContain('image/webp');
    const meta = await s.client().get('/api/public/meta');
    expect(meta.body.limits.types).toContain('image/webp');
    expect(meta.body.limits.maxFileBytes).toBe(5 * 1024 * 1024);
  });

  it('the public may upload a WebP photo and attach it', async () => {
    const up = await s.client().post('/api/public/files', fileForm(WEBP, '手机照片.webp'));
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ mime: 'image/webp', name: '手机照片.webp' });
    const sub = await s.client().post('/api/public/opinions', {
      content: '窗口张贴的办事指南已过期，照片见附件。', identity: 'anonymous', attachments: [{ id: up.body.id, token: up.body.token }],
    });
    expect(sub.status).toBe(201);
  });

  it('staff may upload one too', async () => {
    const admin = await s.as('admin');
    const up = await admin.post('/api/files', fileForm(WEBP, 'card.webp'));
    expect(up.status).toBe(201);
    expect(up.body.mime).toBe('image/webp');
  });

  it('migration 0006 adds it to an older database once, and leaves an administrator\'s choice alone', async () => {
    const db = s.deps.db;
    await db.deleteFrom('dict_item').where('type_code', '=', 'attachment_type').where('code', '=', 'image/webp').execute();
    expect(await webpItems()).toHaveLength(0);
    await addWebp(db);
    const added = await webpItems();
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ id: 'dict-attachment_type-7', enabled: 1, sort: 70 });
    await addWebp(db); // again: nothing more
    expect(await webpItems()).toHaveLength(1);
    await db.updateTable('dict_item').set({ enabled: 0 }).where('id', '=', 'dict-attachment_type-7').execute();
    await addWebp(db);
    expect((await webpItems()).map((i) => i.enabled)).toEqual([0]);
    await db.updateTable('dict_item').set({ enabled: 1 }).where('id', '=', 'dict-attachment_type-7').execute();
  });

  it('migration 0006 on a database not yet seeded does nothing (the seed brings it)', async () => {
    await s.deps.db.transaction().execute(async (trx) => {
      const types = Number((await sql<{ n: number }>`select count(*) as n from dict_type`.execute(trx)).rows[0]!.n);
      expect(types).toBeGreaterThan(0);
      await trx.deleteFrom('dict_item').where('type_code', '=', 'attachment_type').execute();
      await trx.deleteFrom('dict_type').where('code', '=', 'attachment_type').execute();
      await addWebp(trx);
      const n = Number((await sql<{ n: number }>`select count(*) as n from dict_item where type_code = 'attachment_type'`.execute(trx)).rows[0]!.n);
      expect(n).toBe(0);
      throw new Error('rollback');
    }).catch((e: Error) => {
      if (e.message !== 'rollback') throw e;
    });
    expect(await webpItems()).toHaveLength(1);
  });
});
