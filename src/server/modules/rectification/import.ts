import type { Actor, Ctx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, PERSON_SCOPE, unitWritable } from '../../platform/access.js';
import { openSheet, xlsxBuffer, type SheetReadOptions, type SheetStream } from '../../platform/excel.js';
import { badRequest } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { ITEM_SOURCES, ItemInput, RECTIFY_MODES, type ItemList } from '../../../shared/schemas/rectification.js';
import { insertItem, recordProgress } from './commands.js';

// Importing a ledger the bureau already keeps in Excel (序号, 问题描述, 整改措施, 责任单位, 责任人,
// 完成时限, 整改进展, 状态 and friends). Rows are checked as the sheet reader streams them, against the
// same rules as entering an item by hand (scope, category of this campaign, dates); "3-1" in 序号
// makes the row a sub-item of the row numbered 3. 'all' writes nothing when any row is bad;
// 'good_rows' writes the good ones and reports the rest; dryRun only checks.

export const LEDGER_IMPORT_HEADERS = [
  '序号', '问题名称', '问题描述', '问题类别', '问题来源', '整改措施', '整改目标', '整改方式', '责任单位', '单位编码', '责任人',
  '开始日期', '完成时限', '整改进展', '向社会公开',
];

export function ledgerImportTemplate() {
  return xlsxBuffer('整治台账', LEDGER_IMPORT_HEADERS, [
    ['1', '窗口服务午间无人值守', '个别司法所工作日午间无人值守，群众办事不便。', 'D5', '督导检查', '实行午间轮值，公示值班电话。', '工作日午间有人值守', '限期整治', '红山区司法局', 'HSQ', '', '2021-04-01', '2021-05-31', '60%', '是'],
    ['1-1', '文钟司法所午间值守', '文钟司法所落实午间轮值。', '', '督导检查', '排班公示。', '', '限期整治', '', 'HSQ-01', '', '', '2021-05-15', '100%', '否'],
  ]);
}

export interface LedgerImportError {
  row: number;
  field: string;
  message: string;
}

export interface LedgerImportReport {
  mode: 'all' | 'good_rows';
  dryRun: boolean;
  totalRows: number;
  imported: number;
  skipped: number;
  errors: LedgerImportError[];
}

/** 2021-05-31, 2021/5/31, 2021.5.31, 2021年5月31日, or an Excel date read as an ISO timestamp. */
export function parseLedgerDate(text: string): string | null {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})T/.exec(t);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t);
  if (!m) return null;
  const ymd = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd ? ymd : null;
}

const FIELD_LABELS: Record<string, string> = {
  title: '问题名称', description: '问题描述', measures: '整改措施', goal: '整改目标', orgUnitId: '责任单位', responsiblePersonId: '责任人',
  mode: '整改方式', startDate: '开始日期', deadline: '完成时限', categoryId: '问题类别', source: '问题来源', weight: '权重',
};

export async function importLedger(
  ctx: Ctx,
  file: Buffer,
  opts: { campaignId: string; list: ItemList; mode: 'all' | 'good_rows'; dryRun: boolean },
  limits: SheetReadOptions = {},
): Promise<LedgerImportReport> {
  const actor = requirePermission(ctx, 'rectification:write');
  const campaign = await ctx.db.selectFrom('campaign').select('id').where('id', '=', opts.campaignId).executeTakeFirst();
  if (!campaign) throw badRequest('教育整顿批次：不存在', 'campaignId');
  const sheet = await openSheet(file, { maxRows: 5000, ...limits });
  try {
    return await importRows(ctx, actor, sheet, opts);
  } finally {
    sheet.close();
  }
}

interface GoodRow {
  row: number;
  number: string;
  parentNumber: string | null;
  input: ItemInput;
  percent: number | null;
}

async function importRows(
  ctx: Ctx,
  actor: Actor,
  sheet: SheetStream,
  opts: { campaignId: string; list: ItemList; mode: 'all' | 'good_rows'; dryRun: boolean },
): Promise<LedgerImportReport> {
  const { headers } = sheet;
  if (!headers.includes('问题描述') || (!headers.includes('责任单位') && !headers.includes('单位编码'))) {
    throw badRequest('文件：缺少必需的列（问题描述，以及责任单位或单位编码），请使用导入模板', 'file');
  }
  const units = await ctx.db.selectFrom('org_unit').select(['id', 'name', 'code']).execute();
  const unitByCode = new Map(units.map((u) => [u.code, u.id]));
  const unitsByName = new Map<string, string[]>();
  for (const u of units) unitsByName.set(u.name, [...(unitsByName.get(u.name) ?? []), u.id]);
  const categories = await ctx.db
    .selectFrom('problem_category')
    .select(['id', 'code', 'name', 'enabled'])
    .where('campaign_id', '=', opts.campaignId)
    .execute();
  const categoryByText = new Map<string, string>();
  for (const c of categories.filter((c) => c.enabled)) {
    categoryByText.set(c.code, c.id);
    categoryByText.set(c.name, c.id);
  }
  const sourceByLabel = new Map<string, string>(Object.entries(ITEM_SOURCES).map(([k, v]) => [v, k]));
  const modeByLabel = new Map<string, string>(Object.entries(RECTIFY_MODES).map(([k, v]) => [v, k]));
  const writable = new Map<string, boolean>();

  const errors: LedgerImportError[] = [];
  const good: GoodRow[] = [];
  const numbers = new Map<string, number>();
  const people: { row: number; name: string; unitId: string }[] = [];
  let totalRows = 0;

  for await (const r of sheet) {
    totalRows++;
    const v = r.values;
    const rowErrors: LedgerImportError[] = [];
    const err = (field: string, message: string) => rowErrors.push({ row: r.row, field, message });

    const number = (v['序号'] ?? '').trim() || String(totalRows);
    if (!/^\d{1,5}(-\d{1,4})?$/.test(number)) err('序号', '应为数字，子事项写作“上级序号-子序号”，如 3-1');
    else if (numbers.has(number)) err('序号', `与第 ${numbers.get(number)} 行重复`);
    else numbers.set(number, r.row);
    const parentNumber = number.includes('-') ? number.split('-')[0]! : null;
    if (parentNumber && !numbers.has(parentNumber)) err('序号', `上级事项（序号 ${parentNumber}）须在本行之前`);

    let orgUnitId: string | undefined;
    if (v['单位编码']) {
      orgUnitId = unitByCode.get(v['单位编码']);
      if (!orgUnitId) err('单位编码', `单位编码“${v['单位编码']}”不存在`);
    } else if (v['责任单位']) {
      const ids = unitsByName.get(v['责任单位']) ?? [];
      if (ids.length === 1) orgUnitId = ids[0];
      else err('责任单位', ids.length ? `单位“${v['责任单位']}”重名，请填写单位编码` : `单位“${v['责任单位']}”不存在`);
    } else err('责任单位', '不能为空');
    if (orgUnitId) {
      if (!writable.has(orgUnitId)) writable.set(orgUnitId, await unitWritable(ctx.db, actor, orgUnitId));
      if (!writable.get(orgUnitId)) err('责任单位', '超出您的数据范围');
    }

    let categoryId: string | null = null;
    if (v['问题类别']) {
      categoryId = categoryByText.get(v['问题类别']) ?? null;
      if (!categoryId) err('问题类别', `“${v['问题类别']}”不是本批次启用的问题类别`);
    }
    const source = v['问题来源'] ? sourceByLabel.get(v['问题来源']) : 'other';
    if (!source) err('问题来源', `应为${Object.values(ITEM_SOURCES).join('、')}之一`);
    const startDate = v['开始日期'] ? parseLedgerDate(v['开始日期']) : null;
    if (v['开始日期'] && !startDate) err('开始日期', '应为日期，如 2021-05-31');
    const deadline = v['完成时限'] ? parseLedgerDate(v['完成时限']) : null;
    if (v['完成时限'] && !deadline) err('完成时限', '应为日期，如 2021-05-31');
    const mode = v['整改方式'] ? modeByLabel.get(v['整改方式']) : deadline ? 'deadline' : 'concurrent';
    if (!mode) err('整改方式', '应为“即查即治”“边查边治”或“限期整治”');
    let percent: number | null = null;
    if (v['整改进展']) {
      const m = /^(\d{1,3}(?:\.\d+)?)\s*%?$/.exec(v['整改进展'].trim());
      percent = m ? Math.round(Number(m[1])) : null;
      if (percent === null || percent > 100) err('整改进展', '应为 0–100 的百分比，如 60%');
    }
    const isPublic = ['是', '公开', '1'].includes((v['向社会公开'] ?? '').trim());
    const description = v['问题描述'] ?? '';
    const parsed = ItemInput.safeParse({
      campaignId: opts.campaignId, list: opts.list, parentId: null, source: source ?? 'other', categoryId,
      title: v['问题名称'] || description.replace(/[，。；,.;].*$/s, '').slice(0, 30),
      description, measures: v['整改措施'] || null, goal: v['整改目标'] || null, orgUnitId: orgUnitId ?? 'x', responsiblePersonId: null,
      mode: mode ?? 'concurrent', startDate, deadline, isPublic, weight: 1,
    });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const field = FIELD_LABELS[String(i.path[0])] ?? String(i.path[0]);
        // One message a cell: a date that did not parse is not also "missing".
        if (!rowErrors.some((e) => e.field === field)) err(field, i.message);
      }
    }
    if (v['责任人'] && orgUnitId) people.push({ row: r.row, name: v['责任人'], unitId: orgUnitId });
    if (rowErrors.length) errors.push(...rowErrors);
    else if (parsed.success) good.push({ row: r.row, number, parentNumber, input: parsed.data, percent });
  }
  if (totalRows === 0) throw badRequest('文件：没有数据行', 'file');

  // 责任人 by name, among the people the importer may see in the item's unit (a name must be unambiguous).
  const names = [...new Set(people.map((p) => p.name))];
  const seen = new Map<string, { id: string; org_unit_id: string }[]>();
  for (let i = 0; i < names.length; i += 500) {
    const found = await applyScope(ctx.db.selectFrom('person').select(['person.id', 'person.name', 'person.org_unit_id']), actor, PERSON_SCOPE)
      .where('person.name', 'in', names.slice(i, i + 500))
      .execute();
    for (const f of found) seen.set(f.name, [...(seen.get(f.name) ?? []), f]);
  }
  const personOf = new Map<number, string>();
  for (const p of people) {
    const inUnit = (seen.get(p.name) ?? []).filter((x) => x.org_unit_id === p.unitId);
    if (inUnit.length === 1) personOf.set(p.row, inUnit[0]!.id);
    else errors.push({ row: p.row, field: '责任人', message: inUnit.length ? `责任单位有多名“${p.name}”` : `责任单位中没有“${p.name}”（或不在您的数据范围内）` });
  }
  const badRows = new Set(errors.map((e) => e.row));
  // A sub-item whose parent row is bad cannot be placed.
  const okNumbers = new Set(good.filter((g) => !badRows.has(g.row)).map((g) => g.number));
  for (const g of good) {
    if (!badRows.has(g.row) && g.parentNumber && !okNumbers.has(g.parentNumber)) {
      errors.push({ row: g.row, field: '序号', message: `上级事项（序号 ${g.parentNumber}）有误，未能导入` });
      badRows.add(g.row);
    }
  }
  errors.sort((a, b) => a.row - b.row);
  const toWrite = good.filter((g) => !badRows.has(g.row));
  // A parent's progress is its sub-items' (rolled up); its own 整改进展 column is not a report.
  const parents = new Set(toWrite.map((g) => g.parentNumber).filter(Boolean));

  const report: LedgerImportReport = { mode: opts.mode, dryRun: opts.dryRun, totalRows, imported: 0, skipped: 0, errors };
  if (opts.dryRun || (opts.mode === 'all' && errors.length > 0) || toWrite.length === 0) {
    report.skipped = totalRows;
    return report;
  }
  await runCommand(ctx, { action: 'import', entityType: 'rectification_item' }, async (trx) => {
    const idOf = new Map<string, string>();
    const made: { id: string; row: number; seq: number }[] = [];
    for (const g of toWrite) {
      const row = await insertItem(trx, ctx, actor, {
        ...g.input,
        parentId: g.parentNumber ? idOf.get(g.parentNumber)! : null,
        responsiblePersonId: personOf.get(g.row) ?? null,
      });
      idOf.set(g.number, row.id);
      if (g.percent !== null && g.percent > 0 && !parents.has(g.number)) {
        await recordProgress(trx, ctx, actor, row, { percent: g.percent, note: '导入时的整改进展', attachmentIds: [] }, newId());
      }
      made.push({ id: row.id, row: g.row, seq: row.seq });
    }
    return { result: undefined, entityId: null, after: { campaignId: opts.campaignId, list: opts.list, imported: made } };
  });
  report.imported = toWrite.length;
  report.skipped = totalRows - toWrite.length;
  return report;
}
