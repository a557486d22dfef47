import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type TestServer, type Client } from '../support/http.js';
import { targets } from '../support/db.js';
import { verifyAuditChain } from '../../src/server/platform/audit.js';
import { groupCommitStats } from '../../src/server/platform/group-commit.js';
import { residentIdCheckChar } from '../../src/shared/validators.js';

/** A valid ID number built from a serial, so every test person gets its own. */
function idNumber(serial: number) {
  const first17 = `150402199001${String(10 + (serial % 18)).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

describe.each(targets())('audit chain on %s', (target) => {
  let s: TestServer;
  let admin: Client;
  let unit: string;
  beforeAll(async () => {
    s = await startServer(target);
    admin = await s.as('admin');
    unit = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ-01').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const count = async (table: 'audit_log' | 'person') =>
    Number((await db().selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const lastSeq = async () => Number((await db().selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()).seq);

  it('the seeded database has an intact chain starting at the bootstrap', async () => {
    const r = await verifyAuditChain(db());
    expect(r.ok).toBe(true);
    const first = await db().selectFrom('audit_log').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
    expect(first.action).toBe('bootstrap');
    expect(first.prev_hash).toBe('0'.repeat(64));
  });

  it('a state change writes exactly one audit entry, with the after state and the actor', async () => {
    const before = await count('audit_log');
    const r = await admin.post('/api/people', { name: '审计甲', orgUnitId: unit, idNumber: idNumber(1), phone: '13900001111' });
    expect(r.status).toBe(201);
    expect(await count('audit_log')).toBe(before + 1);
    const e = await db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(e.action).toBe('create');
    expect(e.entity_type).toBe('person');
    expect(e.entity_id).toBe(r.body.id);
    expect(e.actor_name).toContain('admin');
    expect(e.ip).toBe('127.0.0.1');
    const after = JSON.parse(e.after_json!);
    expect(after.name).toBe('审计甲');
    expect(after.org_unit_id).toBe(unit);
    // The audit log never holds the plain sensitive values.
    expect(e.after_json).not.toContain(idNumber(1));
    expect(e.after_json).not.toContain('13900001111');
    expect(Number(e.seq)).toBe(await lastSeq());

    const patch = await admin.patch(`/api/people/${r.body.id}`, { name: '审计乙' });
    expect(patch.status).toBe(200);
    const u = await db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(u.action).toBe('update');
    expect(JSON.parse(u.before_json!).name).toBe('审计甲');
    expect(JSON.parse(u.after_json!).name).toBe('审计乙');
    expect(await count('audit_log')).toBe(before + 2);
  });

  it('a failing command writes neither the row nor an audit entry', async () => {
    const ok = await admin.post('/api/people', { name: '审计丙', orgUnitId: unit, idNumber: idNumber(2) });
    expect(ok.status).toBe(201);
    const audits = await count('audit_log');
    const people = await count('person');
    const head = await lastSeq();

    const dup = await admin.post('/api/people', { name: '审计丁', orgUnitId: unit, idNumber: idNumber(2) });
    expect(dup.status).toBe(409);
    expect(dup.body.field).toBe('idNumber');
    const badUnit = await admin.post('/api/people', { name: '审计戊', orgUnitId: 'no-such-unit' });
    expect(badUnit.status).toBe(400);
    const invalid = await admin.post('/api/people', { name: '', orgUnitId: unit });
    expect(invalid.status).toBe(400);

    expect(await count('audit_log')).toBe(audits);
    expect(await count('person')).toBe(people);
    expect(await lastSeq()).toBe(head);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('reads of protected fields are audited too', async () => {
    const list = await admin.get('/api/people?pageSize=1');
    const id = list.body.items[0].id;
    const before = await count('audit_log');
    // A masked read is not audited; an unmasked one is.
    expect((await admin.get(`/api/people/${id}`)).status).toBe(200);
    expect(await count('audit_log')).toBe(before);
    expect((await admin.get(`/api/people/${id}?reveal=1`)).status).toBe(200);
    const e = await db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(e.action).toBe('read_protected');
    expect(e.entity_id).toBe(id);
  });

  it('concurrent audited reads share commits: each writes exactly one entry, answered after it, and the chain verifies', async () => {
    const ids = (await admin.get('/api/people?pageSize=20')).body.items.map((p: any) => p.id) as string[];
    expect(ids.length).toBe(20);
    const before = await lastSeq();
    const stats = { ...groupCommitStats(s.deps) };
    const results = await Promise.all(
      ids.map(async (id) => {
        const r = await admin.get(`/api/people/${id}?reveal=1`);
        // Answered only once its entry is committed: it is there when the answer arrives.
        const entry = await db().selectFrom('audit_log').select('seq').where('action', '=', 'read_protected').where('entity_id', '=', id)
          .where('seq', '>', before).execute();
        return { status: r.status, entries: entry.length };
      }),
    );
    expect(results).toEqual(ids.map(() => ({ status: 200, entries: 1 })));
    const after = await lastSeq();
    expect(after).toBe(before + 20);
    const entries = await db().selectFrom('audit_log').select(['seq', 'action', 'entity_type', 'entity_id', 'after_json']).where('seq', '>', before).orderBy('seq').execute();
    expect(entries.map((e) => Number(e.seq))).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
    expect(entries.every((e) => e.action === 'read_protected' && e.entity_type === 'person')).toBe(true);
    expect(entries.map((e) => e.entity_id).sort()).toEqual([...ids].sort());
    expect(entries.every((e) => e.after_json === JSON.stringify({ fields: ['phone', 'idNumber'] }))).toBe(true);
    // Through the group committer.
    expect(groupCommitStats(s.deps).items - stats.items).toBe(20);
    const r = await verifyAuditChain(db());
    expect(r).toMatchObject({ ok: true });
    expect(r.entries).toBe(after);
  });

  it('a refused read of protected data writes no audit entry', async () => {
    const officer = await s.as('officer');
    const id = (await admin.get('/api/people?pageSize=1')).body.items[0].id;
    const before = await lastSeq();
    const entries = await count('audit_log');
    expect((await officer.get('/api/interference/records?page=1&pageSize=20')).status).toBe(403);
    expect((await officer.get('/api/clues?pageSize=1')).status).toBe(403);
    const other = await officer.get(`/api/people/${id}?reveal=1`);
    expect([403, 404]).toContain(other.status);
    expect(await lastSeq()).toBe(before);
    expect(await count('audit_log')).toBe(entries);
  });

  describe('tampering', () => {
    // Each case tampers with a copy of the chain, then puts the original back.
    let saved: any[];
    let savedHead: { seq: number; hash: string };
    beforeEach(async () => {
      saved = await db().selectFrom('audit_log').selectAll().orderBy('seq').execute();
      savedHead = await db().selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      expect((await verifyAuditChain(db())).ok).toBe(true);
      return async () => {
        await db().deleteFrom('audit_log').execute();
        for (let i = 0; i < saved.length; i += 100) await db().insertInto('audit_log').values(saved.slice(i, i + 100)).execute();
        await db().updateTable('audit_head').set(savedHead).where('id', '=', 1).execute();
        expect((await verifyAuditChain(db())).ok).toBe(true);
      };
    });

    it('an edited entry breaks the chain at that entry', async () => {
      const mid = Math.ceil(saved.length / 2);
      await db().updateTable('audit_log').set({ after_json: '{"name":"改过的"}' }).where('seq', '=', mid).execute();
      const r = await verifyAuditChain(db());
      expect(r.ok).toBe(false);
      expect(r.brokenAt).toBe(mid);
      expect(r.reason).toContain(`第 ${mid} 条`);
      expect(r.reason).toContain('篡改');
    });

    it('an edited entry with a recomputed own hash is still caught by the next entry', async () => {
      // A careful forger who fixes the edited entry's own hash breaks the link to the next one.
      const { entryHash } = await import('../../src/server/platform/audit.js');
      const row = saved[1]!;
      const forged = { ...row, actor_name: '某人', seq: Number(row.seq) };
      const { hash: _h, ...rest } = forged;
      await db().updateTable('audit_log').set({ actor_name: '某人', hash: entryHash(rest) }).where('seq', '=', forged.seq).execute();
      const r = await verifyAuditChain(db());
      expect(r.ok).toBe(false);
      expect(r.brokenAt).toBe(forged.seq + 1);
    });

    it('a deleted middle entry is reported as missing', async () => {
      const mid = Math.ceil(saved.length / 2);
      await db().deleteFrom('audit_log').where('seq', '=', mid).execute();
      const r = await verifyAuditChain(db());
      expect(r.ok).toBe(false);
      expect(r.brokenAt).toBe(mid);
      expect(r.reason).toContain(`第 ${mid} 条`);
      expect(r.reason).toContain('删除');
    });

    it('a deleted last entry is detected through the head', async () => {
      const last = Number(saved.at(-1)!.seq);
      await db().deleteFrom('audit_log').where('seq', '=', last).execute();
      const r = await verifyAuditChain(db());
      expect(r.ok).toBe(false);
      expect(r.brokenAt).toBe(last);
      expect(r.reason).toContain(`第 ${last} 条`);
    });

    it('a deleted first entry is detected', async () => {
      await db().deleteFrom('audit_log').where('seq', '=', 1).execute();
      const r = await verifyAuditChain(db());
      expect(r.ok).toBe(false);
      expect(r.brokenAt).toBe(1);
    });
  });

  it('concurrent state changes leave a contiguous, valid chain', async () => {
    const before = await lastSeq();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        admin.post('/api/people', { name: `并发${i}`, orgUnitId: unit, idNumber: idNumber(100 + i) }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const after = await lastSeq();
    expect(after).toBe(before + 20);
    const seqs = (await db().selectFrom('audit_log').select('seq').where('seq', '>', before).orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
    const created = await db().selectFrom('audit_log').select('entity_id').where('seq', '>', before).execute();
    expect(new Set(created.map((c) => c.entity_id))).toEqual(new Set(results.map((r) => r.body.id)));
    const r = await verifyAuditChain(db());
    expect(r).toMatchObject({ ok: true });
    expect(r.entries).toBe(after);
  });
});
