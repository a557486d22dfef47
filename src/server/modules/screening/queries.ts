import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import {
  DATASETS, DATASET_KINDS, HIT_STATUS, RULE_KINDS,
  type DatasetKind, type HitQuery, type HitStatus, type RuleKind,
} from '../../../shared/schemas/screening.js';
import { currentSnapshots, visibleHits } from './commands.js';

// 智能化数据排查's reads. The registers and rules are the clue handlers' tools (screening:read); the
// hits are restricted like clues: sealed in the database, scoped, never shown to the officer they
// concern, and every list or opening of them is audited (what was opened, never its content).

export async function listDatasets(ctx: Ctx) {
  const current = await currentSnapshots(ctx.db);
  return {
    items: DATASET_KINDS.map((kind) => {
      const d = DATASETS[kind];
      const c = current.get(kind);
      return {
        kind, label: d.label, note: d.note,
        columns: d.columns.map((col) => ({ header: col.header, required: 'required' in col && col.required === true, note: 'note' in col ? col.note : null })),
        current: c ? { snapshotId: c.id, fileName: c.fileName, importedAt: c.importedAt, rows: c.rows } : null,
      };
    }),
  };
}

const SNAPSHOT_STATUS = { loading: '导入中', ready: '已导入', failed: '未导入' } as const;

export async function listSnapshots(ctx: Ctx, f: { kind?: DatasetKind; page: number; pageSize: number }) {
  let from = ctx.db.selectFrom('screening_snapshot');
  if (f.kind) from = from.where('screening_snapshot.kind', '=', f.kind);
  const current = new Set([...(await currentSnapshots(ctx.db)).values()].map((s) => s.id));
  const page = await listPage(ctx.db, {
    name: 'screening-snapshots',
    from,
    id: 'screening_snapshot.id',
    order: [['screening_snapshot.started_at', 'desc'], ['screening_snapshot.id', 'desc']],
    rows: (ids) => ctx.db.selectFrom('screening_snapshot').selectAll().where('id', 'in', ids),
    count: f.kind ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    items: page.items.map((s) => ({
      id: s.id, kind: s.kind, kindLabel: DATASETS[s.kind as DatasetKind]?.label ?? s.kind, fileName: s.file_name, status: s.status,
      statusLabel: SNAPSHOT_STATUS[s.status], totalRows: Number(s.total_rows), importedRows: Number(s.imported_rows), skippedRows: Number(s.skipped_rows),
      importedByName: s.imported_by_name, startedAt: s.started_at, importedAt: s.imported_at, current: current.has(s.id),
    })),
  };
}

export async function listRules(ctx: Ctx) {
  const rules = await ctx.db.selectFrom('screening_rule').selectAll().orderBy('seq').orderBy('code').execute();
  const lastRun = await ctx.db.selectFrom('screening_run').select('results').orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const last = new Map<string, { hits: number; skipped: string | null }>((lastRun ? (JSON.parse(lastRun.results) as { code: string; hits: number; skipped: string | null }[]) : []).map((r) => [r.code, r]));
  return {
    items: rules.map((r) => {
      const kind = RULE_KINDS[r.kind as RuleKind];
      const l = last.get(r.code);
      return {
        code: r.code, kind: r.kind, kindName: kind.name, name: r.name, description: r.description, params: JSON.parse(r.params),
        paramDefs: kind.params, version: Number(r.version), enabled: Number(r.enabled) === 1, builtin: Number(r.builtin) === 1,
        lastHits: l && !l.skipped ? l.hits : null,
      };
    }),
  };
}

export async function ruleVersions(ctx: Ctx, code: string) {
  const rule = await ctx.db.selectFrom('screening_rule').select('code').where('code', '=', code).executeTakeFirst();
  if (!rule) throw notFound('规则不存在');
  const rows = await ctx.db.selectFrom('screening_rule_version').selectAll().where('rule_code', '=', code).orderBy('version', 'desc').execute();
  return {
    items: rows.map((v) => ({ version: Number(v.version), name: v.name, description: v.description, params: JSON.parse(v.params), createdAt: v.created_at, createdByName: v.created_by_name })),
  };
}

export async function listRuns(ctx: Ctx, f: { page: number; pageSize: number }) {
  const page = await listPage(ctx.db, {
    name: 'screening-runs',
    from: ctx.db.selectFrom('screening_run'),
    id: 'screening_run.id',
    order: [['screening_run.started_at', 'desc'], ['screening_run.id', 'desc']],
    rows: (ids) => ctx.db.selectFrom('screening_run').selectAll().where('id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    items: page.items.map((r) => {
      const results = JSON.parse(r.results) as { hits: number; new: number; resolved: number }[];
      const sum = (k: 'hits' | 'new' | 'resolved') => results.reduce((a, x) => a + x[k], 0);
      return { id: r.id, startedAt: r.started_at, actorName: r.actor_name, hits: sum('hits'), new: sum('new'), resolved: sum('resolved') };
    }),
  };
}

export async function listHits(ctx: Ctx, actor: Actor, f: HitQuery) {
  let from = visibleHits(ctx.db.selectFrom('screening_hit'), actor);
  if (f.status) from = from.where('screening_hit.status', '=', f.status); // screening_hit_queue
  if (f.rule) from = from.where('screening_hit.rule_code', '=', f.rule); // screening_hit_rule
  if (f.present) from = from.where('screening_hit.present', '=', Number(f.present));
  const page = await listPage(ctx.db, {
    name: 'screening-hits',
    from,
    id: 'screening_hit.id',
    order: [['screening_hit.first_seen_at', 'desc'], ['screening_hit.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('screening_hit')
        .innerJoin('screening_rule', 'screening_rule.code', 'screening_hit.rule_code')
        .leftJoin('org_unit', 'org_unit.id', 'screening_hit.org_unit_id')
        .leftJoin('clue', 'clue.id', 'screening_hit.clue_id')
        .select([
          'screening_hit.id', 'screening_hit.rule_code', 'screening_rule.name as rule_name', 'screening_hit.rule_version', 'screening_hit.status',
          'screening_hit.present', 'screening_hit.subject_enc', 'screening_hit.summary_enc', 'org_unit.name as org_unit_name', 'screening_hit.first_seen_at',
          'screening_hit.last_seen_at', 'screening_hit.clue_id', 'clue.clue_no',
        ])
        .where('screening_hit.id', 'in', ids),
    count: f.present ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  // A list of hits names people and what they are suspected of: audited like a list of clues.
  await auditRead(ctx, 'screening_hit', null, { list: true, status: f.status ?? null, rule: f.rule ?? null, page: f.page, count: page.items.length });
  return { ...page, items: page.items.map((h) => presentHit(ctx, h)) };
}

function presentHit(ctx: Ctx, h: {
  id: string; rule_code: string; rule_name: string; rule_version: number; status: string; present: number; subject_enc: string; summary_enc: string;
  org_unit_name: string | null; first_seen_at: string; last_seen_at: string; clue_id: string | null; clue_no: string | null;
}) {
  return {
    id: h.id, ruleCode: h.rule_code, ruleName: h.rule_name, ruleVersion: Number(h.rule_version), status: h.status,
    statusLabel: HIT_STATUS[h.status as HitStatus], present: Number(h.present) === 1, subject: ctx.cipher.open(h.subject_enc),
    summary: ctx.cipher.open(h.summary_enc), orgUnitName: h.org_unit_name, firstSeenAt: h.first_seen_at, lastSeenAt: h.last_seen_at,
    clueId: h.clue_id, clueNo: h.clue_no,
  };
}

export async function getHit(ctx: Ctx, actor: Actor, id: string) {
  const h = await visibleHits(
    ctx.db
      .selectFrom('screening_hit')
      .innerJoin('screening_rule', 'screening_rule.code', 'screening_hit.rule_code')
      .leftJoin('org_unit', 'org_unit.id', 'screening_hit.org_unit_id')
      .leftJoin('clue', 'clue.id', 'screening_hit.clue_id')
      .selectAll('screening_hit')
      .select(['screening_rule.name as rule_name', 'org_unit.name as org_unit_name', 'clue.clue_no']),
    actor,
  )
    .where('screening_hit.id', '=', id)
    .executeTakeFirst();
  if (!h) throw notFound('命中记录不存在');
  // The rule's description as it was in the version that found it.
  const version = await ctx.db.selectFrom('screening_rule_version').select(['description', 'params']).where('rule_code', '=', h.rule_code).where('version', '=', h.rule_version).executeTakeFirst();
  const { reasoning, evidence } = JSON.parse(ctx.cipher.open(h.evidence_enc));
  await auditRead(ctx, 'screening_hit', id, { rule: h.rule_code, status: h.status });
  return {
    ...presentHit(ctx, h),
    description: version?.description ?? '',
    params: version ? JSON.parse(version.params) : null,
    reasoning,
    evidence,
    personId: h.person_id,
    orgUnitId: h.org_unit_id,
    review: h.reviewed_at ? { byName: h.reviewed_by_name, at: h.reviewed_at, note: h.review_note_enc ? ctx.cipher.open(h.review_note_enc) : null } : null,
  };
}

/** Figures: enabled rules, hits found in the latest runs, hits turned into clues (counts only). */
export async function screeningCounts(ctx: Ctx, actor: Actor | null) {
  const rules = await ctx.db.selectFrom('screening_rule').select((eb) => eb.fn.countAll<number>().as('n')).where('enabled', '=', 1).executeTakeFirstOrThrow();
  const base = () => (actor ? visibleHits(ctx.db.selectFrom('screening_hit'), actor) : ctx.db.selectFrom('screening_hit'));
  const hits = await base().select((eb) => eb.fn.countAll<number>().as('n')).where('screening_hit.present', '=', 1).executeTakeFirstOrThrow();
  const open = await base().select((eb) => eb.fn.countAll<number>().as('n')).where('screening_hit.status', '=', 'open').where('screening_hit.present', '=', 1).executeTakeFirstOrThrow();
  const confirmed = await base().select((eb) => eb.fn.countAll<number>().as('n')).where('screening_hit.status', '=', 'confirmed').executeTakeFirstOrThrow();
  return { rules: Number(rules.n), hits: Number(hits.n), open: Number(open.n), confirmed: Number(confirmed.n) };
}
