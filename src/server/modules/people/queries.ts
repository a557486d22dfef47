import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead, can } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { contains } from '../../platform/sqlx.js';
import type { PeopleQuery } from '../../../shared/schemas/people.js';

const PERSON_COLS = { unit: 'person.org_unit_id', person: 'person.id' };

function baseQuery(ctx: Ctx, actor: Actor, f: Partial<PeopleQuery>) {
  let q = applyScope(
    ctx.db
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .leftJoin('party_org', 'party_org.id', 'person.party_org_id'),
    actor,
    PERSON_COLS,
  );
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([contains('person.name', text), contains('person.police_no', text)]));
  }
  if (f.orgUnitId) {
    if (f.includeSub === '0') q = q.where('person.org_unit_id', '=', f.orgUnitId);
    else
      q = q.where('person.org_unit_id', 'in', (eb) =>
        eb
          .selectFrom('org_unit as sub')
          .select('sub.id')
          .where('sub.path', 'like', (eb2) =>
            eb2.selectFrom('org_unit as top').select(sql<string>`top.path || '%'`.as('p')).where('top.id', '=', f.orgUnitId!),
          ),
      );
  }
  if (f.status) q = q.where('person.status', '=', f.status);
  if (f.post) q = q.where('person.post', '=', f.post);
  if (f.partyOrgId) q = q.where('person.party_org_id', '=', f.partyOrgId);
  return q;
}

const SELECT = [
  'person.id', 'person.name', 'person.gender', 'person.birth_date', 'person.org_unit_id', 'person.post',
  'person.party_org_id', 'person.police_no', 'person.phone_masked', 'person.id_no_masked', 'person.status',
  'person.updated_at', 'org_unit.name as org_unit_name', 'party_org.name as party_org_name',
] as const;

type Row = {
  id: string; name: string; gender: string | null; birth_date: string | null; org_unit_id: string;
  post: string | null; party_org_id: string | null; police_no: string | null; phone_masked: string | null;
  id_no_masked: string | null; status: string; updated_at: string; org_unit_name: string; party_org_name: string | null;
};

/**
 * A person as any reader of people sees them: masked phone and ID number, and the birth date only to
 * the month (出生年月, as on a personnel form). The full date is part of the ID number, so it is shown
 * only with the plain values (people:sensitive, audited).
 */
export function presentPerson(r: Row) {
  return {
    id: r.id,
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date ? r.birth_date.slice(0, 7) : null,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    post: r.post,
    partyOrgId: r.party_org_id,
    partyOrgName: r.party_org_name,
    policeNo: r.police_no,
    phone: r.phone_masked,
    idNumber: r.id_no_masked,
    status: r.status,
    updatedAt: r.updated_at,
  };
}

export async function listPeople(ctx: Ctx, actor: Actor, f: PeopleQuery) {
  const base = baseQuery(ctx, actor, f);
  const { n } = await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const rows = (await base
    .select(SELECT as any)
    .orderBy('org_unit.path')
    .orderBy('person.name')
    .orderBy('person.id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute()) as Row[];
  return { items: rows.map(presentPerson), total: Number(n) };
}

/** Every matching row, page by page, for exports. */
export async function* iteratePeople(ctx: Ctx, actor: Actor, f: Partial<PeopleQuery>) {
  const size = 1000;
  for (let offset = 0; ; offset += size) {
    const rows = (await baseQuery(ctx, actor, f)
      .select([...SELECT, 'person.phone_enc', 'person.id_no_enc'] as any)
      .orderBy('org_unit.path')
      .orderBy('person.name')
      .orderBy('person.id')
      .limit(size)
      .offset(offset)
      .execute()) as (Row & { phone_enc: string | null; id_no_enc: string | null })[];
    yield* rows;
    if (rows.length < size) return;
  }
}

export async function getPerson(ctx: Ctx, actor: Actor, id: string, reveal = false) {
  const row = (await baseQuery(ctx, actor, {})
    .select([...SELECT, 'person.phone_enc', 'person.id_no_enc'] as any)
    .where('person.id', '=', id)
    .executeTakeFirst()) as (Row & { phone_enc: string | null; id_no_enc: string | null }) | undefined;
  if (!row) throw notFound('干警不存在或不在您的数据范围内');
  const account = await ctx.db.selectFrom('app_user').select(['id', 'username']).where('person_id', '=', id).executeTakeFirst();
  const person = { ...presentPerson(row), account: account ?? null, revealed: false };
  if (reveal) {
    if (!can(actor, 'people:sensitive')) throw forbidden('无权查看身份证号、手机号明文');
    person.phone = row.phone_enc ? ctx.cipher.open(row.phone_enc) : null;
    person.idNumber = row.id_no_enc ? ctx.cipher.open(row.id_no_enc) : null;
    person.birthDate = row.birth_date;
    person.revealed = true;
    await auditRead(ctx, 'person', id, { fields: ['phone', 'idNumber'] });
  }
  return person;
}
