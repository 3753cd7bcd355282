import { casesEn } from '../features/cases/messages.js';
import { groupsEn } from '../features/groups/messages.js';
import { itemsEn } from '../features/items/messages.js';
import { meetingsEn } from '../features/meetings/messages.js';
import { digestEn } from '../features/digest/messages.js';
import { statsEn } from '../features/stats/messages.js';
import { installationsEn } from '../features/installations/messages.js';
import { commonEn } from './common.js';

/**
 * The English catalog: what every feature shares (./common.ts) and each feature's own
 * wording (src/features/<name>/messages.ts), in one flat object. English is the reference:
 * `Messages` is its type, and every other language must provide the same keys. A key two
 * catalogs both define is refused by a test (tests/unit/catalogs.test.ts).
 */
export const en = { ...commonEn, ...groupsEn, ...casesEn, ...itemsEn, ...meetingsEn, ...statsEn, ...digestEn, ...installationsEn };

export type Messages = typeof en;
