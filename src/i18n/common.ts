import { channelMention, esc } from '../slack/mrkdwn.js';

/**
 * What every feature shares: errors, refusals, the request lifecycle, generic buttons.
 * English is the reference: its type is the catalog's, and the Chinese must match it key for
 * key (the compiler checks). Values are mrkdwn; anything a user typed is escaped by the caller.
 */
export const commonEn = {
  locale: 'en',
  /** The usage line under a refusal: what to type, as typed. */
  usageLine: (usage: string) => `Usage: ${usage}`,
  // How the language punctuates what code puts together from these pieces.
  /** A remark after what it is about: "Closed (returned)". Carries its own leading space where the language wants one. */
  aside: (text: string) => ` (${text})`,
  /** What happened, then what was said with it: "added a note: …". */
  detail: (what: string, text: string) => `${what}: ${text}`,
  /** A few things named in a row: "title, category". */
  list: (items: readonly string[]) => items.join(', '),
  /** Sentences one after the other; empty ones left out. */
  sentences: (...parts: string[]) => parts.filter((p) => p).join(' '),
  internalError: 'Something went wrong on our side and nothing was changed. Please try again in a moment.',
  databaseUnavailable: 'The database is unavailable right now, so nothing was changed. Please try again in a minute.',
  busy: 'docket is busy right now and did not take this request. Please try again in a moment.',
  admissionUncertain: 'docket could not confirm in time that it recorded this request. If it did, you will get an answer within a minute; if you don’t, please try again.',
  requestKept: 'The database is unavailable right now. docket has kept your request and will carry it out as soon as it is back.',
  lateAnswer: '_Late answer: docket was restarted or the database was away before it could reply._',
  carriedOutEarlier: 'Done: docket carried this out before it was restarted.',
  requestDropped: 'docket could not carry out your request: the database was unavailable for too long. Please run it again.',
  notAGroup:
    'This channel is not a docket group yet. A coordinator can make it one with `/docket setup` (see `/docket help`), or run the command in your group’s channel.',
  // Escaped here, not by the caller: src/services/scope.ts passes the stored name as it is.
  notMember: (group: string) =>
    `You are not a member of *${esc(group)}*. A coordinator can add you with \`/docket members add @you\`.`,
  // Outside any group's channel (a direct message with docket): the reader's own work, across their groups.
  noGroupYet:
    'You are not in any docket group yet. To join one, ask its coordinator to add you (`/docket members add @you`); to start one, run `/docket setup` in the channel the group will work in.',
  groupChannelOnly: (channels: string[]) =>
    `This command works in a group’s channel: ${channels.map(channelMention).join(', ')}. In a direct message you can read your work across your groups: \`/action list\`, \`/case list\`, \`/case show REF\`.`,
  // Escaped here: the stored name as it is.
  groupHeading: (name: string, channel: string) => `*${esc(name)}* · ${channelMention(channel)}`,
  moreGroups: (n: number) => `…and ${n} more ${n === 1 ? 'group' : 'groups'}: run the command in their channels.`,
  readOnly: 'Observers can read this group’s cases but not change them.',
  coordinatorsOnly: 'Only the group’s coordinators can do that.',
  unknownSubcommand: (cmd: string, word: string) => `\`/${cmd} ${word}\` is not a command I know.`,
  missingArgument: (what: string) => `Missing ${what}.`,
  commandTooLong: (max: number) => `That command is too long: docket reads at most ${max.toLocaleString('en-US')} characters. For long text, use the form (e.g. \`/case plan REF\` without text).`,
  tooLong: (field: string, max: number) => `${field} is too long: at most ${max} characters.`,
  emptyField: (field: string) => `${field} cannot be empty.`,
  badDate: (text: string) => `I could not read “${text}” as a date. Try 2019-09-22, 2019/9/22, 2019年9月22日 or “yesterday”.`,
  badDateTime: (text: string) => `I could not read “${text}” as a date and time. Try 2019-09-22 07:24 or “yesterday 16:00”.`,
  futureDate: (field: string) => `${field} cannot be in the future.`,
  badUser: (text: string) => `“${text}” is not a Slack user. Mention them with @.`,
  badChannel: (text: string) => `“${text}” is not a channel. Mention it with #.`,
  unknownOption: (text: string) => `I don’t understand “${text}”.`,
  cancelled: 'Cancelled: nothing was changed.',
  concurrentChange: 'Someone made the same change at the same moment, so nothing was changed. Check the current state and try again.',
  staleButton: 'That button no longer works. Please run the command again.',
  badChoice: 'That choice is not one this form offers. Close the form and open it again.',
  formExpired: 'The form could not open in time. Please run the command again.',
  buttonCancel: 'Cancel',
  buttonConfirm: 'Confirm',
  uploadFailed: (code: string) =>
    code === 'not_in_channel'
      ? 'I could not share the file here: I am not in this channel. Invite me with `/invite @docket` and run the command again.'
      : `I could not share the file here (${code}). Please try again in a moment.`,

  commandsHeading: '*Commands*',
  /** After a timeline line whose fact happened on another day than it was entered. */
  recordedOn: (date: string) => `_(recorded ${date})_`,

};

export type CommonMessages = typeof commonEn;

/** What a missing argument is called in the Chinese usage lines (编号, 内容…); others are shown as typed. */
export const ZH_ARGUMENTS = new Map([
  ['REF', '案件编号'],
  ['N', '编号'],
  ['TEXT', '内容'],
  ['AMOUNT', '金额'],
  ['DATE', '日期'],
  ['WHEN', '时间'],
  ['due:WHEN', '期限（due:时间）'],
  ['NAME', '名称'],
  ['NEW', '新名称'],
  ['VALUE', '值'],
  ['STATUS', '状态'],
  ['OUTCOME', '结案方式'],
  ['@user', '@用户'],
  ['@leader', '@领导'],
  ['@user|unit:NAME', '负责人（@用户 或 unit:单位）'],
  ['NEWDATE NEWTIME', '新日期和新时间'],
  ['involved|frozen|recovered', '金额类别（involved、frozen 或 recovered）'],
  ['starts:YYYY-MM-DD HH:MM', '开始时间（starts:YYYY-MM-DD HH:MM）'],
  ['#CHANNEL', '频道（#频道）'],
  ['DAY', '星期'],
  ['HH:MM', '时刻（HH:MM）'],
]);

/** 简体中文. Command words and usage lines stay as typed (Slack commands are English words). */
export const commonZh: CommonMessages = {
  locale: 'zh',
  usageLine: (usage) => `用法：${usage}`,
  aside: (text) => `（${text}）`,
  detail: (what, text) => `${what}：${text}`,
  list: (items) => items.join('、'),
  // Chinese sentences follow each other without a space: 。 closes one.
  sentences: (...parts) => parts.join(''),
  internalError: '系统出错，未作任何更改。请稍后再试。',
  databaseUnavailable: '数据库暂时不可用，未作任何更改。请一分钟后再试。',
  busy: 'docket 当前繁忙，未受理此请求。请稍后再试。',
  admissionUncertain: 'docket 未能及时确认已记录此请求。若已记录，一分钟内会收到回复；若没有收到，请重试。',
  requestKept: '数据库暂时不可用。docket 已保存你的请求，恢复后会立即执行。',
  lateAnswer: '_迟到的回复：docket 在回复前曾重启或数据库暂时不可用。_',
  recordedOn: (date) => `_（${date} 录入）_`,
  carriedOutEarlier: '已完成：docket 在重启前已执行此操作。',
  requestDropped: '数据库不可用时间过长，docket 未能执行你的请求。请重新运行。',
  notAGroup: '本频道还不是 docket 工作组。协调员可在此运行 `/docket setup` 建组（见 `/docket help`），或到本组频道中运行该命令。',
  notMember: (group) => `你不是 *${esc(group)}* 的成员。请协调员用 \`/docket members add @你\` 添加你。`,
  noGroupYet: '你还不是任何 docket 工作组的成员。如需加入，请该组协调员用 `/docket members add @你` 添加你；如需新建，请在工作组将使用的频道中运行 `/docket setup`。',
  groupChannelOnly: (channels) =>
    `此命令需在工作组频道中运行：${channels.map(channelMention).join('、')}。在私信中可以查看你在各组的工作：\`/action list\`、\`/case list\`、\`/case show 案号\`。`,
  groupHeading: (name, channel) => `*${esc(name)}*（${channelMention(channel)}）`,
  moreGroups: (n) => `……另有 ${n} 个工作组未列出，请到其频道中运行该命令。`,
  readOnly: '观察员可以查看本组案件，但不能修改。',
  coordinatorsOnly: '只有本组协调员可以执行此操作。',
  unknownSubcommand: (cmd, word) => `没有 \`/${cmd} ${word}\` 这个命令。`,
  // The placeholders the usage lines use, in the words the Chinese usage lines use for them.
  missingArgument: (what) => (ZH_ARGUMENTS.has(what) ? `缺少${ZH_ARGUMENTS.get(what)}。` : `缺少 ${what}。`),
  commandTooLong: (max) => `命令过长：docket 最多读取 ${max} 个字符。较长的内容请用表单填写（例如不带文字的 \`/case plan REF\`）。`,
  tooLong: (field, max) => `${field}过长：最多 ${max} 个字符。`,
  emptyField: (field) => `${field}不能为空。`,
  badDate: (text) => `无法识别日期“${text}”。可写作 2019-09-22、2019/9/22、2019年9月22日 或“昨天”。`,
  badDateTime: (text) => `无法识别时间“${text}”。可写作 2019-09-22 07:24 或“昨天16:00”。`,
  futureDate: (field) => `${field}不能晚于今天。`,
  badUser: (text) => `“${text}”不是 Slack 用户，请用 @ 提及。`,
  badChannel: (text) => `“${text}”不是频道，请用 # 提及。`,
  unknownOption: (text) => `无法理解“${text}”。`,
  cancelled: '已取消，未作任何更改。',
  concurrentChange: '有人同时进行了相同的操作，本次未作更改。请查看当前状态后重试。',
  staleButton: '该按钮已失效，请重新运行命令。',
  badChoice: '该选项不在表单提供的范围内。请关闭表单后重新打开。',
  formExpired: '表单未能及时打开，请重新运行命令。',
  buttonCancel: '取消',
  buttonConfirm: '确认',
  uploadFailed: (code) =>
    code === 'not_in_channel' ? '无法在此分享文件：我不在本频道。请用 `/invite @docket` 邀请我后重新运行命令。' : `无法在此分享文件（${code}）。请稍后再试。`,

  commandsHeading: '*命令*',
};
