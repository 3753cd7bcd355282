import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { heldBetween } from '../../src/features/meetings/occurrences.js';
import { useHarness } from '../helpers/harness.js';

// A Thursday in Shanghai: 2026-12-03 10:00 (+08:00).
const clock = new ManualClock(new Date('2026-12-03T02:00:00Z'));
const h = useHarness({ clock, group: true });

const FROM = new Date('2026-12-01T00:00:00Z');
const TO = new Date('2027-12-31T00:00:00Z');

/** The link a `/meeting ics` reply gives (Slack's <url> form), or undefined. */
const linkIn = (text: string) => /<(https?:\/\/[^>|]+\.ics)>/.exec(text)?.[1];

async function feedLink(user = 'U0ALICE'): Promise<string> {
  const r = await h.command('/meeting ics', { user });
  const url = linkIn(r.text);
  if (!url) throw new Error(`no link in: ${r.text}`);
  return url;
}

/**
 * The feed read back as a calendar client reads it (ical.js, Mozilla's parser): every series
 * (by UID) expanded with its own VTIMEZONE, EXDATEs and RECURRENCE-ID overrides, as the
 * instants it meets in (from, to].
 */
function feedOccurrences(text: string, from: Date, to: Date): Map<string, Date[]> {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const zone of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const events = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  const out = new Map<string, Date[]>();
  for (const series of events.filter((e) => !e.isRecurrenceException())) {
    for (const moved of events.filter((e) => e.isRecurrenceException() && e.uid === series.uid)) series.relateException(moved);
    const dates: Date[] = [];
    const it = series.iterator();
    // A moved meeting may lie on either side of its original time: look a month past the window.
    for (let t = it.next(); t && t.toJSDate().getTime() <= to.getTime() + 31 * 86_400_000; t = it.next()) {
      const start = series.getOccurrenceDetails(t).startDate.toJSDate();
      if (start > from && start <= to) dates.push(start);
    }
    out.set(series.uid, dates.sort((a, b) => a.getTime() - b.getTime()));
  }
  return out;
}

async function docketOccurrences(from: Date, to: Date): Promise<Map<string, Date[]>> {
  const meetings = await h.db.selectFrom('meetings').selectAll().orderBy('id').execute();
  const changes = await h.db.selectFrom('meeting_changes').selectAll().execute();
  return new Map(meetings.map((m) => [`meeting-${m.id}@docket`, heldBetween({ meeting: m, changes: changes.filter((c) => c.meeting_id === m.id) }, from, to)]));
}

const iso = (dates: Date[] | undefined) => (dates ?? []).map((d) => d.toISOString());

describe('/meeting ics: the group’s meetings as a calendar feed', () => {
  it('serves every running series, with its skips and moves, as instants a calendar client expands to exactly docket’s own', async () => {
    const schedule = async (text: string) => expect((await h.command(`/meeting schedule ${text}`)).text).toContain('Scheduled meeting');
    // Across both of Sydney's changes (April and October) and New York's (March and November).
    await schedule('Sydney sync, weekly; 联席 rrule:FREQ=WEEKLY;BYDAY=MO starts:2027-03-01 09:30 tz:Australia/Sydney for:90m where:Room 3, level 2');
    await schedule('New York call rrule:FREQ=WEEKLY;BYDAY=FR starts:2027-01-08 17:00 tz:America/New_York');
    // Only months with a 31st.
    await schedule('Month end rrule:FREQ=MONTHLY;BYMONTHDAY=31 starts:2026-12-31 15:00');
    // A limit as docket reads it: through the end of that local day.
    await schedule('Berlin week rrule:FREQ=DAILY;UNTIL=20270110 starts:2027-01-05 23:30 tz:Europe/Berlin');
    await schedule('Dropped rrule:FREQ=WEEKLY;BYDAY=WE starts:2026-12-09 10:00');
    expect((await h.command('/meeting skip 1 2027-04-05')).text).toContain('Skipped');
    expect((await h.command('/meeting move 2 2027-03-19 2027-03-18 10:00')).text).toContain('Moved');
    expect((await h.command('/meeting skip 3 2027-03-31')).text).toContain('Skipped');
    await h.command('/meeting cancel 5');
    await h.click('meeting.cancel.confirm', JSON.stringify({ no: 5 }));

    const url = await feedLink();
    expect(url.startsWith(`${h.url}/calendar/`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();

    const feed = feedOccurrences(text, FROM, TO);
    const own = await docketOccurrences(FROM, TO);
    // The cancelled series is left out; the other four are there under their stable UIDs.
    expect([...feed.keys()].sort()).toEqual(['meeting-1@docket', 'meeting-2@docket', 'meeting-3@docket', 'meeting-4@docket']);
    for (const uid of feed.keys()) expect(iso(feed.get(uid)), uid).toEqual(iso(own.get(uid)));
    // What the comparison covers: both sides of each change of offset, the skip, the move, the 31sts, the limit.
    const sydney = iso(own.get('meeting-1@docket'));
    expect(sydney).toEqual(expect.arrayContaining(['2027-03-28T22:30:00.000Z', '2027-04-11T23:30:00.000Z', '2027-09-26T23:30:00.000Z', '2027-10-03T22:30:00.000Z']));
    expect(sydney).not.toContain('2027-04-04T23:30:00.000Z');
    const newYork = iso(own.get('meeting-2@docket'));
    expect(newYork).toEqual(expect.arrayContaining(['2027-03-12T22:00:00.000Z', '2027-03-18T14:00:00.000Z', '2027-03-26T21:00:00.000Z', '2027-11-12T22:00:00.000Z']));
    expect(newYork).not.toContain('2027-03-19T21:00:00.000Z');
    expect(iso(own.get('meeting-3@docket'))).toEqual(['2026-12-31', '2027-01-31', '2027-05-31', '2027-07-31', '2027-08-31', '2027-10-31'].map((d) => `${d}T07:00:00.000Z`));
    expect(iso(own.get('meeting-4@docket'))).toEqual(['05', '06', '07', '08', '09', '10'].map((d) => `2027-01-${d}T22:30:00.000Z`));

    // The events as written: local start in the series' zone, its length, title and place as typed, one VTIMEZONE per zone.
    const cal = new ICAL.Component(ICAL.parse(text));
    expect(cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')).sort()).toEqual(['America/New_York', 'Asia/Shanghai', 'Australia/Sydney', 'Europe/Berlin']);
    const first = new ICAL.Event(cal.getAllSubcomponents('vevent')[0]);
    expect(first.summary).toBe('Sydney sync, weekly; 联席');
    expect(first.location).toBe('Room 3, level 2');
    expect(first.startDate.toString()).toBe('2027-03-01T09:30:00');
    expect(first.startDate.zone.tzid).toBe('Australia/Sydney');
    expect(first.duration.toSeconds()).toBe(90 * 60);
    expect(text).toContain('EXDATE;TZID=Australia/Sydney:20270405T093000');
    expect(text).toContain('RECURRENCE-ID;TZID=America/New_York:20270319T170000');
  });

  it('gives every reader of the group the same link, made once even when two ask at once, and records who was given it', async () => {
    const [a, b] = await Promise.all([h.command('/meeting ics'), h.command('/meeting ics', { user: 'U0BAO' })]);
    expect(linkIn(a.text)).toBeDefined();
    expect(linkIn(b.text)).toBe(linkIn(a.text));
    // Observers read the schedule too; the reply says who can see through the link and how to add it.
    const dana = await h.command('/meeting ics', { user: 'U0DANA' });
    expect(dana.text).toBe(`Calendar link for this group’s meetings:\n<${linkIn(a.text)}>\nAnyone with the link can see the meetings’ titles, times and places: keep it to yourself. Add it in Google Calendar under Other calendars › From URL, or in Outlook under Add calendar › Subscribe from web. A coordinator can replace it with \`/meeting ics reset\`.`);
    expect(b.text).toBe(`本组会议的日历链接：\n<${linkIn(a.text)}>\n持有链接的人都能看到会议的名称、时间和地点，请勿外传。在 Google 日历中从“其他日历 › 通过网址添加”加入，在 Outlook 中从“添加日历 › 从 Web 订阅”加入。协调员可用 \`/meeting ics reset\` 更换链接。`);
    expect(await h.db.selectFrom('meeting_feeds').select('group_id').execute()).toHaveLength(1);
    const shown = await h.db.selectFrom('audit_events').select(['actor_user_id', 'after']).where('kind', '=', 'meeting.feed_shown').execute();
    expect(shown.map((e) => e.actor_user_id).sort()).toEqual(['U0ALICE', 'U0BAO', 'U0DANA']);
    expect(shown.filter((e) => (e.after as { created: boolean }).created)).toHaveLength(1);
    // A retried request changes nothing twice.
    const again = await h.command('/meeting ics', { triggerId: a.triggerId, retryNum: 1 });
    expect(again.status).toBe(200);
    expect(await h.db.selectFrom('audit_events').select('id').where('kind', '=', 'meeting.feed_shown').execute()).toHaveLength(3);
  });

  it('gives no link to someone outside the group, and answers anything but a current token with a bare 404', async () => {
    const outsider = await h.command('/meeting ics', { user: 'U0ERIN' });
    expect(outsider.text).toContain('You are not a member of *Ganzi Office*');
    expect(linkIn(outsider.text)).toBeUndefined();
    expect(await h.db.selectFrom('meeting_feeds').select('group_id').execute()).toHaveLength(0);
    const url = await feedLink();
    const token = url.slice(url.lastIndexOf('/') + 1, -'.ics'.length);
    const other = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const path of [`/calendar/${other}.ics`, `/calendar/${token}x.ics`, '/calendar/x.ics', `/calendar/${'A'.repeat(5000)}.ics`, `/calendar/${token.slice(0, 20)}%00${token.slice(21)}.ics`]) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status, path.slice(0, 60)).toBe(404);
      expect(await res.text()).toBe('');
    }
    expect((await fetch(url)).status).toBe(200);
    // The secret is in no log line.
    expect(h.logs.raw.filter((l) => l.includes(token))).toEqual([]);
  });

  it('replaces the link only once confirmed, by a coordinator, once however often the button is pressed: the old link stops working', async () => {
    const old = await feedLink();
    expect((await h.command('/meeting ics reset', { user: 'U0BAO' })).text).toBe('只有本组协调员可以执行此操作。');
    const ask = await h.command('/meeting ics reset');
    expect(ask.text).toBe('Replace the calendar link? The current one stops working at once: everyone who added it has to add the new one.');
    expect((await fetch(old)).status).toBe(200);
    const button = ask.reply!.args.blocks[1].elements[0];
    const done = await h.click(button.action_id, button.value);
    const fresh = linkIn(done.text);
    expect(done.text).toContain('Replaced the calendar link: the old one no longer works.');
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect((await fetch(old)).status).toBe(404);
    expect((await fetch(fresh!)).status).toBe(200);
    // The same button again: the link it named is gone already, and the new one stays.
    expect((await h.click(button.action_id, button.value)).text).toContain('The calendar link was already replaced since you asked');
    expect((await fetch(fresh!)).status).toBe(200);
    expect(await feedLink('U0BAO')).toBe(fresh);
    expect(await h.db.selectFrom('audit_events').select('id').where('kind', '=', 'meeting.feed_reset').execute()).toHaveLength(1);
    expect((await h.command('/meeting ics now')).text).toContain('Usage: /meeting ics [reset]');
  });
});
