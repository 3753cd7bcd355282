import type { Messages } from '../../i18n/index.js';
import { mention } from '../../slack/mrkdwn.js';

/**
 * The groups feature's own wording, in both languages (the first of the per-feature catalogs;
 * older wording still lives in src/i18n until it moves next to its feature).
 */
const en = {
  setup: (name: string) => `set up the group ${name}`,
  settings: (fields: string) => `changed the group's settings: ${fields}`,
  unitAdded: (name: string) => `added the unit ${name}`,
  unitRenamed: (from: string, to: string) => `renamed the unit ${from} to ${to}`,
  unitContact: (name: string, contact: string | null) => (contact ? `made ${mention(contact)} the contact of unit ${name}` : `removed the contact of unit ${name}`),
  unitRemoved: (name: string) => `removed the unit ${name}`,
  memberAdded: (user: string) => `added ${mention(user)}`,
  memberUpdated: (user: string) => `changed the role or unit of ${mention(user)}`,
  memberRemoved: (user: string) => `removed ${mention(user)}`,
};

const zhCN: typeof en = {
  setup: (name) => `建立了协作组 ${name}`,
  settings: (fields) => `修改了协作组设置：${fields}`,
  unitAdded: (name) => `添加了单位 ${name}`,
  unitRenamed: (from, to) => `将单位 ${from} 改名为 ${to}`,
  unitContact: (name, contact) => (contact ? `指定 ${mention(contact)} 为单位 ${name} 的联络人` : `取消了单位 ${name} 的联络人`),
  unitRemoved: (name) => `移除了单位 ${name}`,
  memberAdded: (user) => `添加了成员 ${mention(user)}`,
  memberUpdated: (user) => `修改了 ${mention(user)} 的角色或单位`,
  memberRemoved: (user) => `移除了成员 ${mention(user)}`,
};

export type GroupMessages = typeof en;

/** The groups feature's wording in the reader's language. */
export const groupMessages = (m: Messages): GroupMessages => (m.locale === 'zh' ? zhCN : en);
