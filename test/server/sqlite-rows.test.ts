import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cachingStatements } from '../../src/server/db/index.js';

// SQLite reads go through cachingStatements(), which builds each row from better-sqlite3's raw arrays
// (db/index.ts, objectRows): the rows must be exactly what better-sqlite3 itself answers.
describe('SQLite rows built from raw arrays', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-rows-'));
  const handle = new SQLite(path.join(dir, 'rows.db'));
  handle.exec(`create table t (id integer primary key, name text, note text, n real);
    insert into t values (1, '王五', null, 1.5), (2, 'O''Brien', '备注', -2);`);
  const cached = cachingStatements(handle);
  afterAll(() => {
    handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const both = (text: string, params: unknown[] = []) => [
    cached.prepare(text).all(params),
    handle.prepare(text).all(...params),
  ];

  it('answers the same objects, keys in the same order, as better-sqlite3', () => {
    for (const [text, params] of [
      ['select * from t order by id', []],
      [`select id, name as "名 称", note, n * 2 as "x.y", 'a' as "__proto__x" from t where id = ?`, [2]],
      ['select count(*) as n from t', []],
      ['select 1 as a where 0', []],
    ] as const) {
      const [ours, theirs] = both(text, [...params]);
      expect(ours, text).toEqual(theirs);
      expect(ours.map((r) => Object.keys(r as object)), text).toEqual(theirs.map((r) => Object.keys(r as object)));
    }
  });

  it('keeps better-sqlite3 itself where a literal could not say the same (a repeated name, __proto__)', () => {
    for (const text of ['select id, name as id from t order by id', 'select name as "__proto__" from t order by id']) {
      const [ours, theirs] = both(text);
      expect(ours, text).toEqual(theirs);
      expect(ours.map((r) => Object.getPrototypeOf(r)), text).toEqual(theirs.map((r) => Object.getPrototypeOf(r)));
    }
  });

  it('iterates and writes as before', () => {
    const ins = cached.prepare('insert into t (id, name) values (?, ?)');
    expect(ins.run([3, '赵六'])).toMatchObject({ changes: 1 });
    expect([...cached.prepare('select id from t where id >= ? order by id').iterate([2])]).toEqual([{ id: 2 }, { id: 3 }]);
    expect(cached.prepare('insert into t (id, name) values (?, ?) returning id, name').all([4, '钱七'])).toEqual([{ id: 4, name: '钱七' }]);
  });
});
