import { sql, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead, can } from '../../platform/context.js';
import { applyScope, PERSON_SCOPE } from '../../platform/access.js';
import { iterateList, listPage } from '../../platform/list.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { contains } from '../../platform/sqlx.js';
import type { PeopleQuery } from '../../../shared/schemas/people.js';

/**
 * The people a caller may see, filtered: the person table alone (display joins come later, for the
 * page's rows only). Every filter is an index range read in the list's order (0004_list_indexes):
 * scope and unit on person_sort (sort_key = the unit's path), status/post/party org on their own
 * indexes; only the text search walks the order index and checks each row.
 */
function filtered(ctx: Ctx, actor: Actor, f: Partial<PeopleQuery>) {
  let q = applyScope(ctx.db.selectFrom('person'), actor, PERSON_SCOPE);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => eb.or([contains('person.name', text), contains('person.police_no', text)]));
  }
  if (f.orgUnitId) {
    const unitId = f.orgUnitId;
    const unitPath = ctx.db.selectFrom('org_unit as top').where('top.id', '=', unitId);
    // One unit: its path exactly; with its subtree: the paths from '/…/x/' up to '/…/x0'.
    if (f.includeSub === '0') q = q.where('person.sort_key', '=', unitPath.select('top.path'));
    else
      q = q
        .where('person.sort_key', '>=', unitPath.select('top.path'))
        .where('person.sort_key', '<', unitPath.select(sql<string>`substr(top.path, 1, length(top.path) - 1) || '0'`.as('end')));
  }
  if (f.status) q = q.where('person.status', '=', f.status);
  if (f.post) q = q.where('person.post', '=', f.post);
  if (f.partyOrgId) q = q.where('person.party_org_id', '=', f.partyOrgId);
  return q;
}

/** The unit tree's order (the unit's path), then name, then id: index person_sort. */
const ORDER = [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']] as const;

/** The displayed columns of some people (with their unit's and party organisation's names). */
function withNames(ctx: Ctx, extra: readonly string[] = []) {
  return (ids: string[]) =>
    ctx.db
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .leftJoin('party_org', 'party_org.id', 'person.party_org_id')
      .select([...SELECT, ...extra] as any)
      .where('person.id', 'in', ids) as unknown as SelectQueryBuilder<DB, 'person', Row & Sealed>;
}

const SELECT = [
  'person.id', 'person.name', 'person.gender', 'person.birth_date', 'person.org_unit_id', 'person.post',
  'person.party_org_id', 'person.police_no', 'person.phone_masked', 'person.id_no_masked', 'person.status',
  'person.updated_at', 'org_unit.name as org_unit_name', 'party_org.name as party_org_name',
] as const;

type Sealed = { phone_enc?: string | null; id_no_enc?: string | null };

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
  const page = await listPage(ctx.db, {
    name: 'people',
    from: filtered(ctx, actor, f),
    id: 'person.id',
    order: ORDER,
    rows: withNames(ctx),
    // Scope, unit, status, post and party org are index ranges; a text search is counted up to the cap.
    count: f.q ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map(presentPerson) };
}

/** Every matching row in the list's order, a batch at a time, for exports. */
export function iteratePeople(ctx: Ctx, actor: Actor, f: Partial<PeopleQuery>) {
  return iterateList({
    name: 'people-export',
    from: filtered(ctx, actor, f),
    id: 'person.id',
    order: ORDER,
    rows: withNames(ctx, ['person.phone_enc', 'person.id_no_enc']),
  }) as AsyncGenerator<Row & { phone_enc: string | null; id_no_enc: string | null }>;
}

export async function getPerson(ctx: Ctx, actor: Actor, id: string, reveal = false) {
  const row = (await applyScope(withNames(ctx, ['person.phone_enc', 'person.id_no_enc'])([id]), actor, PERSON_SCOPE).executeTakeFirst()) as
    | (Row & { phone_enc: string | null; id_no_enc: string | null })
    | undefined;
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
