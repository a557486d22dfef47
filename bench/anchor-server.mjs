// The raw-SQL anchor of bench/paths.ts: a bare Fastify process serving the people page straight from
// the database, as fast as the data allows — the columns GET /api/people shows, read in the order of
// an index (person_sort: sort_key, name, id) with the table's count, and nothing else (no session, no
// scope, no validation, no logging). Started like the platform (`node <file>`, PORT/HOST) on the same
// database (DATABASE_URL: a SQLite file, opened read-only beside the platform, or postgres://…).
import Fastify from 'fastify';
import Database from 'better-sqlite3';
import pg from 'pg';

const url = process.env.DATABASE_URL ?? '';
const PAGE = `select person.id, person.name, person.gender, person.birth_date, person.org_unit_id, person.post,
  person.party_org_id, person.police_no, person.phone_masked, person.id_no_masked, person.status, person.updated_at,
  org_unit.name as org_unit_name, party_org.name as party_org_name
  from person
  join org_unit on org_unit.id = person.org_unit_id
  left join party_org on party_org.id = person.party_org_id
  order by person.sort_key, person.name, person.id`;

let page;
if (url.startsWith('postgres')) {
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  page = async (p, size) => {
    const [rows, count] = await Promise.all([
      pool.query(`${PAGE} limit $1 offset $2`, [size, (p - 1) * size]),
      pool.query('select count(*) as n from person'),
    ]);
    return { items: rows.rows, total: count.rows[0].n };
  };
} else {
  const db = new Database(url, { readonly: true, fileMustExist: true });
  const rows = db.prepare(`${PAGE} limit ? offset ?`);
  const count = db.prepare('select count(*) as n from person');
  page = async (p, size) => ({ items: rows.all(size, (p - 1) * size), total: count.get().n });
}

const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ status: 'ok' }));
app.get('/raw/people', async (req) => {
  const q = req.query ?? {};
  return page(Math.max(1, Number(q.page ?? 1) | 0), Math.min(200, Math.max(1, Number(q.pageSize ?? 20) | 0)));
});

const port = Number(process.env.PORT ?? 3002);
const host = process.env.HOST ?? '127.0.0.1';
await app.listen({ port, host });
process.stdout.write(`anchor listening on http://${host}:${port}/\n`);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
