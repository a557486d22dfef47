import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead, can } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { countAll } from '../../platform/sqlx.js';
import type { OpinionQuery } from '../../../shared/schemas/opinions.js';
import { OPINION_SCOPE } from './commands.js';
import { excerpt, hamming, queryTokens, simhash } from './text.js';
import { suggestCategory } from './suggest.js';

/** Dates from the UI are Asia/Shanghai calendar days; stored times are UTC. */
export function shanghaiDayStart(ymd: string): string {
  return new Date(`${ymd}T00:00:00+08:00`).toISOString();
}
export function shanghaiDayEnd(ymd: string): string {
  return new Date(new Date(`${ymd}T00:00:00+08:00`).getTime() + 86_400_000 - 1).toISOString();
}

/** Full-text match on the jieba tokens: FTS5 on SQLite, tsvector on PostgreSQL; every word must match. */
export function fullText(ctx: Ctx, q: string): Expression<SqlBool> | null {
  const tokens = queryTokens(q).map((t) => t.replace(/["'\\:&|!()*]/g, '')).filter(Boolean);
  if (!tokens.length) return null;
  if (ctx.dialect === 'sqlite') {
    const match = tokens.map((t) => `"${t}"`).join(' AND ');
    return sql<SqlBool>`opinion.rowid in (select rowid from opinion_fts where opinion_fts match ${match})`;
  }
  return sql<SqlBool>`opinion.search_vector @@ to_tsquery('simple', ${tokens.join(' & ')})`;
}

function filtered(ctx: Ctx, actor: Actor, f: Partial<OpinionQuery>) {
  let q = applyScope(
    ctx.db.selectFrom('opinion').leftJoin('org_unit', 'org_unit.id', 'opinion.assigned_unit_id'),
    actor,
    OPINION_SCOPE,
  );
  if (f.q && /^YJ\d{8}[0-9A-Z]{5}$/i.test(f.q.trim())) {
    // An 意见编号 is looked up as such, not as words.
    q = q.where('opinion.public_no', '=', f.q.trim().toUpperCase());
  } else if (f.q) {
    const ft = fullText(ctx, f.q);
    if (ft) q = q.where(ft);
  }
  if (f.category === 'none') q = q.where('opinion.category', 'is', null);
  else if (f.category) q = q.where('opinion.category', '=', f.category);
  if (f.channel) q = q.where('opinion.channel', '=', f.channel);
  if (f.unitId) q = q.where('opinion.assigned_unit_id', '=', f.unitId);
  if (f.status) q = q.where('opinion.status', '=', f.status);
  if (f.identity) q = q.where('opinion.identity', '=', f.identity);
  if (f.campaignId) q = q.where('opinion.campaign_id', '=', f.campaignId);
  if (f.from) q = q.where('opinion.submitted_at', '>=', shanghaiDayStart(f.from));
  if (f.to) q = q.where('opinion.submitted_at', '<=', shanghaiDayEnd(f.to));
  if (f.overdue === '1') {
    q = q.where('opinion.status', '=', 'assigned').where('opinion.deadline_at', '<', ctx.now().toISOString());
  }
  return q;
}

const LIST_COLUMNS = [
  'opinion.id', 'opinion.public_no', 'opinion.channel', 'opinion.category', 'opinion.suggested_category',
  'opinion.suggested_confidence', 'opinion.content', 'opinion.identity', 'opinion.status', 'opinion.assigned_unit_id',
  'opinion.deadline_at', 'opinion.submitted_at', 'opinion.replied_at', 'opinion.rating', 'opinion.merged_into_id',
  'org_unit.name as assigned_unit_name',
] as const;

type ListRow = {
  id: string; public_no: string; channel: string; category: string | null; suggested_category: string | null;
  suggested_confidence: number | null; content: string; identity: string; status: string; assigned_unit_id: string | null;
  deadline_at: string | null; submitted_at: string; replied_at: string | null; rating: number | null;
  merged_into_id: string | null; assigned_unit_name: string | null;
};

function present(r: ListRow, nowIso: string) {
  return {
    id: r.id,
    publicNo: r.public_no,
    channel: r.channel,
    category: r.category,
    suggestedCategory: r.suggested_category,
    suggestedConfidence: r.suggested_confidence,
    excerpt: excerpt(r.content),
    identity: r.identity,
    status: r.status,
    assignedUnitId: r.assigned_unit_id,
    assignedUnitName: r.assigned_unit_name,
    deadlineAt: r.deadline_at,
    overdue: Boolean(
      r.deadline_at && ((r.status === 'assigned' && r.deadline_at < nowIso) || (r.replied_at && r.replied_at > r.deadline_at)),
    ),
    submittedAt: r.submitted_at,
    repliedAt: r.replied_at,
    rating: r.rating,
    mergedIntoId: r.merged_into_id,
  };
}

export async function listOpinions(ctx: Ctx, actor: Actor, f: OpinionQuery) {
  const base = filtered(ctx, actor, f);
  const { n } = await base.select(countAll().as('n')).executeTakeFirstOrThrow();
  const rows = (await base
    .select(LIST_COLUMNS as any)
    .orderBy('opinion.submitted_at', 'desc')
    .orderBy('opinion.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute()) as ListRow[];
  const ids = rows.map((r) => r.id);
  const adoptions = ids.length
    ? await ctx.db.selectFrom('opinion_adoption').select(['opinion_id', 'target']).where('opinion_id', 'in', ids).execute()
    : [];
  const nowIso = ctx.now().toISOString();
  return {
    items: rows.map((r) => ({
      ...present(r, nowIso),
      adopted: adoptions.filter((a) => a.opinion_id === r.id).map((a) => a.target),
    })),
    total: Number(n),
  };
}

/** Every matching row for exports, page by page. */
export async function* iterateOpinions(ctx: Ctx, actor: Actor, f: Partial<OpinionQuery>) {
  const size = 1000;
  const nowIso = ctx.now().toISOString();
  for (let offset = 0; ; offset += size) {
    const rows = (await filtered(ctx, actor, f)
      .select([...LIST_COLUMNS, 'opinion.reply_text', 'opinion.rating_comment'] as any)
      .orderBy('opinion.submitted_at', 'desc')
      .orderBy('opinion.id', 'desc')
      .limit(size)
      .offset(offset)
      .execute()) as (ListRow & { reply_text: string | null; rating_comment: string | null })[];
    for (const r of rows) yield { ...present(r, nowIso), content: r.content, reply: r.reply_text, ratingComment: r.rating_comment };
    if (rows.length < size) return;
  }
}

/** A 16-bit band value and the 16 values one bit away from it. */
function bandProbe(v: number): number[] {
  return [v, ...Array.from({ length: 16 }, (_, i) => v ^ (1 << i))];
}

const DUPLICATE_DISTANCE = 10;
const BANDS = ['opinion.sh0', 'opinion.sh1', 'opinion.sh2', 'opinion.sh3'] as const;

/**
 * Likely duplicates: Hamming distance ≤ 10 on the 64-bit SimHash. Candidates come from the four
 * indexed 16-bit bands, each probed with its one-bit neighbours: by pigeonhole two hashes within
 * 7 bits agree on some band up to one bit, so all of those are found (exact band equality alone
 * only guarantees 3 bits, and missed about half of real near-duplicates at 5–10 bits).
 */
export async function findDuplicates(ctx: Ctx, actor: Actor, id: string, sh: { hex: string; bands: number[] }, limit = 5) {
  const candidates = await applyScope(ctx.db.selectFrom('opinion'), actor, OPINION_SCOPE)
    .select(['opinion.id', 'opinion.simhash'])
    .where('opinion.id', '!=', id)
    .where((eb) => eb.or(BANDS.map((col, k) => eb(col, 'in', bandProbe(sh.bands[k]!)))))
    .limit(5000)
    .execute();
  const best = candidates
    .map((r) => ({ id: r.id, distance: hamming(sh.hex, r.simhash) }))
    .filter((r) => r.distance <= DUPLICATE_DISTANCE)
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
  if (!best.length) return [];
  const rows = await ctx.db
    .selectFrom('opinion')
    .select(['id', 'public_no', 'content', 'status', 'submitted_at'])
    .where('id', 'in', best.map((b) => b.id))
    .execute();
  return best.flatMap((b) => {
    const r = rows.find((x) => x.id === b.id);
    return r ? [{ id: r.id, publicNo: r.public_no, excerpt: excerpt(r.content), status: r.status, submittedAt: r.submitted_at, distance: b.distance }] : [];
  });
}

export async function getOpinion(ctx: Ctx, actor: Actor, id: string) {
  const o = await applyScope(
    ctx.db.selectFrom('opinion').leftJoin('org_unit', 'org_unit.id', 'opinion.assigned_unit_id'),
    actor,
    OPINION_SCOPE,
  )
    .selectAll('opinion')
    .select('org_unit.name as assigned_unit_name')
    .where('opinion.id', '=', id)
    .executeTakeFirst();
  if (!o) throw notFound('意见不存在或不在您的数据范围内');
  const [events, adoptions, attachments, merged] = await Promise.all([
    ctx.db
      .selectFrom('opinion_event')
      .leftJoin('app_user', 'app_user.id', 'opinion_event.actor_id')
      .select(['opinion_event.at', 'opinion_event.kind', 'opinion_event.public', 'opinion_event.public_text', 'opinion_event.detail', 'app_user.display_name as actor_name'])
      .where('opinion_event.opinion_id', '=', id)
      .orderBy('opinion_event.at')
      // Ids are time-ordered (UUIDv7): events in the same millisecond keep the order they happened in.
      .orderBy('opinion_event.id')
      .execute(),
    ctx.db.selectFrom('opinion_adoption').selectAll().where('opinion_id', '=', id).execute(),
    ctx.db.selectFrom('attachment').select(['id', 'original_name', 'mime', 'size']).where('owner_type', '=', 'opinion').where('owner_id', '=', id).execute(),
    ctx.db.selectFrom('opinion').select(['id', 'public_no']).where('merged_into_id', '=', id).execute(),
  ]);
  // Its own confirmed label, if any, is left out: the suggestion is an independent second opinion.
  const suggestion = await suggestCategory(ctx, o.content, ctx.db, { opinionId: o.id });
  const duplicates = await findDuplicates(ctx, actor, id, { hex: o.simhash, bands: [o.sh0, o.sh1, o.sh2, o.sh3] });
  return {
    ...present(o as unknown as ListRow, ctx.now().toISOString()),
    content: o.content,
    reply: o.reply_text,
    repliedAt: o.replied_at,
    rejectReason: o.reject_reason,
    ratingComment: o.rating_comment,
    ratedAt: o.rated_at,
    campaignId: o.campaign_id,
    symposiumId: o.symposium_id,
    location: o.location_text || o.lat != null ? { text: o.location_text, lat: o.lat, lon: o.lon } : null,
    // No part of a named submitter's identity here, not even masked: a handling unit may be the very
    // subject of the complaint. The identity only through getIdentity (opinions:identity, audited).
    wantsContact: o.wants_contact === 1,
    canSeeIdentity: o.identity === 'named' && can(actor, 'opinions:identity'),
    attachments: attachments.map((a) => ({ id: a.id, name: a.original_name, mime: a.mime, size: Number(a.size) })),
    events: events.map((e) => ({
      at: e.at, kind: e.kind, public: e.public === 1, publicText: e.public_text,
      detail: e.detail ? JSON.parse(e.detail) : null, actorName: e.actor_name,
    })),
    adoptions: adoptions.map((a) => ({ id: a.id, target: a.target, title: a.title, note: a.note, status: a.status, targetRef: a.target_ref, createdAt: a.created_at })),
    mergedFrom: merged.map((m) => ({ id: m.id, publicNo: m.public_no })),
    suggestion: suggestion
      ? { category: suggestion.category, confidence: suggestion.confidence, ranking: suggestion.ranking }
      : null,
    duplicates,
  };
}

/** The submitter's name and phone in clear: only with opinions:identity, and every view is audited. */
export async function getIdentity(ctx: Ctx, actor: Actor, id: string) {
  const o = await applyScope(ctx.db.selectFrom('opinion'), actor, OPINION_SCOPE)
    .select(['opinion.id', 'opinion.identity', 'opinion.submitter_name_enc', 'opinion.submitter_phone_enc', 'opinion.wants_contact'])
    .where('opinion.id', '=', id)
    .executeTakeFirst();
  if (!o) throw notFound('意见不存在或不在您的数据范围内');
  if (o.identity !== 'named') throw notFound('该意见为匿名提交，没有提交人身份信息');
  await auditRead(ctx, 'opinion', id, { fields: ['submitterName', 'submitterPhone'] });
  return {
    name: o.submitter_name_enc ? ctx.cipher.open(o.submitter_name_enc) : null,
    phone: o.submitter_phone_enc ? ctx.cipher.open(o.submitter_phone_enc) : null,
    wantsContact: o.wants_contact === 1,
  };
}

/** Whether the caller may read this opinion (opinions:read, within their data scope): for its attachments. */
export async function opinionInScope(ctx: Ctx, id: string): Promise<boolean> {
  if (!ctx.actor || !can(ctx.actor, 'opinions:read')) return false;
  const row = await applyScope(ctx.db.selectFrom('opinion'), ctx.actor, OPINION_SCOPE)
    .select('opinion.id')
    .where('opinion.id', '=', id)
    .executeTakeFirst();
  return Boolean(row);
}

/** Near-duplicates of a text not yet saved (the entry form warns before saving). */
export async function duplicatesOfText(ctx: Ctx, actor: Actor, text: string) {
  return findDuplicates(ctx, actor, '', simhash(text));
}

/** What a symposium raised, for the symposium module (speakers' identities stay behind getIdentity). */
export async function opinionsOfSymposium(db: Ctx['db'], symposiumId: string) {
  const rows = await db
    .selectFrom('opinion')
    .select(['id', 'public_no', 'content', 'status', 'category'])
    .where('symposium_id', '=', symposiumId)
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
  return rows.map((o) => ({ id: o.id, publicNo: o.public_no, excerpt: excerpt(o.content), status: o.status, category: o.category }));
}

/** Opinion counts per symposium id. */
export async function countOpinionsBySymposium(db: Ctx['db'], symposiumIds: string[]): Promise<Map<string, number>> {
  if (!symposiumIds.length) return new Map();
  const rows = await db
    .selectFrom('opinion')
    .select(['symposium_id', countAll().as('n')])
    .where('symposium_id', 'in', symposiumIds)
    .groupBy('symposium_id')
    .execute();
  return new Map(rows.map((r) => [r.symposium_id!, Number(r.n)]));
}
