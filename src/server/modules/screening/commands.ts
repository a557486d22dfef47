import { sql } from 'kysely';
import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, type ScopeColumns } from '../../platform/access.js';
import { isUniqueViolation } from '../../platform/dberrors.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { shanghaiDate } from '../../platform/time.js';
import type { ScreeningHitTable } from '../../db/types-screening.js';
import { unhurried } from '../../db/index.js';
import { insertClue } from '../clues/commands.js';
import {
  DATASETS, DATASET_KINDS, RULE_KINDS, RULE_PARAMS,
  type DatasetKind, type HitConfirmInput, type RuleCreateInput, type RuleKind, type RulePatchInput,
} from '../../../shared/schemas/screening.js';
import { evaluate, REQUIRED, type Finding, type Snapshots } from './rules.js';

// 智能化数据排查's writes: a run (every enabled rule on the current snapshots; hits kept by fingerprint,
// so a re-run reports new, unchanged and resolved findings and never duplicates one already reviewed),
// the review of a hit (转为线索 in the same transaction, 排除 with a reason, 已掌握), and the rules
// (a new version whenever what a rule checks changes). Hits are clue handlers' business: scoped by the
// unit of the officer a hit concerns, and never shown to the officer it concerns.

export const HIT_SCOPE: ScopeColumns = { unit: 'screening_hit.org_unit_id' };

/** The hits the actor may see: in scope, none that concerns the actor. */
export function visibleHits<Q extends { where: (...args: any[]) => any }>(q: Q, actor: Actor): Q {
  let out = applyScope(q, actor, HIT_SCOPE);
  if (actor.personId) {
    const me = actor.personId;
    out = out.where((eb: any) => eb.or([eb('screening_hit.person_id', 'is', null), eb('screening_hit.person_id', '!=', me)]));
  }
  return out;
}

export interface CurrentSnapshot {
  kind: DatasetKind;
  id: string;
  fileName: string;
  importedAt: string;
  rows: number;
}

/** Each register's current snapshot: its latest ready import. */
export async function currentSnapshots(db: Ctx['db']): Promise<Map<DatasetKind, CurrentSnapshot>> {
  const out = new Map<DatasetKind, CurrentSnapshot>();
  for (const kind of DATASET_KINDS) {
    const s = await db
      .selectFrom('screening_snapshot')
      .select(['id', 'file_name', 'imported_at', 'imported_rows'])
      .where('kind', '=', kind)
      .where('status', '=', 'ready')
      .orderBy('imported_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (s) out.set(kind, { kind, id: s.id, fileName: s.file_name, importedAt: s.imported_at!, rows: Number(s.imported_rows) });
  }
  return out;
}

export interface RuleResult {
  code: string;
  name: string;
  version: number;
  hits: number;
  new: number;
  unchanged: number;
  resolved: number;
  /** Why the rule did not run (a register it needs has not been imported). */
  skipped: string | null;
}

export interface RunResult {
  id: string;
  startedAt: string;
  asOf: string;
  snapshots: { kind: DatasetKind; kindLabel: string; snapshotId: string; fileName: string; importedAt: string; rows: number }[];
  rules: RuleResult[];
}

/**
 * Runs the enabled rules (or the named ones) on the current snapshots. The rules read outside any
 * transaction (a provincial register takes a while, and writers must not wait on it); what they
 * found is written in one audited transaction.
 */
export async function runScreening(ctx: Ctx, codes?: string[]): Promise<RunResult> {
  // The command line runs as the system (no actor); over HTTP the route requires screening:run.
  if (ctx.actor) requirePermission(ctx, 'screening:run');
  const found = await unhurried(ctx.db, ctx.dialect, (db) => findAll(ctx, db, codes));
  return runCommand(ctx, { action: 'run', entityType: 'screening_run' }, async (trx) => {
    // Two runs at once write one after the other (the second finds the first's hits unchanged).
    if (ctx.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('screening:run'))`.execute(trx);
    const result = await writeRun(trx, ctx, found);
    return {
      result,
      entityId: result.id,
      after: { asOf: result.asOf, snapshots: result.snapshots.map((s) => s.snapshotId), rules: result.rules.map(({ code, version, hits, new: n, unchanged, resolved, skipped: sk }) => ({ code, version, hits, new: n, unchanged, resolved, skipped: sk })) },
    };
  });
}

/** A run inside the caller's transaction (the demo's seeding, whose audit entry covers it). */
export async function runScreeningWithin(trx: Trx, ctx: Ctx): Promise<RunResult> {
  return writeRun(trx, ctx, await findAll(ctx, trx));
}

type Found = Awaited<ReturnType<typeof findAll>>;

async function findAll(ctx: Ctx, db: Ctx['db'] | Trx, codes?: string[]) {
  const startedAt = ctx.now().toISOString();
  const asOf = shanghaiDate(ctx.now());
  let q = db.selectFrom('screening_rule').selectAll().orderBy('seq').orderBy('code');
  if (codes?.length) q = q.where('code', 'in', codes);
  else q = q.where('enabled', '=', 1);
  const rules = await q.execute();
  if (codes?.length) {
    const unknown = codes.filter((c) => !rules.some((r) => r.code === c));
    if (unknown.length) throw badRequest(`规则：${unknown.join('、')} 不存在`, 'rules');
  }
  const current = await currentSnapshots(db);
  const snapshots: Snapshots = Object.fromEntries([...current].map(([k, s]) => [k, s.id]));

  const evaluated: { rule: (typeof rules)[number]; findings: Finding[] | null; skipped: string | null }[] = [];
  for (const rule of rules) {
    const kind = rule.kind as RuleKind;
    const missing = REQUIRED[kind].filter((k) => !current.has(k));
    if (missing.length) {
      evaluated.push({ rule, findings: null, skipped: `缺少名册：${missing.map((k) => DATASETS[k].label).join('、')}` });
      continue;
    }
    evaluated.push({ rule, findings: await evaluate(kind, JSON.parse(rule.params), { db, dialect: ctx.dialect, snapshots, asOf }), skipped: null });
  }

  // The platform's officers the findings concern (by the same keyed index of the ID number).
  const bidx = [...new Set(evaluated.flatMap((e) => e.findings ?? []).map((f) => f.subjectIdBidx).filter((b): b is string => Boolean(b)))];
  const people = new Map<string, { id: string; org_unit_id: string }>();
  for (let i = 0; i < bidx.length; i += 500) {
    const rows = await db.selectFrom('person').select(['id', 'org_unit_id', 'id_no_index']).where('id_no_index', 'in', bidx.slice(i, i + 500)).execute();
    for (const p of rows) people.set(p.id_no_index!, { id: p.id, org_unit_id: p.org_unit_id });
  }
  return { startedAt, asOf, current, evaluated, people };
}

async function writeRun(trx: Trx, ctx: Ctx, found: Found): Promise<RunResult> {
  const { startedAt, asOf, current, evaluated, people } = found;
  const runId = newId();
  const result: RunResult = {
    id: runId, startedAt, asOf,
    snapshots: [...current.values()].map((s) => ({ kind: s.kind, kindLabel: DATASETS[s.kind].label, snapshotId: s.id, fileName: s.fileName, importedAt: s.importedAt, rows: s.rows })),
    rules: [],
  };
  const now = ctx.now().toISOString();
  await trx.insertInto('screening_run').values({
    id: runId, started_at: startedAt, finished_at: now, actor_id: ctx.actor?.userId ?? null, actor_name: ctx.actor?.displayName ?? '系统',
    snapshots: JSON.stringify(result.snapshots), results: '[]',
  }).execute();
  for (const { rule, findings, skipped } of evaluated) {
    const r: RuleResult = { code: rule.code, name: rule.name, version: Number(rule.version), hits: 0, new: 0, unchanged: 0, resolved: 0, skipped };
    result.rules.push(r);
    if (!findings) continue;
    await recordFindings(trx, ctx, rule.code, Number(rule.version), runId, now, findings, people, r);
  }
  await trx.updateTable('screening_run').set({ results: JSON.stringify(result.rules) }).where('id', '=', runId).execute();
  return result;
}

async function recordFindings(
  trx: Trx, ctx: Ctx, code: string, version: number, runId: string, now: string, findings: Finding[],
  people: Map<string, { id: string; org_unit_id: string }>, r: RuleResult,
) {
  const existing = new Map(
    (await trx.selectFrom('screening_hit').select(['id', 'fingerprint', 'present', 'status']).where('rule_code', '=', code).execute()).map((h) => [h.fingerprint, h]),
  );
  const seen = new Set<string>();
  const fresh: ScreeningHitTable[] = [];
  const again: string[] = [];
  for (const f of findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    const who = f.subjectIdBidx ? people.get(f.subjectIdBidx) : undefined;
    const sealed = {
      subject_enc: ctx.cipher.seal(f.subject),
      summary_enc: ctx.cipher.seal(f.summary),
      evidence_enc: ctx.cipher.seal(JSON.stringify({ reasoning: f.reasoning, evidence: f.evidence })),
      person_id: who?.id ?? null,
      org_unit_id: who?.org_unit_id ?? null,
    };
    const h = existing.get(f.fingerprint);
    if (!h) {
      fresh.push({
        id: newId(), rule_code: code, fingerprint: f.fingerprint, rule_version: version, status: 'open', present: 1, ...sealed,
        first_run_id: runId, last_run_id: runId, resolved_run_id: null, first_seen_at: now, last_seen_at: now,
        reviewed_by: null, reviewed_by_name: null, reviewed_at: null, review_note_enc: null, clue_id: null,
      });
    } else if (h.status === 'open') {
      // Not yet reviewed: it shows what this run found (the latest rows and parameters).
      await trx.updateTable('screening_hit')
        .set({ ...sealed, rule_version: version, present: 1, last_run_id: runId, last_seen_at: now, resolved_run_id: null })
        .where('id', '=', h.id)
        .execute();
      r.unchanged++;
    } else {
      // Reviewed: kept as it was reviewed; only that it is still found.
      again.push(h.id);
      r.unchanged++;
    }
  }
  for (let i = 0; i < fresh.length; i += 100) await trx.insertInto('screening_hit').values(fresh.slice(i, i + 100)).execute();
  for (let i = 0; i < again.length; i += 500) {
    await trx.updateTable('screening_hit').set({ present: 1, last_run_id: runId, last_seen_at: now, resolved_run_id: null }).where('id', 'in', again.slice(i, i + 500)).execute();
  }
  const gone = [...existing.values()].filter((h) => Number(h.present) === 1 && !seen.has(h.fingerprint)).map((h) => h.id);
  for (let i = 0; i < gone.length; i += 500) {
    await trx.updateTable('screening_hit').set({ present: 0, resolved_run_id: runId }).where('id', 'in', gone.slice(i, i + 500)).execute();
  }
  r.new = fresh.length;
  r.hits = seen.size;
  r.resolved = gone.length;
}

// ---- review --------------------------------------------------------------------------------------

async function openHit(trx: Trx, actor: Actor, id: string) {
  const hit = await visibleHits(trx.selectFrom('screening_hit').selectAll(), actor).where('screening_hit.id', '=', id).executeTakeFirst();
  if (!hit) throw notFound('命中记录不存在');
  if (hit.status !== 'open') throw conflict('该命中已审核，不能重复审核');
  return hit as ScreeningHitTable;
}

/** 转为线索: a clue of source 智能化数据排查 with the finding and its evidence, in the same transaction. */
export async function confirmHit(ctx: Ctx, id: string, input: HitConfirmInput) {
  const actor = requirePermission(ctx, 'screening:review');
  if (!actor.permissions.has('clues:write')) throw forbidden('转为线索须具有登记问题线索的权限');
  return runCommand(ctx, { action: 'confirm', entityType: 'screening_hit' }, async (trx) => {
    const hit = await openHit(trx, actor, id);
    const rule = await trx.selectFrom('screening_rule').select(['name']).where('code', '=', hit.rule_code).executeTakeFirstOrThrow();
    const unit = input.orgUnitId || hit.org_unit_id;
    if (!hit.person_id && !unit) throw badRequest('涉及单位：该命中未关联本系统干警，请选择涉及单位', 'orgUnitId');
    const { reasoning, evidence } = JSON.parse(ctx.cipher.open(hit.evidence_enc)) as { reasoning: string; evidence: { datasetLabel: string; row: number; fields: { label: string; value: string }[] }[] };
    const lines = evidence.map((e) => `【${e.datasetLabel} 第 ${e.row} 行】${e.fields.map((f) => `${f.label}：${f.value}`).join('；')}`);
    const summary = [
      `【智能化数据排查】${rule.name}（第 ${hit.rule_version} 版规则）`,
      ctx.cipher.open(hit.summary_enc),
      `依据：${reasoning}`,
      ...lines,
      input.note ? `审核意见：${input.note}` : '',
    ].filter(Boolean).join('\n').slice(0, 5000);
    const clue = await insertClue(trx, ctx, actor, {
      campaignId: input.campaignId, source: 'data_screening', categoryId: input.categoryId ?? null, summary,
      receivedOn: shanghaiDate(ctx.now()), subjects: [hit.person_id ? { personId: hit.person_id } : { orgUnitId: unit }],
      reporterName: null, reporterPhone: null, attachmentIds: [],
    });
    await trx.updateTable('screening_hit').set({
      status: 'confirmed', clue_id: clue.id, reviewed_by: actor.userId, reviewed_by_name: actor.displayName, reviewed_at: ctx.now().toISOString(),
      review_note_enc: input.note ? ctx.cipher.seal(input.note) : null,
    }).where('id', '=', id).execute();
    return { result: { clueId: clue.id, clueNo: clue.clue_no }, entityId: id, before: { status: 'open' }, after: { status: 'confirmed', clue_no: clue.clue_no } };
  });
}

async function closeHit(ctx: Ctx, id: string, status: 'dismissed' | 'known', note: string) {
  const actor = requirePermission(ctx, 'screening:review');
  return runCommand(ctx, { action: status === 'dismissed' ? 'dismiss' : 'mark_known', entityType: 'screening_hit' }, async (trx) => {
    await openHit(trx, actor, id);
    await trx.updateTable('screening_hit').set({
      status, reviewed_by: actor.userId, reviewed_by_name: actor.displayName, reviewed_at: ctx.now().toISOString(),
      review_note_enc: note ? ctx.cipher.seal(note) : null,
    }).where('id', '=', id).execute();
    return { result: { id, status }, entityId: id, before: { status: 'open' }, after: { status } };
  });
}

export const dismissHit = (ctx: Ctx, id: string, reason: string) => closeHit(ctx, id, 'dismissed', reason);
export const markHitKnown = (ctx: Ctx, id: string, note: string) => closeHit(ctx, id, 'known', note);

// ---- rules ---------------------------------------------------------------------------------------

function checkParams(kind: RuleKind, params: unknown) {
  const r = RULE_PARAMS[kind].safeParse(params);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const key = String(i.path[0] ?? '');
    const label = (RULE_KINDS[kind].params as readonly { key: string; label: string }[]).find((p) => p.key === key)?.label ?? (key || '参数');
    throw badRequest(`${label}：${i.code === 'unrecognized_keys' ? '含有该规则类型没有的参数' : i.message}`, key ? `params.${key}` : 'params');
  }
  return r.data;
}

export async function createRule(ctx: Ctx, input: RuleCreateInput) {
  requirePermission(ctx, 'screening:rules');
  const params = checkParams(input.kind, input.params);
  return runCommand(ctx, { action: 'create', entityType: 'screening_rule' }, async (trx) => {
    const n = await trx.selectFrom('screening_rule').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('seq').as('seq')]).where('kind', '=', input.kind).executeTakeFirstOrThrow();
    const all = await trx.selectFrom('screening_rule').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
    const code = `${input.kind}.${Number(n.n) + 1}`;
    const now = ctx.now().toISOString();
    const row = {
      code, kind: input.kind, name: input.name, description: input.description, params: JSON.stringify(params), version: 1, enabled: 1, builtin: 0,
      seq: Number(all.seq ?? 0) + 1, created_at: now, updated_at: now,
    };
    try {
      await trx.insertInto('screening_rule').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('同时新增了同类规则，请重试');
      throw err;
    }
    await trx.insertInto('screening_rule_version').values({ rule_code: code, version: 1, name: row.name, description: row.description, params: row.params, created_at: now, created_by_name: ctx.actor!.displayName }).execute();
    return { result: { code, version: 1 }, entityId: code, after: { kind: row.kind, name: row.name, params } };
  });
}

export async function patchRule(ctx: Ctx, code: string, input: RulePatchInput) {
  requirePermission(ctx, 'screening:rules');
  return runCommand(ctx, { action: 'update', entityType: 'screening_rule' }, async (trx) => {
    const rule = await trx.selectFrom('screening_rule').selectAll().where('code', '=', code).executeTakeFirst();
    if (!rule) throw notFound('规则不存在');
    const params = input.params !== undefined ? checkParams(rule.kind as RuleKind, input.params) : JSON.parse(rule.params);
    const next = {
      name: input.name ?? rule.name,
      description: input.description ?? rule.description,
      params: JSON.stringify(params),
    };
    const changed = next.name !== rule.name || next.description !== rule.description || next.params !== rule.params;
    const version = changed ? Number(rule.version) + 1 : Number(rule.version);
    const now = ctx.now().toISOString();
    const enabled = input.enabled === undefined ? Number(rule.enabled) : input.enabled ? 1 : 0;
    await trx.updateTable('screening_rule').set({ ...next, version, enabled, updated_at: now }).where('code', '=', code).execute();
    if (changed) {
      await trx.insertInto('screening_rule_version').values({ rule_code: code, version, ...next, created_at: now, created_by_name: ctx.actor!.displayName }).execute();
    }
    return {
      result: { code, version },
      entityId: code,
      before: { version: Number(rule.version), enabled: Number(rule.enabled) === 1, name: rule.name, params: JSON.parse(rule.params) },
      after: { version, enabled: enabled === 1, name: next.name, params },
    };
  });
}
