// Texts of the public 便民利民措施 page, in the style of strings.ts (one object, another locale can follow).

export const SS = {
  card: ['便民利民措施公开', '查看便民利民措施、“十联动”行动和优化法治化营商环境举措的责任单位、完成时限与进展。'] as const,
  title: '便民利民措施公开',
  intro: '赤峰市司法局向社会公开的为民服务措施：每项措施的责任单位、完成时限、工作节点和推进情况，欢迎群众监督。',
  summary: (total: number, done: number) => `共公开 ${total} 项措施，已完成 ${done} 项。`,
  groupCount: (n: number) => `${n} 项`,
  none: '目前还没有公开的措施。',
  number: (n: number) => `第 ${n} 项`,
  status: '状态：',
  fields: { unit: '责任单位', due: '完成时限', doneOn: '完成日期' },
  longTerm: '长期坚持',
  progress: '推进进度',
  percent: (n: number) => `${n}%`,
  milestones: (done: number, total: number) => `工作节点（已完成 ${done} / ${total}）`,
  milestoneDone: '已完成',
  milestoneOpen: '未完成',
  report: '对措施落实有意见建议？',
  submit: '提交意见建议',
};
