import { languageCode } from '../../i18n/index.js';

/**
 * What the Slack client itself says to the person using it (not docket): a command it does
 * not know, a form it will not send. Slack's client says these in the person's language; so
 * does the local workspace. One table per language, as the page's own labels (public/labels.js).
 */
const en = {
  notACommand: (name: string) => `${name} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
  required: 'Please complete this required field.',
  atLeast: (n: number) => `Must be at least ${n} characters.`,
  atMost: (n: number) => `Must be at most ${n} characters.`,
  inviteOnlyDocket: 'In the local workspace, /invite only invites docket: /invite @docket',
  alreadyInConversation: 'docket is already in this conversation.',
  alreadyInChannel: (channel: string) => `docket is already in #${channel}.`,
};

export type ClientWords = typeof en;

const zh: ClientWords = {
  notACommand: (name) => `${name} 不是有效的命令。在 Slack 中，以“/”开头的消息都会被当作命令。`,
  required: '请填写此必填项。',
  atLeast: (n) => `至少需要 ${n} 个字符。`,
  atMost: (n) => `最多 ${n} 个字符。`,
  inviteOnlyDocket: '在本地工作区中，/invite 只能邀请 docket：/invite @docket',
  alreadyInConversation: 'docket 已在此对话中。',
  alreadyInChannel: (channel) => `docket 已在 #${channel} 中。`,
};

/** The words for a Slack locale, chosen as docket's catalogs are (zh* reads Chinese). */
export function clientWords(locale: string | undefined): ClientWords {
  return languageCode(locale) === 'zh' ? zh : en;
}
