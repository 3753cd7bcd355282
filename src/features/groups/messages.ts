import type { Role } from '../../domain/roles.js';
import { channelMention, mention } from '../../slack/mrkdwn.js';
import { linksEn, linksZh } from './links.messages.js';
import { exportAllEn, exportAllZh } from './export-all.messages.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The groups feature: `/docket` (setup, settings, units, members), the welcome, the group audit log.
 * English is the reference: its type is the catalog's, and the Chinese must match it key for
 * key (the compiler checks). Values are mrkdwn; anything a user typed is escaped by the caller.
 */
export const groupsEn = {
  ...linksEn,
  ...exportAllEn,
  welcome: 'Hello! I am docket. Run `/docket setup` to make this channel a coordination group; `/docket help` lists everything I can do.',
  cmdDocket: 'Set up a coordination group, its units and members',
  docketHelp: [
    '*docket*: run a coordination group’s cases from Slack.',
    '*Group*',
    '• `/docket setup [name] [prefix:GZ] [tz:Asia/Shanghai] [currency:CNY] [announce:#channel]`: make this channel a group; you become its coordinator',
    '• `/docket settings [name:…] [prefix:…] [tz:…] [currency:…] [announce:#channel|none]`: show or change settings',
    '• `/docket units [add|rename|contact|remove] …`: member units, e.g. `/docket units add "Public Security" contact:@li`',
    '• `/docket members [add|set|remove] …`: people, e.g. `/docket members add @li @wang unit:Police role:member` (roles: coordinator, member, observer)',
    '• `/docket stats [YEAR]`: per year, cases opened and closed by outcome, where subjects were found, money recovered and frozen, the median time at large; the open cases now against the zero target, by unit and by time at large. Without a year, every year and the total since the first case, e.g. `/docket stats 2021`',
    '• `/docket export-all`: everything of this group as CSV files in the channel (cases, items, money, the whole timeline, people, units, meetings), for a coordinator who leaves docket (coordinators)',
    '• `/docket parent #CHANNEL`: this group reports to the group of #CHANNEL (two tiers: its digest and statistics add this group’s figures); a coordinator there completes it with `/docket child #this-channel`; `/docket parent none` undoes it; `/docket parent` shows the links',
    '*Cases*: `/case help` lists them all, e.g. `/case open Zhang, fled 2003`, `/case list supervised`, `/case show GZ-2021-003`',
  ].join('\n'),
  docketUsage: '/docket help | setup | settings | units | members | stats | parent | child | export-all',
  setupUsage: '/docket setup [name] [prefix:GZ] [tz:Asia/Shanghai] [currency:CNY] [announce:#channel]',
  settingsUsage: '/docket settings [name:…] [prefix:GZ] [tz:Asia/Shanghai] [currency:CNY] [announce:#channel|none] [language:en|zh]',
  unitsUsage: '/docket units [list] | add NAME [contact:@user] | rename NAME NEW | contact NAME @user|none | remove NAME',
  membersUsage: '/docket members [list] | add @user… [role:member|observer|coordinator] [unit:NAME] | set @user [role:…] [unit:NAME|none] | remove @user',
  setupInChannel: 'A group works in a channel, not in a direct message: invite docket to the channel the group will use and run `/docket setup` there.',
  alreadyGroup: (name: string) => `This channel is already the group *${name}*. Change it with \`/docket settings\`.`,
  badPrefix: (p: string) => `“${p}” cannot be a case prefix: use 1 to 10 letters or digits, starting with a letter (e.g. GZ).`,
  prefixTaken: (p: string) => `The prefix ${p} is already used by another group in this workspace.`,
  prefixLocked: 'The prefix cannot change once the group has cases: their references would no longer match.',
  badZone: (z: string) => `“${z}” is not a time zone I know. Use an IANA name such as Asia/Shanghai or Europe/Berlin.`,
  badCurrency: (c: string) => `“${c}” is not an ISO currency code (e.g. CNY, USD, EUR).`,
  badLanguage: (l: string) => `“${l}” is not a language docket speaks: use en or zh.`,
  groupCreated: (g: { name: string; prefix: string; zone: string; currency: string; year: number }) =>
    `*${g.name}* is set up in this channel. Case references look like \`${g.prefix}-${g.year}-001\`; dates are read in ${g.zone}; money defaults to ${g.currency}. You are its coordinator. Next: \`/docket units add NAME\` and \`/docket members add @someone\`.`,
  settingsTitle: (name: string) => `*Settings of ${name}*`,
  settingsLines: (g: { name: string; prefix: string; zone: string; currency: string; announce: string | null; language: string }) =>
    [
      `• Name: ${g.name}`,
      `• Case prefix: ${g.prefix}`,
      `• Time zone: ${g.zone}`,
      `• Default currency: ${g.currency}`,
      `• Announcement channel: ${g.announce ? `${channelMention(g.announce)}` : 'none'}`,
      `• Channel language: ${g.language}`,
    ].join('\n'),
  settingsUpdated: 'Settings updated.',
  nothingToChange: 'Nothing to change: the values are the same as before.',
  unitAdded: (name: string) => `Unit *${name}* added.`,
  unitExists: (name: string) => `There is already a unit called *${name}*.`,
  unitNotFound: (name: string) => `There is no unit called “${name}”. See \`/docket units\`.`,
  unitRenamed: (from: string, to: string) => `Unit *${from}* is now *${to}*.`,
  unitContactSet: (name: string, user: string | null) => (user ? `${mention(user)} is now the contact of *${name}*.` : `*${name}* has no contact now.`),
  unitRemoveConfirm: (name: string, members: number) =>
    `Remove unit *${name}*? ${members ? `${plural(members, 'member', 'members')} will have no unit; ` : ''}its cases keep their history.`,
  unitRemoved: (name: string) => `Unit *${name}* removed.`,
  unitsTitle: (n: number) => `*Units* (${n})`,
  noUnits: 'No units yet. Add one with `/docket units add NAME`.',
  unitLine: (name: string, contact: string | null, gone = false) =>
    `• ${name}${contact ? (gone ? ` (contact ${mention(contact)} has left the group: the unit’s members hear its reminders)` : ` (contact ${mention(contact)})`) : ''}`,
  membersAdded: (users: string[], role: Role) => `Added ${users.map(mention).join(', ')} as ${role}.`,
  membersAlready: (users: string[]) => `Already members: ${users.map(mention).join(', ')}.`,
  memberUpdated: (user: string) => `Updated ${mention(user)}.`,
  memberNotFound: (user: string) => `${mention(user)} is not a member of this group.`,
  memberRemoveConfirm: (user: string) => `Remove ${mention(user)} from the group? They will no longer see its cases.`,
  memberRemoved: (user: string) => `${mention(user)} was removed from the group.`,
  lastCoordinator: 'A group needs at least one coordinator: make someone else coordinator first.',
  badRole: (r: string) => `“${r}” is not a role: use coordinator, member or observer.`,
  membersTitle: (n: number) => `*Members* (${n})`,
  memberLine: (user: string, role: Role, unit: string | null) => `• ${mention(user)}: ${role}${unit ? `, ${unit}` : ''}`,
  botOrDeleted: (user: string) => `${mention(user)} cannot be a member: it is a bot or a deactivated account.`,

  /** The group's audit log: one line per entry (src/features/groups/timeline.ts). */
  groupEvent: {
    setup: (name: string) => `set up the group ${name}`,
    settings: (fields: string) => `changed the group's settings: ${fields}`,
    unitAdded: (name: string) => `added the unit ${name}`,
    unitRenamed: (from: string, to: string) => `renamed the unit ${from} to ${to}`,
    unitContact: (name: string, contact: string | null) => (contact ? `made ${mention(contact)} the contact of unit ${name}` : `removed the contact of unit ${name}`),
    unitRemoved: (name: string) => `removed the unit ${name}`,
    memberAdded: (user: string) => `added ${mention(user)}`,
    memberUpdated: (user: string) => `changed the role or unit of ${mention(user)}`,
    memberRemoved: (user: string) => `removed ${mention(user)}`,
    /** Written by docket itself in each group of a workspace that uninstalled it (OAuth installs). */
    workspaceUninstalled: (reason: 'app_uninstalled' | 'tokens_revoked', messages: number) =>
      `stopped: ${reason === 'tokens_revoked' ? 'its token was revoked in this workspace' : 'it was uninstalled from this workspace'}; ${messages} messages will not be sent, and recurring work is paused until it is installed again`,
    workspaceReinstalled: (messages: number) => `was installed again: recurring work resumed, and ${messages} messages still ahead will be sent`,
  },
};

export type GroupsMessages = typeof groupsEn;

const roleNames: Record<Role, string> = { coordinator: '协调员', member: '成员', observer: '观察员' };

/** 简体中文. Command words and usage lines stay as typed (Slack commands are English words). */
export const groupsZh: GroupsMessages = {
  ...linksZh,
  ...exportAllZh,
  welcome: '你好！我是 docket。运行 `/docket setup` 可将本频道设为协调工作组；`/docket help` 列出全部命令。',
  cmdDocket: '设置协调小组、成员单位与成员',
  docketHelp: [
    '*docket*：在 Slack 中管理协调小组的案件台账。',
    '*工作组*',
    '• `/docket setup [名称] [prefix:GZ] [tz:Asia/Shanghai] [currency:CNY] [announce:#频道]`：将本频道设为工作组，你成为协调员',
    '• `/docket settings [name:…] [prefix:…] [tz:…] [currency:…] [announce:#频道|none]`：查看或修改设置',
    '• `/docket units [add|rename|contact|remove] …`：成员单位，如 `/docket units add 公安局 contact:@li`',
    '• `/docket members [add|set|remove] …`：人员，如 `/docket members add @li @wang unit:公安局 role:member`（角色：coordinator 协调员、member 成员、observer 观察员）',
    '• `/docket stats [年份]`：按年统计立案数、按结案方式的结案数、查获地点、追回和冻结资金、在逃时间中位数；当前未结案件与清零目标，按单位和在逃时间分列。不带年份时列出各年及首案以来合计，如 `/docket stats 2021`',
    '• `/docket export-all`：将本组全部数据以 CSV 文件分享到频道（案件、待办事项、资金、全部时间线、人员、单位、会议），供离任的协调员留存（协调员）',
    '• `/docket parent #频道`：本组向该频道的工作组汇报（两级：其周报和统计加上本组数字），由该组协调员运行 `/docket child #本频道` 完成；`/docket parent none` 解除；`/docket parent` 查看关联',
    '*案件*：`/case help` 列出全部命令，如 `/case open 张某某案`、`/case list supervised`、`/case show GZ-2021-003`',
  ].join('\n'),
  docketUsage: '/docket help | setup | settings | units | members | stats | parent | child | export-all',
  setupUsage: '/docket setup [名称] [prefix:GZ] [tz:Asia/Shanghai] [currency:CNY] [announce:#频道]',
  settingsUsage: '/docket settings [name:…] [prefix:GZ] [tz:Asia/Shanghai] [currency:CNY] [announce:#频道|none] [language:en|zh]',
  unitsUsage: '/docket units [list] | add 名称 [contact:@用户] | rename 名称 新名称 | contact 名称 @用户|none | remove 名称',
  membersUsage: '/docket members [list] | add @用户… [role:member|observer|coordinator] [unit:名称] | set @用户 [role:…] [unit:名称|none] | remove @用户',
  setupInChannel: '工作组须绑定频道，不能在私信中建立：请把 docket 邀请到工作组将使用的频道，并在该频道中运行 `/docket setup`。',
  alreadyGroup: (name) => `本频道已是工作组 *${name}*。可用 \`/docket settings\` 修改。`,
  badPrefix: (p) => `“${p}”不能作为案件编号前缀：须为 1 至 10 位字母或数字，以字母开头（如 GZ）。`,
  prefixTaken: (p) => `前缀 ${p} 已被本工作区的其他工作组使用。`,
  prefixLocked: '工作组已有案件，前缀不能再改，否则编号将对不上。',
  badZone: (z) => `无法识别时区“${z}”。请使用 IANA 名称，如 Asia/Shanghai。`,
  badCurrency: (c) => `“${c}”不是 ISO 货币代码（如 CNY、USD、EUR）。`,
  badLanguage: (l) => `不支持语言“${l}”：请用 en 或 zh。`,
  groupCreated: (g) =>
    `已在本频道建立 *${g.name}*。案件编号形如 \`${g.prefix}-${g.year}-001\`；日期按 ${g.zone} 解读；金额默认 ${g.currency}。你是协调员。下一步：\`/docket units add 名称\`、\`/docket members add @某人\`。`,
  settingsTitle: (name) => `*${name} 的设置*`,
  settingsLines: (g) =>
    [
      `• 名称：${g.name}`,
      `• 案件编号前缀：${g.prefix}`,
      `• 时区：${g.zone}`,
      `• 默认货币：${g.currency}`,
      `• 通报频道：${g.announce ? `${channelMention(g.announce)}` : '无'}`,
      `• 频道语言：${g.language}`,
    ].join('\n'),
  settingsUpdated: '设置已更新。',
  nothingToChange: '没有需要更改的内容：与原值相同。',
  unitAdded: (name) => `已添加单位 *${name}*。`,
  unitExists: (name) => `已有名为 *${name}* 的单位。`,
  unitNotFound: (name) => `没有名为“${name}”的单位。见 \`/docket units\`。`,
  unitRenamed: (from, to) => `单位 *${from}* 已更名为 *${to}*。`,
  unitContactSet: (name, user) => (user ? `${mention(user)} 现为 *${name}* 的联络人。` : `*${name}* 现在没有联络人。`),
  unitRemoveConfirm: (name, members) => `删除单位 *${name}*？${members ? `${members} 名成员将不再属于任何单位；` : ''}相关案件保留历史记录。`,
  unitRemoved: (name) => `已删除单位 *${name}*。`,
  unitsTitle: (n) => `*成员单位*（${n}）`,
  noUnits: '还没有单位。用 `/docket units add 名称` 添加。',
  unitLine: (name, contact, gone = false) => `• ${name}${contact ? (gone ? `（联络人 ${mention(contact)} 已离开本组：由本单位成员接收提醒）` : `（联络人 ${mention(contact)}）`) : ''}`,
  membersAdded: (users, role) => `已添加 ${users.map(mention).join('、')}，角色：${roleNames[role]}。`,
  membersAlready: (users) => `已是成员：${users.map(mention).join('、')}。`,
  memberUpdated: (user) => `已更新 ${mention(user)}。`,
  memberNotFound: (user) => `${mention(user)} 不是本组成员。`,
  memberRemoveConfirm: (user) => `将 ${mention(user)} 移出本组？移出后将无法查看本组案件。`,
  memberRemoved: (user) => `已将 ${mention(user)} 移出本组。`,
  lastCoordinator: '工作组至少需要一名协调员：请先任命其他协调员。',
  badRole: (r) => `“${r}”不是角色：请用 coordinator、member 或 observer。`,
  membersTitle: (n) => `*成员*（${n}）`,
  memberLine: (user, role, unit) => `• ${mention(user)}：${roleNames[role]}${unit ? `，${unit}` : ''}`,
  botOrDeleted: (user) => `${mention(user)} 不能成为成员：这是机器人或已停用的账号。`,

  groupEvent: {
    setup: (name) => `建立了协作组 ${name}`,
    settings: (fields) => `修改了协作组设置：${fields}`,
    unitAdded: (name) => `添加了单位 ${name}`,
    unitRenamed: (from, to) => `将单位 ${from} 改名为 ${to}`,
    unitContact: (name, contact) => (contact ? `指定 ${mention(contact)} 为单位 ${name} 的联络人` : `取消了单位 ${name} 的联络人`),
    unitRemoved: (name) => `移除了单位 ${name}`,
    memberAdded: (user) => `添加了成员 ${mention(user)}`,
    memberUpdated: (user) => `修改了 ${mention(user)} 的角色或单位`,
    memberRemoved: (user) => `移除了成员 ${mention(user)}`,
    workspaceUninstalled: (reason, messages) =>
      `已停止：${reason === 'tokens_revoked' ? '此工作区撤销了它的令牌' : '它已从此工作区卸载'}；${messages} 条消息不再发送，定期任务暂停，直至重新安装`,
    workspaceReinstalled: (messages) => `已重新安装：定期任务已恢复，${messages} 条尚未到期的消息将照常发送`,
  },
};
