import type { Messages } from '../../i18n/index.js';
import { mrkdwn, type KnownBlock, type Message } from '../kit.js';
import { chunkLines } from './case-card.js';

/** One group's part of a list that spans the reader's groups. */
export interface GroupSection {
  name: string;
  channelId: string;
  lines: string[];
}

/** Slack refuses a message of more than 50 blocks: the title and the closing note leave this many. */
const MAX_SECTION_BLOCKS = 48;

/**
 * A list across the reader's groups (what a listing typed in a direct message answers): a
 * title, then each group under a heading naming it and linking its channel. Groups that do
 * not fit, and `moreGroups` left out before, are counted at the end.
 */
export function groupedList(title: string, sections: GroupSection[], moreGroups: number, m: Messages): Message {
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(title) }];
  let left = moreGroups;
  let used = 0;
  for (const [i, s] of sections.entries()) {
    const chunks = chunkLines([m.groupHeading(s.name, s.channelId), ...s.lines], 2900);
    if (used + chunks.length > MAX_SECTION_BLOCKS) {
      left += sections.length - i;
      break;
    }
    for (const chunk of chunks) blocks.push({ type: 'section', text: mrkdwn(chunk) });
    used += chunks.length;
  }
  if (left) blocks.push({ type: 'context', elements: [mrkdwn(m.moreGroups(left))] });
  return { text: title, blocks };
}
