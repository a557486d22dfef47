// Menu labels of the 开门纳谏 group. Kept apart from i18n.ts because the side menu is part of the
// first load, and the pages' own strings should arrive only with the pages.
export const opinionMenu = {
  group: '开门纳谏',
  triage: '意见梳理',
  entry: '录入意见',
  stats: '意见统计',
  symposiums: '座谈会',
  surveys: '调查问卷',
  open311: 'Open311 密钥',
} as const;
