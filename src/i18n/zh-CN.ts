import { casesZh } from '../features/cases/messages.js';
import { groupsZh } from '../features/groups/messages.js';
import { itemsZh } from '../features/items/messages.js';
import { meetingsZh } from '../features/meetings/messages.js';
import { digestZh } from '../features/digest/messages.js';
import { statsZh } from '../features/stats/messages.js';
import { installationsZh } from '../features/installations/messages.js';
import { commonZh } from './common.js';
import type { Messages } from './en.js';

/** 简体中文: the same catalogs as ./en.ts, key for key. */
export const zhCN: Messages = { ...commonZh, ...groupsZh, ...casesZh, ...itemsZh, ...meetingsZh, ...statsZh, ...digestZh, ...installationsZh };
