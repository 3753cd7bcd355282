// @ts-check
/**
 * The page's own words (its chrome: headings, buttons, placeholders, notes), in the acting
 * person's language, as the Slack client shows its own in theirs. One table per language;
 * the Chinese must have every key the English has (checkJs holds it to `typeof en`). What
 * docket itself says comes from docket, in its own catalogs, and is not here.
 */

export const en = {
  lang: 'en',
  pageTitle: 'docket · local workspace',
  workspace: 'Local workspace',
  actingAs: 'Acting as',
  channels: 'Channels',
  directMessages: 'Direct messages',
  apps: 'Apps',
  note: 'Everything here goes to docket as signed Slack requests; what you see is what docket sent to the built-in fake Slack.',
  message: 'Message',
  composerPlaceholder: 'Type a command, e.g. /case help',
  send: 'Send',
  appTag: 'APP',
  home: 'docket · Home',
  homeTopic: 'The App Home tab',
  notInChannel: 'docket is not in this channel: /invite @docket',
  noHome: 'docket has not published a Home tab for you.',
  /** HTML: the command is set as code. */
  noMessages: 'No messages yet. Try <code>/docket help</code>.',
  onlyYou: 'Only visible to you',
  dismiss: 'Dismiss',
  /** @param {string} method @param {string} error @param {string[]} problems */
  refused: (method, error, problems) => `Slack refused docket's ${method}: ${error}${problems.length ? ` (${problems.join('; ')})` : ''}`,
  failed: 'That did not work.',
  selectItem: 'Select an item',
  selectPerson: 'Select a person',
  selectChannel: 'Select a channel',
  optional: '(optional)',
  cancel: 'Cancel',
  close: 'Close',
  /** @param {string} type */
  unknownBlock: (type) => `[block ${type} is not drawn by the local workspace]`,
  /** @param {string} type */
  unknownElement: (type) => `[element ${type} is not drawn by the local workspace]`,
};

/** @typedef {typeof en} Labels */

/** @type {Labels} */
export const zh = {
  lang: 'zh-CN',
  pageTitle: 'docket · 本地工作区',
  workspace: '本地工作区',
  actingAs: '当前身份',
  channels: '频道',
  directMessages: '私信',
  apps: '应用',
  note: '这里的每个操作都以签名的 Slack 请求发给 docket；你看到的，就是 docket 发给内置模拟 Slack 的内容。',
  message: '消息',
  composerPlaceholder: '输入命令，例如 /case help',
  send: '发送',
  appTag: '应用',
  home: 'docket · 主页',
  homeTopic: '应用主页',
  notInChannel: 'docket 不在此频道中：/invite @docket',
  noHome: 'docket 尚未为你发布主页。',
  noMessages: '还没有消息。试试 <code>/docket help</code>。',
  onlyYou: '仅你可见',
  dismiss: '关闭',
  refused: (method, error, problems) => `Slack 拒绝了 docket 的 ${method}：${error}${problems.length ? `（${problems.join('；')}）` : ''}`,
  failed: '操作未成功。',
  selectItem: '选择一项',
  selectPerson: '选择一个人',
  selectChannel: '选择一个频道',
  optional: '（可选）',
  cancel: '取消',
  close: '关闭',
  unknownBlock: (type) => `［本地工作区不绘制 ${type} 区块］`,
  unknownElement: (type) => `［本地工作区不绘制 ${type} 元素］`,
};

/**
 * Slack locales look like en-US, en-GB, zh-CN, zh-TW: anything Chinese reads Chinese, as
 * docket's own catalogs decide (src/i18n/index.ts).
 * @param {string | undefined} locale @returns {Labels}
 */
export function labelsFor(locale) {
  return locale?.toLowerCase().startsWith('zh') ? zh : en;
}
