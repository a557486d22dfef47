// What of an opinion anyone may see without a login, beyond the submitter's own tracking page:
// Open311 GET answers, the tracking page of someone whose opinion was merged into this one, the
// public ledger. One rule, used everywhere:
//
// Only anonymous opinions that came in online (portal, WeChat, mini program; Open311 files on the
// portal channel) were given for public follow-up. For a named opinion, or one handed in on a card,
// at a symposium, in a box, by phone or on a visit, everything that could identify or address the
// person is withheld: the text, the reply, the rejection reason, the location and any media link.
// Staff naturally write replies to the person ("张先生，您反映的…，电话 139…"), so a reply is as
// personal as the text.

export const ONLINE_CHANNELS: readonly string[] = ['portal', 'wechat', 'mini_program'];

export function isPublishable(o: { identity: string; channel: string }): boolean {
  return o.identity === 'anonymous' && ONLINE_CHANNELS.includes(o.channel);
}

/** Neutral texts shown in place of withheld content. */
export const WITHHELD = {
  named: '（实名提交的意见，内容不公开）',
  offline: '（线下渠道收集的意见，内容不公开）',
  reply: '已答复（答复内容已告知提交人，不公开）',
  rejected: '不予受理（理由已告知提交人，不公开）',
} as const;

export function withheldDescription(o: { identity: string; channel: string }): string {
  return o.identity === 'named' ? WITHHELD.named : WITHHELD.offline;
}
