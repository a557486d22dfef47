import type { Actor, Ctx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, PERSON_SCOPE, unitWritable } from '../../platform/access.js';
import { newId } from '../../platform/ids.js';
import { openSheet, xlsxBuffer, type SheetReadOptions, type SheetStream } from '../../platform/excel.js';
import { badRequest } from '../../platform/errors.js';
import { PersonInput, PERSON_STATUS } from '../../../shared/schemas/people.js';
import { ID_NUMBER_UNAVAILABLE, personRow } from './commands.js';
import { enabledCodes } from '../dict/queries.js';

export const IMPORT_HEADERS = ['姓名', '单位编码', '所在单位', '职务', '党组织', '警号', '手机号', '身份证号', '状态'];

export interface ImportError {
  row: number;
  field: string;
  message: string;
}

export interface ImportReport {
  mode: 'all' | 'good_rows';
  dryRun: boolean;
  totalRows: number;
  imported: number;
  skipped: number;
  errors: ImportError[];
}

export function importTemplate() {
  return xlsxBuffer('干警', IMPORT_HEADERS, [
    ['张三', 'HSQ-01', '红山区司法局', '科员', '', '', '13800000000', '', '在职'],
  ]);
}

/**
 * Imports people from an .xlsx. 'all': nothing is written when any row is bad.
 * 'good_rows': the good rows are written and the bad ones reported. dryRun only checks.
 * Rows are validated as the sheet reader streams them; a limit passed (rows, size) refuses the
 * whole file before anything is written.
 */
export async function importPeople(
  ctx: Ctx,
  file: Buffer,
  mode: 'all' | 'good_rows',
  dryRun: boolean,
  limits: SheetReadOptions = {},
): Promise<ImportReport> {
  const actor = requirePermission(ctx, 'people:import');
  const sheet = await openSheet(file, limits);
  try {
    return await importRows(ctx, actor, sheet, mode, dryRun);
  } finally {
    sheet.close();
  }
}

async function importRows(
  ctx: Ctx,
  actor: Actor,
  sheet: SheetStream,
  mode: 'all' | 'good_rows',
  dryRun: boolean,
): Promise<ImportReport> {
  const { headers } = sheet;
  if (!headers.includes('姓名') || (!headers.includes('单位编码') && !headers.includes('所在单位'))) {
    throw badRequest('文件：缺少必需的列（姓名，以及单位编码或所在单位），请使用导入模板', 'file');
  }

  const units = await ctx.db.selectFrom('org_unit').select(['id', 'name', 'code']).execute();
  const byCode = new Map(units.map((u) => [u.code, u.id]));
  const byName = new Map<string, string[]>();
  for (const u of units) byName.set(u.name, [...(byName.get(u.name) ?? []), u.id]);
  const parties = await ctx.db.selectFrom('party_org').select(['id', 'name']).execute();
  const partyByName = new Map<string, string[]>();
  for (const p of parties) partyByName.set(p.name, [...(partyByName.get(p.name) ?? []), p.id]);
  const statusByLabel = new Map<string, string>(Object.entries(PERSON_STATUS).map(([k, v]) => [v, k]));
  // People write the post as its label (科员); the record keeps the dictionary code (staff). A code is accepted too.
  const postByText = new Map<string, string>();
  for (const p of await enabledCodes(ctx.db, 'post')) {
    postByText.set(p.code, p.code);
    postByText.set(p.label, p.code);
  }

  const errors: ImportError[] = [];
  const good: { row: number; input: PersonInput }[] = [];
  const seenIds = new Map<string, number>();
  const writable = new Map<string, boolean>();
  let totalRows = 0;

  for await (const r of sheet) {
    totalRows++;
    const v = r.values;
    const rowErrors: ImportError[] = [];
    let orgUnitId: string | undefined;
    if (v['单位编码']) {
      orgUnitId = byCode.get(v['单位编码']);
      if (!orgUnitId) rowErrors.push({ row: r.row, field: '单位编码', message: `单位编码“${v['单位编码']}”不存在` });
    } else if (v['所在单位']) {
      const ids = byName.get(v['所在单位']) ?? [];
      if (ids.length === 1) orgUnitId = ids[0];
      else
        rowErrors.push({
          row: r.row,
          field: '所在单位',
          message: ids.length ? `单位“${v['所在单位']}”重名，请填写单位编码` : `单位“${v['所在单位']}”不存在`,
        });
    } else {
      rowErrors.push({ row: r.row, field: '所在单位', message: '不能为空' });
    }
    if (orgUnitId) {
      if (!writable.has(orgUnitId)) writable.set(orgUnitId, await unitWritable(ctx.db, actor, orgUnitId));
      if (!writable.get(orgUnitId)) rowErrors.push({ row: r.row, field: '所在单位', message: '超出您的数据范围' });
    }
    let partyOrgId: string | null = null;
    if (v['党组织']) {
      const ids = partyByName.get(v['党组织']) ?? [];
      if (ids.length === 1) partyOrgId = ids[0]!;
      else rowErrors.push({ row: r.row, field: '党组织', message: ids.length ? '党组织重名' : `党组织“${v['党组织']}”不存在` });
    }
    let status: string | undefined;
    if (v['状态']) {
      status = statusByLabel.get(v['状态']);
      if (!status) rowErrors.push({ row: r.row, field: '状态', message: '应为“在职”“调离”或“退休”' });
    }
    let post: string | null = null;
    if (v['职务']) {
      post = postByText.get(v['职务']) ?? null;
      if (!post) rowErrors.push({ row: r.row, field: '职务', message: `“${v['职务']}”不是字典中的职务` });
    }
    const parsed = PersonInput.safeParse({
      name: v['姓名'] ?? '',
      orgUnitId: orgUnitId ?? 'x',
      post,
      partyOrgId,
      policeNo: v['警号'] || null,
      phone: v['手机号'] || null,
      idNumber: v['身份证号'] || null,
      status,
    });
    if (!parsed.success) {
      const labels: Record<string, string> = { name: '姓名', phone: '手机号', idNumber: '身份证号', post: '职务', policeNo: '警号' };
      for (const i of parsed.error.issues) {
        rowErrors.push({ row: r.row, field: labels[String(i.path[0])] ?? String(i.path[0]), message: i.message });
      }
    } else if (parsed.data.idNumber) {
      const prev = seenIds.get(parsed.data.idNumber);
      if (prev) rowErrors.push({ row: r.row, field: '身份证号', message: `与第 ${prev} 行重复` });
      else seenIds.set(parsed.data.idNumber, r.row);
    }
    if (rowErrors.length) errors.push(...rowErrors);
    else if (parsed.success) good.push({ row: r.row, input: parsed.data });
  }
  if (totalRows === 0) throw badRequest('文件：没有数据行', 'file');

  // ID numbers already registered.
  const now = ctx.now().toISOString();
  const prepared = good.map((g) => ({ row: g.row, data: personRow(ctx, g.input, newId(), now) }));
  const indexes = prepared.map((p) => p.data.id_no_index).filter((x): x is string => Boolean(x));
  // Holder's name when the importer may see the holder; otherwise nothing about who or where.
  const taken = new Map<string, string | null>();
  for (let i = 0; i < indexes.length; i += 500) {
    const chunk = indexes.slice(i, i + 500);
    const found = await ctx.db.selectFrom('person').select('id_no_index').where('id_no_index', 'in', chunk).execute();
    for (const f of found) if (f.id_no_index) taken.set(f.id_no_index, null);
    if (found.length) {
      const visible = await applyScope(ctx.db.selectFrom('person').select(['person.id_no_index', 'person.name']), actor, PERSON_SCOPE)
        .where('person.id_no_index', 'in', found.map((f) => f.id_no_index!))
        .execute();
      for (const v of visible) if (v.id_no_index) taken.set(v.id_no_index, v.name);
    }
  }
  const toWrite = prepared.filter((p) => {
    if (p.data.id_no_index && taken.has(p.data.id_no_index)) {
      const holder = taken.get(p.data.id_no_index);
      errors.push({ row: p.row, field: '身份证号', message: holder ? `已登记在干警“${holder}”名下` : ID_NUMBER_UNAVAILABLE });
      return false;
    }
    return true;
  });
  errors.sort((a, b) => a.row - b.row);

  const report: ImportReport = { mode, dryRun, totalRows, imported: 0, skipped: 0, errors };
  const blocked = mode === 'all' && errors.length > 0;
  if (dryRun || blocked || toWrite.length === 0) {
    report.skipped = totalRows;
    return report;
  }
  await runCommand(ctx, { action: 'import', entityType: 'person' }, async (trx) => {
    for (let i = 0; i < toWrite.length; i += 200) {
      await trx.insertInto('person').values(toWrite.slice(i, i + 200).map((p) => p.data)).execute();
    }
    return {
      result: undefined,
      entityId: null,
      after: { mode, imported: toWrite.map((p) => ({ id: p.data.id, name: p.data.name, row: p.row })) },
    };
  });
  report.imported = toWrite.length;
  report.skipped = totalRows - toWrite.length;
  return report;
}
