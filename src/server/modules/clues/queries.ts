import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead, requirePermission } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { listPage } from '../../platform/list.js';
import { shanghaiDate } from '../../platform/time.js';
import { campaignToShowFor } from '../campaigns/queries.js';
import { listAttachments } from '../files/queries.js';
import { declarationsBefore } from '../self-checks/queries.js';
import {
  CLUE_SOURCES, CLUE_STAGES, DISPOSAL_METHODS, DISPOSITIONS, LENIENCY, VERIFICATION_OUTCOMES, type ClueQuery,
} from '../../../shared/schemas/clues.js';
import { CLUE_SCOPE, visibleClue, visibleClues } from './commands.js';

const label = <T extends Record<string, string>>(m: T, k: string | null) => (k ? (m[k as keyof T] ?? k) : null);

const campaignOf = async (ctx: Ctx, campaignId?: string) => campaignId ?? (await campaignToShowFor(ctx, 'clue'));

async function subjectsOf(ctx: Ctx, clueIds: string[]) {
  if (!clueIds.length) return new Map<string, { personId: string | null; personName: string | null; orgUnitId: string; orgUnitName: string }[]>();
  const rows = await ctx.db
    .selectFrom('clue_subject')
    .leftJoin('person', 'person.id', 'clue_subject.person_id')
    .innerJoin('org_unit', 'org_unit.id', 'clue_subject.org_unit_id')
    .select(['clue_subject.clue_id', 'clue_subject.person_id', 'person.name as person_name', 'clue_subject.org_unit_id', 'org_unit.name as unit_name'])
    .where('clue_subject.clue_id', 'in', clueIds)
    .orderBy('clue_subject.seq')
    .execute();
  const by = new Map<string, { personId: string | null; personName: string | null; orgUnitId: string; orgUnitName: string }[]>();
  for (const r of rows) {
    by.set(r.clue_id, [...(by.get(r.clue_id) ?? []), { personId: r.person_id, personName: r.person_name ?? null, orgUnitId: r.org_unit_id, orgUnitName: r.unit_name }]);
  }
  return by;
}

/**
 * The clue list (newest first, index clue_order / clue_stage / clue_source): number, source, category,
 * who is concerned, stage and deadline — never the text. The view is audited with the numbers shown.
 */
export async function listClues(ctx: Ctx, actor: Actor, f: ClueQuery) {
  const campaignId = await campaignOf(ctx, f.campaignId);
  if (!campaignId) return { items: [], total: 0, campaignId: null };
  let from = visibleClues(ctx.db.selectFrom('clue').where('clue.campaign_id', '=', campaignId), actor);
  if (f.stage) from = from.where('clue.stage', '=', f.stage);
  if (f.source) from = from.where('clue.source', '=', f.source);
  const page = await listPage(ctx.db, {
    name: 'clues',
    from,
    id: 'clue.id',
    order: [['clue.received_on', 'desc'], ['clue.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('clue')
        .leftJoin('problem_category', 'problem_category.id', 'clue.category_id')
        .select([
          'clue.id', 'clue.clue_no', 'clue.source', 'clue.received_on', 'clue.stage', 'clue.disposal_method', 'clue.disposal_due', 'clue.stage_due',
          'clue.verification_outcome', 'clue.disposition', 'problem_category.name as category_name',
        ])
        .where('clue.id', 'in', ids),
    // A handler's own clues are left out (not exists): counted up to the cap.
    count: actor.personId ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const subjects = await subjectsOf(ctx, page.items.map((c) => c.id));
  const today = shanghaiDate(ctx.now());
  await auditRead(ctx, 'clue', null, { list: true, clueNos: page.items.map((c) => c.clue_no) });
  return {
    ...page,
    campaignId,
    items: page.items.map((c) => ({
      id: c.id, clueNo: c.clue_no, source: c.source, sourceLabel: label(CLUE_SOURCES, c.source), categoryName: c.category_name ?? null,
      receivedOn: c.received_on, stage: c.stage, stageLabel: CLUE_STAGES[c.stage], disposalMethodLabel: label(DISPOSAL_METHODS, c.disposal_method),
      disposalDue: c.disposal_due, stageDue: c.stage_due, overdue: Boolean(c.stage !== 'closed' && c.stage_due && c.stage_due < today),
      subjects: subjects.get(c.id) ?? [],
    })),
  };
}

/**
 * One clue in full (audited): its text, subjects, the leniency of each person concerned (自查从宽 with
 * the declaration beside it, or 被查从严), the history with each decision's note, evidence files. The
 * reporter's identity only with clues:identity and ?identity=1 (audited as such).
 */
export async function getClue(ctx: Ctx, actor: Actor, id: string, withIdentity: boolean) {
  if (withIdentity) requirePermission(ctx, 'clues:identity');
  const c = await visibleClue(ctx.db, actor, id);
  const [subjects, events, files, category] = await Promise.all([
    subjectsOf(ctx, [id]).then((m) => m.get(id) ?? []),
    ctx.db.selectFrom('clue_event').selectAll().where('clue_id', '=', id).orderBy('at').orderBy('id').execute(),
    listAttachments(ctx.db, 'clue', id),
    c.category_id ? ctx.db.selectFrom('problem_category').select(['code', 'name']).where('id', '=', c.category_id).executeTakeFirst() : undefined,
  ]);
  const people = subjects.filter((s) => s.personId).map((s) => s.personId!);
  const declared = await declarationsBefore(ctx, people, c.campaign_id, c.created_at);
  const leniency = subjects
    .filter((s) => s.personId)
    .map((s) => {
      const match = declared.find((d) => d.personId === s.personId && c.category_id && d.categoryId === c.category_id);
      const kind = match ? 'self_reported' : 'found_by_investigation';
      return {
        personId: s.personId, personName: s.personName, leniency: kind, leniencyLabel: LENIENCY[kind],
        declaration: match ? { reportId: match.reportId, version: match.version, signedAt: match.signedAt, item: match.name, description: match.description } : null,
      };
    });
  await auditRead(ctx, 'clue', id, { clueNo: c.clue_no, identity: withIdentity });
  return {
    id: c.id, clueNo: c.clue_no, campaignId: c.campaign_id, source: c.source, sourceLabel: label(CLUE_SOURCES, c.source),
    categoryId: c.category_id, categoryName: category?.name ?? null, summary: ctx.cipher.open(c.summary_enc), receivedOn: c.received_on,
    stage: c.stage, stageLabel: CLUE_STAGES[c.stage], disposalMethod: c.disposal_method, disposalMethodLabel: label(DISPOSAL_METHODS, c.disposal_method),
    disposalDue: c.disposal_due, stageDue: c.stage_due, overdue: Boolean(c.stage !== 'closed' && c.stage_due && c.stage_due < shanghaiDate(ctx.now())),
    verificationOutcome: c.verification_outcome, verificationOutcomeLabel: label(VERIFICATION_OUTCOMES, c.verification_outcome),
    verifiedOn: c.verified_on, disposition: c.disposition, dispositionLabel: label(DISPOSITIONS, c.disposition), closedOn: c.closed_on,
    subjects, leniency,
    reporter: withIdentity
      ? { name: c.reporter_name_enc ? ctx.cipher.open(c.reporter_name_enc) : null, phone: c.reporter_phone_enc ? ctx.cipher.open(c.reporter_phone_enc) : null }
      : { named: Boolean(c.reporter_name_enc || c.reporter_phone_enc) },
    history: events.map((e) => ({ at: e.at, kind: e.kind, actorName: e.actor_name, note: e.note_enc ? ctx.cipher.open(e.note_enc) : null })),
    attachments: files,
  };
}

/** Whether the caller may read a clue's evidence files (the file policy; reads are audited by it). */
export async function clueReadable(ctx: Ctx, id: string): Promise<boolean> {
  if (!ctx.actor?.permissions.has('clues:read')) return false;
  return Boolean(await visibleClues(ctx.db.selectFrom('clue').select('clue.id'), ctx.actor).where('clue.id', '=', id).executeTakeFirst());
}

/** Counts only, for leaders (clues:stats) and the headline figure: by stage and by source. */
export async function clueCounts(ctx: Ctx, actor: Actor | null) {
  let q = ctx.db.selectFrom('clue');
  if (actor && !actor.permissions.has('clues:stats')) q = applyScope(q, actor, CLUE_SCOPE);
  const rows = await q.select(['clue.stage', 'clue.source', sql<number>`count(*)`.as('n')]).groupBy(['clue.stage', 'clue.source']).execute();
  const byStage: Record<string, number> = Object.fromEntries(Object.values(CLUE_STAGES).map((l) => [l, 0]));
  const bySource: Record<string, number> = Object.fromEntries(Object.values(CLUE_SOURCES).map((l) => [l, 0]));
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    byStage[CLUE_STAGES[r.stage]] = (byStage[CLUE_STAGES[r.stage]] ?? 0) + n;
    const s = label(CLUE_SOURCES, r.source)!;
    bySource[s] = (bySource[s] ?? 0) + n;
  }
  return { total, byStage, bySource };
}
