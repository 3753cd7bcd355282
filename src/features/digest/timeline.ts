import type { Describers } from '../../platform/timeline/timeline.js';

/** What the digest records in the group's audit log. */
export type DigestEvents = {
  'digest.settings': { before: { day: number; time: string; enabled: boolean }; after: { day: number; time: string; enabled: boolean } };
};

export const digestTimeline: Describers<DigestEvents> = {
  'digest.settings': ({ after }, { m }) => (after.enabled ? m.digestEvent.settings(m.weekdays[after.day - 1]!, after.time) : m.digestEvent.off()),
};
