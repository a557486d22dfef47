import { sql, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead, can } from '../../platform/context.js';
import { applyScope, hasAllScope, PERSON_SCOPE, type ScopeColumns } from '../../platform/access.js';
import { iterateList, listPage, type OrderTerm } from '../../platform/list.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { contains } from '../../platform/sqlx.js';
import type { PeopleQuery } from '../../../shared/schemas/people.js';

/**
 * The people a caller may see, filtered, as the list reads them: the table, its key column and its
 * order (display joins come later, for the page's rows only). Every filter is an index range read in
 * the list's order (0004_list_indexes): scope and unit on person_sort (sort_key = the unit's path),
 * status/post/party org on their own indexes. A text search reads person_term instead (searched()).
 */
function filtered(ctx: Ctx, actor: Actor, f: Partial<PeopleQuery>): Listed {
  if (f.q) return searched(ctx, actor, f, f.q);
  return { from: narrowed(ctx, applyScope(ctx.db.selectFrom('person'), actor, PERSON_SCOPE), f, 'person.sort_key'), id: 'person.id', order: ORDER };
}

type Listed = { from: SelectQueryBuilder<DB, any, any>; id: string; order: readonly OrderTerm[] };

/** The unit, status, post and party-org filters; `sortKey` holds the person's unit path. */
function narrowed<Q extends SelectQueryBuilder<DB, any, any>>(ctx: Ctx, q: Q, f: Partial<PeopleQuery>, sortKey: string): Q {
  if (f.orgUnitId) {
    const unitId = f.orgUnitId;
    const unitPath = ctx.db.selectFrom('org_unit as top').where('top.id', '=', unitId);
    // One unit: its path exactly; with its subtree: the paths from '/…/x/' up to '/…/x0'.
    if (f.includeSub === '0') q = q.where(sql.ref(sortKey), '=', unitPath.select('top.path')) as Q;
    else
      q = q
        .where(sql.ref(sortKey), '>=', unitPath.select('top.path'))
        .where(sql.ref(sortKey), '<', unitPath.select(sql<string>`substr(top.path, 1, length(top.path) - 1) || '0'`.as('end'))) as Q;
  }
  if (f.status) q = q.where('person.status', '=', f.status) as Q;
  if (f.post) q = q.where('person.post', '=', f.post) as Q;
  if (f.partyOrgId) q = q.where('person.party_org_id', '=', f.partyOrgId) as Q;
  return q;
}

/**
 * A name or police number search: the people holding one character of the text are one range of
 * person_term (0008_person_terms), in the list's order (its key carries sort_key, name, person id), so
 * a page or a capped count reads that range and stops. The exact test (contains(), as before the
 * index) reads the name and police number person_term carries; a one-character text needs none
 * (holding the term is containing the character). Scope and unit filters are ranges of sort_key
 * inside the term's range. The person row is looked up by key only for a status/post/party filter
 * or a custom scope (units by id).
 */
function searched(ctx: Ctx, actor: Actor, f: Partial<PeopleQuery>, text: string): Listed {
  // contains() matches lower(column) against the text lower-cased as here; the terms are characters of
  // lower(column), so every match holds each character of this pattern as a term (SQLite's LIKE also
  // folds ASCII case, but lower(column) holds no ASCII capitals).
  const chars = Array.from(text.toLowerCase());
  const exact = chars.length === 1;
  const customScope = !hasAllScope(actor) && actor.roles.some((r) => r.dataScope === 'custom' && r.customUnitIds.length > 0);
  const withPerson = !!(f.status || f.post || f.partyOrgId) || customScope;
  let q: SelectQueryBuilder<DB, any, any> = ctx.db.selectFrom('person_term').where('person_term.term', '=', driving(chars));
  // SQLite: person_term stays the outer loop (its order is the list's), person is looked up by key.
  if (withPerson) q = q.crossJoin('person').whereRef('person.id', '=', 'person_term.person_id');
  q = applyScope(q, actor, TERM_SCOPE);
  if (!exact) q = q.where((eb) => eb.or([contains('person_term.name', text), contains('person_term.police_no', text)]));
  return { from: narrowed(ctx, q, f, 'person_term.sort_key'), id: 'person_term.person_id', order: TERM_ORDER };
}

/**
 * The character whose term range a search reads: the fewer people hold it, the less is read to fill
 * a page or a capped count. A Chinese character if there is one (the last: given names are rarer than
 * surnames), else any other character but an ASCII digit (every police number is digits), else the
 * last digit.
 */
function driving(chars: readonly string[]): string {
  const rank = (c: string) => (/\p{Script=Han}/u.test(c) ? 2 : /[0-9]/.test(c) ? 0 : 1);
  return chars.reduce((best, c) => (rank(c) >= rank(best) ? c : best));
}

/**
 * The people scope on person_term: its sort_key is the person's (0008), its person_id the person's id.
 * Only a custom scope (units by id) reads person itself (see withPerson in searched()).
 */
const TERM_SCOPE: ScopeColumns = { unit: 'person.org_unit_id', person: 'person_term.person_id', unitPath: 'person_term.sort_key' };

/** The unit tree's order (the unit's path), then name, then id: index person_sort. */
const ORDER = [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']] as const;
/** The same order on person_term's copies of those columns: its primary key after the term. */
const TERM_ORDER = [['person_term.sort_key', 'asc'], ['person_term.name', 'asc'], ['person_term.person_id', 'asc']] as const;

/** The displayed columns of some people (with their unit's and party organisation's names). */
function withNames(ctx: Ctx, extra: readonly string[] = []) {
  return (ids: string[]) =>
    ctx.db
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .leftJoin('party_org', 'party_org.id', 'person.party_org_id')
      // person_id too: a search's keys are person_term.person_id (listPage matches rows by that name).
      .select([...SELECT, 'person.id as person_id', ...extra] as any)
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
    ...filtered(ctx, actor, f),
    rows: withNames(ctx),
    // Scope, unit, status, post and party org are index ranges; a text search is counted up to the cap
    // (along its term's range).
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
    ...filtered(ctx, actor, f),
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
