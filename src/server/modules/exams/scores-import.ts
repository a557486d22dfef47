import type { Actor, Ctx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, PERSON_SCOPE } from '../../platform/access.js';
import { openSheet, xlsxBuffer, type SheetReadOptions } from '../../platform/excel.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { enterScores } from './exams.js';

// Offline paper exams: the scores sheet teachers already keep (警号, 姓名, 成绩). The template lists
// the people in the caller's scope the exam expects; a row is matched by 警号, else by a name that is
// unique in the caller's scope. Any bad row: nothing is written and every bad row is reported.

export interface ScoreImportReport {
  dryRun: boolean;
  totalRows: number;
  imported: number;
  errors: { row: number; field: string; message: string }[];
}

async function expectedPeople(ctx: Ctx, actor: Actor, examId: string) {
  const targets = await ctx.db.selectFrom('exam_target').select(['kind', 'target_id']).where('exam_id', '=', examId).execute();
  const unitIds = targets.filter((t) => t.kind === 'unit').map((t) => t.target_id);
  const personIds = targets.filter((t) => t.kind === 'person').map((t) => t.target_id);
  const paths = unitIds.length ? (await ctx.db.selectFrom('org_unit').select('path').where('id', 'in', unitIds).execute()).map((u) => u.path) : [];
  if (!paths.length && !personIds.length) return [];
  return applyScope(
    ctx.db.selectFrom('person').innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id').select(['person.id', 'person.name', 'person.police_no', 'org_unit.name as unit_name']),
    actor,
    PERSON_SCOPE,
  )
    .where('person.status', '=', 'active')
    .where((eb) => eb.or([
      ...paths.map((p) => eb.and([eb('person.sort_key', '>=', p), eb('person.sort_key', '<', `${p}\uffff`)])),
      ...(personIds.length ? [eb('person.id', 'in', personIds)] : []),
    ]))
    .orderBy('person.sort_key')
    .orderBy('person.name')
    .limit(5000)
    .execute();
}

export async function scoresTemplate(ctx: Ctx, examId: string) {
  const actor = requirePermission(ctx, 'exams:write');
  const exam = await ctx.db.selectFrom('exam').select(['id', 'kind']).where('id', '=', examId).executeTakeFirst();
  if (!exam) throw notFound('考试不存在');
  const people = await expectedPeople(ctx, actor, examId);
  return xlsxBuffer('成绩', ['警号', '姓名', '单位', '成绩'], people.map((p) => [p.police_no ?? '', p.name, p.unit_name, '']));
}

export async function importScores(ctx: Ctx, examId: string, file: Buffer, opts: { dryRun: boolean }, limits: SheetReadOptions = {}): Promise<ScoreImportReport> {
  const actor = requirePermission(ctx, 'exams:write');
  const exam = await ctx.db.selectFrom('exam').select(['id', 'kind', 'full_score']).where('id', '=', examId).executeTakeFirst();
  if (!exam) throw notFound('考试不存在');
  if (exam.kind !== 'offline_subjective') throw badRequest('线上考试的成绩由系统评定，不能导入');
  const sheet = await openSheet(file, { maxRows: 5000, ...limits });
  const errors: ScoreImportReport['errors'] = [];
  const scores: { personId: string; score: number }[] = [];
  let totalRows = 0;
  try {
    if (!sheet.headers.includes('成绩') || (!sheet.headers.includes('警号') && !sheet.headers.includes('姓名'))) {
      throw badRequest('文件：缺少必需的列（成绩，以及警号或姓名），请使用成绩模板', 'file');
    }
    const inScope = await applyScope(ctx.db.selectFrom('person').select(['person.id', 'person.name', 'person.police_no']), actor, PERSON_SCOPE).execute();
    const byNo = new Map(inScope.filter((p) => p.police_no).map((p) => [p.police_no!, p.id]));
    const byName = new Map<string, string[]>();
    for (const p of inScope) byName.set(p.name, [...(byName.get(p.name) ?? []), p.id]);
    const seen = new Map<string, number>();
    for await (const r of sheet) {
      totalRows++;
      const v = r.values;
      const err = (field: string, message: string) => errors.push({ row: r.row, field, message });
      const scoreText = (v['成绩'] ?? '').trim();
      if (!scoreText) continue; // a blank score: not sat, or not yet marked
      let personId: string | undefined;
      if (v['警号']?.trim()) {
        personId = byNo.get(v['警号'].trim());
        if (!personId) err('警号', `警号“${v['警号'].trim()}”不存在或不在您的数据范围内`);
      } else if (v['姓名']?.trim()) {
        const ids = byName.get(v['姓名'].trim()) ?? [];
        if (ids.length === 1) personId = ids[0];
        else err('姓名', ids.length ? `“${v['姓名'].trim()}”重名，请填写警号` : `“${v['姓名'].trim()}”不存在或不在您的数据范围内`);
      } else err('警号', '警号、姓名不能都为空');
      const score = Number(scoreText);
      if (!Number.isFinite(score) || score < 0) err('成绩', `“${scoreText}”不是有效的分数`);
      else if (Math.round(score * 10) > exam.full_score) err('成绩', `超过满分 ${exam.full_score / 10}`);
      else if (Math.round(score * 2) !== score * 2) err('成绩', '须为 0.5 的整数倍');
      if (personId && seen.has(personId)) err(v['警号'] ? '警号' : '姓名', `与第 ${seen.get(personId)} 行是同一人`);
      if (personId) seen.set(personId, r.row);
      if (personId && Number.isFinite(score) && !errors.some((e) => e.row === r.row)) scores.push({ personId, score });
    }
  } finally {
    sheet.close();
  }
  if (errors.length || opts.dryRun || !scores.length) return { dryRun: opts.dryRun, totalRows, imported: 0, errors };
  await runCommand(ctx, { action: 'import_scores', entityType: 'exam' }, async (trx) => {
    await enterScores(ctx, examId, { scores }, trx);
    return { result: null, entityId: examId, after: { imported: scores.length } };
  });
  return { dryRun: false, totalRows, imported: scores.length, errors };
}
