import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { migrations } from '../../src/server/db/migrations/index.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, migrate, isEmpty, type Database } from '../../src/server/db/index.js';
import { targets, type Target } from '../support/db.js';
import { openPglite } from '../support/pglite.js';

const TABLES = [
  'org_unit', 'party_org', 'person', 'app_user', 'role', 'role_unit', 'user_role', 'app_session', 'login_log',
  'audit_log', 'audit_head', 'campaign', 'dict_type', 'dict_item', 'attachment', 'notification', 'job_run', 'setting',
];

interface Opened {
  database: Database;
  schema?: string;
}

const opened: Opened[] = [];
const dirs: string[] = [];

async function open(target: Target): Promise<Opened> {
  if (target === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-mig-'));
    dirs.push(dir);
    const o = { database: await openDatabase(path.join(dir, 'm.db')) };
    opened.push(o);
    return o;
  }
  if ((target as string) === 'pglite') {
    const o = { database: await openPglite(), schema: undefined };
    opened.push(o);
    return o;
  }
  const schema = `t_mig_${crypto.randomBytes(5).toString('hex')}`;
  const o = { database: await openDatabase(process.env.TEST_DATABASE_URL!, { schema, poolSize: 2 }), schema };
  opened.push(o);
  return o;
}

async function tables(o: Opened): Promise<string[]> {
  if (o.database.dialect === 'sqlite') {
    const r = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(o.database.db);
    return r.rows.map((x) => x.name);
  }
  const r = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${o.schema ?? 'public'}`.execute(o.database.db);
  return r.rows.map((x) => x.name);
}

async function dispose(o: Opened) {
  await o.database.close().catch(() => undefined);
  opened.splice(opened.indexOf(o), 1);
  if (o.schema) {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${o.schema}" CASCADE`);
    await client.end();
  }
}

/** Each test's databases are dropped as soon as it ends, so one test's schema never meets another's. */
afterEach(async () => {
  for (const o of [...opened]) await dispose(o);
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe.each(targets())('migrations on %s', (target) => {
  it('create every table on an empty database', async () => {
    const o = await open(target);
    await migrate(o.database);
    const have = await tables(o);
    expect(have).toEqual(expect.arrayContaining(TABLES));
    expect(await isEmpty(o.database.db)).toBe(true);
    const head = await o.database.db.selectFrom('audit_head').selectAll().execute();
    expect(head).toEqual([{ id: 1, seq: 0, hash: '0'.repeat(64) }]);
  });

  it('running them again is a no-op that keeps the data', async () => {
    const o = await open(target);
    await migrate(o.database);
    const now = new Date().toISOString();
    await o.database.db
      .insertInto('setting')
      .values({ key: 'probe', value: '保留', updated_at: now })
      .execute();
    const before = await tables(o);
    await migrate(o.database);
    await migrate(o.database);
    expect((await tables(o)).sort()).toEqual(before.sort());
    const probe = await o.database.db.selectFrom('setting').selectAll().where('key', '=', 'probe').executeTakeFirst();
    expect(probe?.value).toBe('保留');
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(o.database.db);
    expect(applied.rows.map((r) => r.name).sort()).toEqual(Object.keys(migrations(o.database.dialect)).sort());
    expect(await o.database.db.selectFrom('audit_head').selectAll().execute()).toHaveLength(1);
  });

  it('a second database migrates while another is open (PostgreSQL: schemas side by side)', async () => {
    // Several deployments (or test runs) may share one PostgreSQL database in separate schemas;
    // each must get its own tables, not mistake another schema's migration tables for its own.
    const first = await open(target);
    await migrate(first.database);
    const second = await open(target);
    await migrate(second.database);
    expect(await tables(second)).toEqual(expect.arrayContaining([...TABLES, 'kysely_migration', 'kysely_migration_lock']));
    await second.database.db.insertInto('setting').values({ key: 'only-second', value: '1', updated_at: 'x' }).execute();
    expect(await first.database.db.selectFrom('setting').selectAll().where('key', '=', 'only-second').execute()).toHaveLength(0);
  });

  it('enforces the constraints the code relies on', async () => {
    const o = await open(target);
    await migrate(o.database);
    const db = o.database.db;
    const now = new Date().toISOString();
    await db
      .insertInto('org_unit')
      .values({ id: 'u1', parent_id: null, name: '根', short_name: null, kind: 'city_bureau', code: 'R', path: '/u1/', depth: 0, sort: 0, created_at: now, updated_at: now })
      .execute();
    const person = (id: string, index: string | null) => ({
      id, name: '甲', gender: null, birth_date: null, org_unit_id: 'u1', post: null, party_org_id: null, police_no: null,
      phone_enc: null, phone_masked: null, id_no_enc: null, id_no_masked: null, id_no_index: index, status: 'active' as const,
      created_at: now, updated_at: now,
    });
    await db.insertInto('person').values(person('p1', 'idx')).execute();
    // The blind index is unique: a second person with the same ID number is refused by the database itself.
    await expect(db.insertInto('person').values(person('p2', 'idx')).execute()).rejects.toThrow();
    // Several people without an ID number are fine.
    await db.insertInto('person').values([person('p3', null), person('p4', null)]).execute();
    // A person must belong to an existing unit.
    await expect(db.insertInto('person').values({ ...person('p5', null), org_unit_id: 'missing' }).execute()).rejects.toThrow();
    // Audit sequence numbers are unique.
    const entry = { seq: 1, at: now, actor_id: null, actor_name: null, ip: null, action: 'x', entity_type: 'y', entity_id: null, before_json: null, after_json: null, prev_hash: '0', hash: '1' };
    await db.insertInto('audit_log').values(entry).execute();
    await expect(db.insertInto('audit_log').values(entry).execute()).rejects.toThrow();
  });
});
