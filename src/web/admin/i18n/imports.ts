// The Excel import dialog every module shares (people, the rectification ledger…): its steps, the two
// modes and the row-by-row report. Each module gives only its title and what one row is.

export const imports = {
  step1: (what: string) => `第一步：下载导入模板，按模板填写（每行一${what}）。`,
  downloadTemplate: '下载导入模板',
  step2: '第二步：选择导入方式并上传填好的 .xlsx 文件。',
  modeAll: '有错误时全部不导入',
  modeAllHelp: '任何一行有错误，整份文件都不导入；改正后重新上传。适合要求名单完整一致的情况。',
  modeGood: '仅导入正确的行',
  modeGoodHelp: '正确的行立即导入，有错误的行跳过并列在下方；改正后可只上传这些行。',
  dryRun: '仅校验，不导入',
  chooseFile: '选择 .xlsx 文件',
  upload: '上传并导入',
  onlyXlsx: '只接受 .xlsx 格式的 Excel 文件',
  report: '导入结果',
  totalRows: '总行数',
  imported: '已导入',
  importedCount: (n: number) => `已导入 ${n} 行`,
  skipped: '未导入',
  goodRows: '无误的行',
  badRows: '有误的行',
  row: '行号',
  field: '字段',
  message: '问题',
  dryRunDone: '校验完成（未写入数据）',
  noErrors: '没有发现错误',
  allRejected: '有错误时全部不导入：本次未导入任何数据，请改正以下问题后重新上传。',
} as const;
