// 首页 and 消息通知.

export const home = {
  round: (label: string, n: number) => `${label} 第 ${n} 轮`,
  welcome: (name: string) => `${name}，您好`,
  intro: '欢迎使用教育整顿工作平台。请从左侧菜单进入各项工作。',
  figures: '主要数据',
  noFigures: '暂无统计数据',
  unread: '未读消息',
  noUnread: '暂无未读消息',
  notifications: {
    all: '全部',
    unread: '未读',
    unreadCount: (n: number) => `${n} 条未读`,
    readAll: '全部已读',
    readAllConfirm: '将所有通知标为已读？',
    readAllDone: '已全部标为已读',
    markRead: '标为已读',
    open: '查看',
    empty: '暂无通知',
    emptyUnread: '没有未读通知',
  },
} as const;
