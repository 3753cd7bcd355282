import { en, type Messages } from './en.js';
import { zhCN } from './zh-CN.js';

export type { Messages };

/** Slack locales look like en-US, en-GB, zh-CN, zh-TW: anything Chinese gets the Chinese catalog. */
export function messagesFor(locale: string | null | undefined): Messages {
  return locale?.toLowerCase().startsWith('zh') ? zhCN : en;
}

/** The short code stored on a group for its channel posts. */
export function languageCode(locale: string | null | undefined): 'en' | 'zh' {
  return messagesFor(locale) === zhCN ? 'zh' : 'en';
}
