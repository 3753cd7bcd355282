import * as digestCommand from '../../../commands/digest.js';
import type { Feature } from '../feature.js';
import { digestEn, digestZh } from './messages.js';
import { digestTimeline } from './timeline.js';
import { DIGEST, digestOutboxKinds, digestSchedule } from './weekly.js';

/**
 * The weekly digest: each group's week in numbers, posted to its channel at the day and local
 * time it sets (Monday 09:00 by default), exactly once per week; `/digest preview` shows it to
 * the caller alone.
 */
export const digest: Feature = {
  name: 'digest',
  commands: [{ name: '/digest', description: (m) => m.cmdDigest, usageHint: 'help | preview | now | schedule DAY HH:MM | off', parse: digestCommand.parse, handle: digestCommand.handle, usageOf: digestCommand.usageOf }],
  outbox: digestOutboxKinds,
  schedules: { [DIGEST]: digestSchedule },
  messages: { en: digestEn, 'zh-CN': digestZh },
  timeline: digestTimeline,
  scopes: ['commands', 'chat:write'],
};
