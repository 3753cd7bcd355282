import { channelMention } from '../../slack/mrkdwn.js';

/**
 * What linking a group to a parent group says (two tiers: a provincial office over the
 * prefectures' groups), in English and Chinese; spread into the groups catalog.
 */
export const linksEn = {
  docketParentUsage: '/docket parent [#CHANNEL | none]',
  docketChildUsage: '/docket child #CHANNEL',
  linkNotAGroup: (channel: string) => `${channelMention(channel)} is not a docket group: it needs \`/docket setup\` there first.`,
  linkSelf: 'A group cannot be its own parent.',
  linkTwoTiers: 'Groups link in two tiers only: a parent group cannot have a parent, and a group with child groups cannot become a child.',
  linkHasParent: (channel: string) => `This group already reports to ${channelMention(channel)}: \`/docket parent none\` first.`,
  linkOtherHasParent: (channel: string) => `${channelMention(channel)} already reports to another group.`,
  linkRequested: (channel: string, command: string) =>
    `Asked to report to ${channelMention(channel)}. A coordinator of that group completes the link by running \`${command}\` there.`,
  linkRequestedChild: (channel: string, command: string) =>
    `Offered to take ${channelMention(channel)} as a child group. A coordinator of that group completes the link by running \`${command}\` there.`,
  linked: (child: string, parent: string) => `${channelMention(child)} now reports to ${channelMention(parent)}: the parent’s digest and statistics add its figures; its cases stay in its own channel.`,
  unlinked: (parent: string) => `This group no longer reports to ${channelMention(parent)}.`,
  linkNone: 'This group reports to no parent group.',
  linkParent: (parent: string) => `This group reports to ${channelMention(parent)}.`,
  linkChildren: (children: string) => `Child groups: ${children}.`,
  linkEvent: {
    requested: (channel: string) => `asked to link with ${channelMention(channel)}`,
    linked: (child: string, parent: string) => `linked ${channelMention(child)} under ${channelMention(parent)}`,
    unlinked: (child: string, parent: string) => `unlinked ${channelMention(child)} from ${channelMention(parent)}`,
  },
};

export type LinksMessages = typeof linksEn;

export const linksZh: LinksMessages = {
  docketParentUsage: '/docket parent [#频道 | none]',
  docketChildUsage: '/docket child #频道',
  linkNotAGroup: (channel) => `${channelMention(channel)} 还不是 docket 工作组，需先在那里运行 \`/docket setup\`。`,
  linkSelf: '工作组不能以自己为上级。',
  linkTwoTiers: '工作组只分两级：上级组不能再有上级，有下级组的工作组不能成为下级。',
  linkHasParent: (channel) => `本组已向 ${channelMention(channel)} 汇报，请先运行 \`/docket parent none\`。`,
  linkOtherHasParent: (channel) => `${channelMention(channel)} 已向另一工作组汇报。`,
  linkRequested: (channel, command) => `已申请向 ${channelMention(channel)} 汇报。请该组协调员在那里运行 \`${command}\` 完成关联。`,
  linkRequestedChild: (channel, command) => `已提出将 ${channelMention(channel)} 作为下级组。请该组协调员在那里运行 \`${command}\` 完成关联。`,
  linked: (child, parent) => `${channelMention(child)} 现向 ${channelMention(parent)} 汇报：上级组的周报和统计会加上它的数字，案件仍留在它自己的频道。`,
  unlinked: (parent) => `本组不再向 ${channelMention(parent)} 汇报。`,
  linkNone: '本组没有上级组。',
  linkParent: (parent) => `本组向 ${channelMention(parent)} 汇报。`,
  linkChildren: (children) => `下级组：${children}。`,
  linkEvent: {
    requested: (channel) => `申请与 ${channelMention(channel)} 关联`,
    linked: (child, parent) => `将 ${channelMention(child)} 关联到 ${channelMention(parent)} 之下`,
    unlinked: (child, parent) => `解除了 ${channelMention(child)} 与 ${channelMention(parent)} 的关联`,
  },
};
