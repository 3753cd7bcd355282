import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/db/audit.table.js';
import { compose } from '../../src/features/feature.js';
import { features } from '../../src/features/index.js';
import { describeEvent, timelineLines, type Timeline } from '../../src/features/timeline.js';
import { en } from '../../src/i18n/en.js';
import { zhCN } from '../../src/i18n/zh-CN.js';

const settings = { beforeMinutes: [1440, 60], atDue: true, overdueHour: 9, escalateAfterDays: 3 };
const owner = { owner_user_id: 'U0ALICE', owner_unit_id: null };

/**
 * One recorded entry of every kind, typed by the timeline union: a kind added without a sample
 * here fails to compile, so every kind is described by this test.
 */
const samples: { [K in keyof Timeline]: Timeline[K] } = {
  'group.setup': { before: null, after: { name: 'North <b>', case_prefix: 'GZ', time_zone: 'Asia/Shanghai', currency: 'CNY', announce_channel_id: null, locale: 'en', coordinator: 'U0ALICE' } },
  'group.settings': { before: { currency: 'CNY' }, after: { currency: 'EUR' } },
  'unit.added': { before: null, after: { id: 3, name: 'Customs', contact_user_id: null } },
  'unit.renamed': { before: { id: 3, name: 'Customs' }, after: { id: 3, name: 'Customs HQ' } },
  'unit.contact': { before: { id: 3, contact_user_id: null }, after: { id: 3, contact_user_id: 'U0BOB' } },
  'unit.removed': { before: { id: 3, name: 'Customs' }, after: null },
  'member.added': { before: null, after: { user_id: 'U0BOB', role: 'member', unit_id: null } },
  'member.updated': { before: { user_id: 'U0BOB', role: 'member' }, after: { user_id: 'U0BOB', role: 'coordinator' } },
  'member.removed': { before: { user_id: 'U0BOB', role: 'member', unit_id: 3 }, after: null },
  'case.opened': { before: null, after: { ref: 'GZ-2021-001', title: 'Fraud', plan: null, supervisor_user_id: null } },
  'case.edited': { before: { title: 'a', last_location: null }, after: { title: 'b', last_location: 'Lyon' } },
  'case.note': { before: null, after: { text: 'seen in <!channel> Lyon' } },
  'case.plan': { before: { plan: null, version: 0 }, after: { plan: 'Extradite', version: 1 } },
  'case.status': { before: { status: 'open' }, after: { status: 'in_custody', at: '2019-09-22T07:24:00Z' } },
  'case.supervision': { before: { supervisor_user_id: null }, after: { supervisor_user_id: 'U0CAROL' } },
  'case.closed': { before: { status: 'in_custody' }, after: { status: 'closed', outcome: 'returned', note: 'flown back', at: '2021-05-28T00:00:00Z' } },
  'case.reopened': { before: { status: 'closed', outcome: 'returned', closed_at: '2021-05-28T00:00:00Z' }, after: { status: 'open', reason: 'appeal' } },
  'case.post_failed': { before: null, after: { channel: 'C0ANNOUNCE', error: 'not_in_channel' } },
  'cases.imported': { before: null, after: { count: 3, filename: 'ledger.csv', content_hash: 'abc', refs: ['GZ-2019-001', 'GZ-2020-001', 'GZ-2021-001'] } },
  'money.added': { before: null, after: { id: 1, kind: 'recovered', amount: '70000', currency: 'CNY', occurred_on: '2020-05-20', note: null } },
  'action.added': { before: null, after: { ...owner, id: 12, no: 3, text: 'Verify <bank> records', due_at: '2026-12-03T01:00:00Z' } },
  'action.done': { before: { state: 'open' }, after: { id: 12, no: 3, state: 'done' } },
  'action.cancelled': { before: { state: 'open' }, after: { id: 12, no: 3, state: 'cancelled' } },
  'action.reopened': { before: { state: 'done' }, after: { id: 12, no: 3, state: 'open' } },
  'action.due': { before: { due_at: '2026-12-03T01:00:00Z' }, after: { id: 12, no: 3, due_at: '2026-12-04T01:00:00Z' } },
  'action.reassigned': { before: owner, after: { id: 12, no: 3, owner_user_id: null, owner_unit_id: 3 } },
  'action.snoozed': { before: { snoozed_until: null }, after: { id: 12, no: 3, snooze: '1d', snoozed_until: '2026-12-04T01:00:00Z' } },
  'action.escalated': { before: null, after: { id: 12, no: 3, late: false } },
  'action.reminder_failed': { before: null, after: { id: 12, no: 3, reminder: 7, to: 'U0ALICE', error: 'user_not_found' } },
  'action.reminder_unverified': { before: null, after: { id: 12, no: 3, reminder: 7, to: 'C0GROUP', error: 'ratelimited' } },
  'reminders.settings': { before: settings, after: settings },
  'meeting.scheduled': { before: null, after: { id: 4, no: 1, title: 'Joint <meeting>', rule: 'FREQ=WEEKLY;BYDAY=TU', start_local: '2026-12-08T09:30', time_zone: 'Asia/Shanghai', duration_minutes: 90 } },
  'meeting.cancelled': { before: { id: 4, no: 1, title: 'Joint <meeting>' }, after: null },
  'meeting.skipped': { before: { id: 4, no: 1, occurrence: '2026-12-08T01:30:00.000Z' }, after: null },
  'meeting.moved': { before: { id: 4, no: 1, occurrence: '2026-12-08T01:30:00.000Z' }, after: { moved_to: '2026-12-09T06:00:00.000Z' } },
  'meeting.settings': { before: { reminders: [1440, 15] }, after: { reminders: [2880, 60] } },
  'meeting.edited': { before: { id: 4, no: 1, title: 'Joint' }, after: { title: 'Joint meeting' } },
  'meeting.minutes': { before: null, after: { minutes_id: 2, no: 1, title: 'Joint <meeting>', occurrence: '2026-12-08T01:30:00.000Z', items: [7, 8] } },
  'meeting.discussed': { before: null, after: { minutes_id: 2, no: 1, title: 'Joint <meeting>', occurrence: '2026-12-08T01:30:00.000Z', note: 'Suspect *seen* in <Hunan>', items: [7] } },
  'group.link_requested': { before: null, after: { child: 'C0CHILD', parent: 'C0PARENT' } },
  'group.linked': { before: null, after: { child: 'C0CHILD', parent: 'C0PARENT' } },
  'group.unlinked': { before: { child: 'C0CHILD', parent: 'C0PARENT' }, after: null },
  'workspace.uninstalled': { before: null, after: { reason: 'app_uninstalled', schedules: 2, messages: 5 } },
  'workspace.reinstalled': { before: null, after: { schedules: 2, messages: 1 } },
  'digest.settings': { before: { day: 1, time: '09:00', enabled: true }, after: { day: 3, time: '17:30', enabled: true } },
  'meeting.feed_shown': { before: null, after: { generation: 1, created: true } },
  'meeting.feed_reset': { before: { generation: 1 }, after: { generation: 2 } },
};

const entry = (kind: string, s: { before: unknown; after: unknown }, id = 1, at = new Date('2026-12-02T04:30:00Z'), recordedAt = at): AuditEvent => ({
  id,
  team_id: 'T0TEAM',
  group_id: 1,
  case_id: 1,
  actor_user_id: 'U0ALICE',
  at,
  recorded_at: recordedAt,
  kind,
  before: s.before,
  after: s.after,
});

describe('the timeline', () => {
  const kinds = Object.keys(samples) as (keyof Timeline)[];

  it('describes every kind in both languages, differently, and never by its bare name', () => {
    for (const kind of kinds) {
      const e = entry(kind, samples[kind]);
      const english = describeEvent(e, { m: en, zone: 'Asia/Shanghai' });
      const chinese = describeEvent(e, { m: zhCN, zone: 'Asia/Shanghai' });
      expect(english, kind).not.toBe(kind);
      expect(english.length, kind).toBeGreaterThan(3);
      expect(chinese, kind).not.toBe(english);
    }
  });

  it('escapes what people typed and shows times in the group’s zone', () => {
    const c = { m: en, zone: 'Asia/Shanghai' };
    expect(describeEvent(entry('case.note', samples['case.note']), c)).toBe('added a note: seen in &lt;!channel&gt; Lyon');
    expect(describeEvent(entry('action.added', samples['action.added']), c)).toBe('added action item #3: Verify &lt;bank&gt; records');
    expect(describeEvent(entry('action.due', samples['action.due']), c)).toBe('moved the due time of #3 to 2026-12-04 09:00');
    // By its number in the group, not its row id; an entry from before numbers (filled in when read) falls back to the id.
    expect(describeEvent(entry('action.done', { before: { state: 'open' }, after: { id: 12, state: 'done' } }), c)).toBe('marked #12 done');
    expect(describeEvent(entry('group.setup', samples['group.setup']), c)).toBe('set up the group North &lt;b&gt;');
  });

  it('shows a kind no feature describes any more by its name, and puts time and author before each line', () => {
    expect(describeEvent(entry('meeting.held', { before: null, after: null }), { m: en, zone: 'UTC' })).toBe('meeting.held');
    expect(timelineLines([entry('case.plan', samples['case.plan'])], { m: en, zone: 'Asia/Shanghai' })).toEqual(['2026-12-02 12:30 <@U0ALICE> wrote plan version 1']);
  });

  it('dates a back-dated line when it happened, says when it was recorded, and dates money by its day', () => {
    const typed = new Date('2026-12-02T04:30:00Z');
    const custody = entry('case.status', { before: { status: 'located' }, after: { status: 'in_custody', at: '2019-09-21T23:24:00Z', region: 'Chongqing', city: 'Yubei' } }, 2, new Date('2019-09-21T23:24:00Z'), typed);
    const money = entry('money.added', samples['money.added'], 3, new Date('2020-05-19T16:00:00Z'), typed);
    expect(timelineLines([custody, money], { m: en, zone: 'Asia/Shanghai' })).toEqual([
      '2019-09-22 07:24 <@U0ALICE> changed status: located → in custody, found in Yubei, Chongqing _(recorded 2026-12-02)_',
      '2020-05-20 <@U0ALICE> recorded recovered CN¥70,000.00 _(recorded 2026-12-02)_',
    ]);
    expect(timelineLines([custody], { m: zhCN, zone: 'Asia/Shanghai' })[0]).toBe('2019-09-22 07:24 <@U0ALICE> 更改状态：已锁定 → 已到案，查获地点：重庆 渝北 _（2026-12-02 录入）_'.replace('重庆 渝北', 'Chongqing Yubei'));
    // The same day it happened: no "recorded" remark.
    expect(timelineLines([entry('case.note', samples['case.note'], 4, typed, new Date('2026-12-02T09:00:00Z'))], { m: en, zone: 'Asia/Shanghai' })[0]).not.toContain('recorded');
  });

  it('says a correction is one', () => {
    const c = { m: en, zone: 'Asia/Shanghai' };
    const after = { id: 9, kind: 'recovered' as const, amount: '-5000', currency: 'CNY', occurred_on: '2020-06-01', note: 'entered twice', correction: true };
    expect(describeEvent(entry('money.added', { before: null, after }), c)).toBe('corrected recovered by -CN¥5,000.00: entered twice');
  });

  it('is declared by the features: each kind once, the same kinds the union types', () => {
    expect([...compose(features).timeline.keys()].sort()).toEqual([...kinds].sort());
  });
});
