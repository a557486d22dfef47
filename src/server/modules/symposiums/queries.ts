import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { contains, countAll } from '../../platform/sqlx.js';
import type { SymposiumQuery } from '../../../shared/schemas/symposiums.js';
import { countOpinionsBySymposium, opinionsOfSymposium } from '../opinions/queries.js';
import { SYMPOSIUM_SCOPE } from './commands.js';

/** actor null: unscoped, for the rows of a page already limited to the caller's scope. */
function baseQuery(ctx: Ctx, actor: Actor | null, f: Partial<SymposiumQuery>) {
  const joined = ctx.db.selectFrom('symposium').innerJoin('org_unit', 'org_unit.id', 'symposium.org_unit_id');
  let q = actor ? applyScope(joined, actor, SYMPOSIUM_SCOPE) : joined;
  if (f.q) {
    const text = f.q;
    q = q.where((eb) =>
      eb.or([contains('symposium.title', text), contains('symposium.host', text), contains('symposium.location', text)]),
    );
  }
  return q;
}

function withColumns(q: ReturnType<typeof baseQuery>) {
  return q.select((eb) => [
    'symposium.id',
    'symposium.title',
    'symposium.held_on',
    'symposium.host',
    'symposium.location',
    'symposium.org_unit_id',
    'symposium.campaign_id',
    'symposium.summary',
    'symposium.created_at',
    'symposium.updated_at',
    'org_unit.name as org_unit_name',
    eb
      .selectFrom('symposium_attendee')
      .select(countAll().as('n'))
      .whereRef('symposium_attendee.symposium_id', '=', 'symposium.id')
      .as('attendee_count'),
  ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof withColumns>['executeTakeFirstOrThrow']>>;

function present(r: Row, opinionCount: number) {
  return {
    id: r.id,
    title: r.title,
    heldOn: r.held_on,
    host: r.host,
    location: r.location,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    attendeeCount: Number(r.attendee_count ?? 0),
    opinionCount,
    campaignId: r.campaign_id,
  };
}

export async function listSymposiums(ctx: Ctx, actor: Actor, f: SymposiumQuery) {
  let from = applyScope(ctx.db.selectFrom('symposium'), actor, SYMPOSIUM_SCOPE);
  if (f.q) {
    const text = f.q;
    from = from.where((eb) =>
      eb.or([contains('symposium.title', text), contains('symposium.host', text), contains('symposium.location', text)]),
    );
  }
  const page = await listPage(ctx.db, {
    name: 'symposiums',
    from,
    id: 'symposium.id',
    // Latest meeting first: index symposium_order (symposium_unit_order within one unit) read backwards.
    order: [['symposium.held_on', 'desc'], ['symposium.id', 'desc']],
    rows: (ids) => withColumns(baseQuery(ctx, null, {})).where('symposium.id', 'in', ids),
    count: f.q ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const counts = await countOpinionsBySymposium(ctx.db, page.items.map((r) => r.id));
  return { ...page, items: page.items.map((r) => present(r, counts.get(r.id) ?? 0)) };
}

export async function getSymposium(ctx: Ctx, actor: Actor, id: string) {
  const row = await withColumns(baseQuery(ctx, actor, {})).where('symposium.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('座谈会不存在或不在您的数据范围内');
  const [attendees, opinions] = await Promise.all([
    ctx.db
      .selectFrom('symposium_attendee')
      .select(['id', 'kind', 'person_id', 'name', 'organization'])
      .where('symposium_id', '=', id)
      .orderBy('kind', 'desc') // internal before external
      .orderBy('id')
      .execute(),
    // The meeting's own record: what was raised there, by number and excerpt.
    opinionsOfSymposium(ctx.db, id),
  ]);
  return {
    ...present(row, opinions.length),
    summary: row.summary,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attendees: attendees.map((a) => ({
      id: a.id,
      kind: a.kind,
      personId: a.person_id,
      name: a.name,
      organization: a.organization,
    })),
    opinions,
  };
}
