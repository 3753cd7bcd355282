import { describe, expect, it } from 'vitest';
import type { ActionItem } from '../../src/db/action-items.table.js';
import type { AuditEvent } from '../../src/db/audit.table.js';
import type { CaseListRow } from '../../src/db/cases.repo.js';
import { ITEM_STATES, SNOOZES } from '../../src/domain/action-item.js';
import { OUTCOMES, STATUSES } from '../../src/domain/case-status.js';
import { MONEY_KINDS } from '../../src/domain/money.js';
import { ROLES } from '../../src/domain/roles.js';
import { InvalidInput, toUserReply } from '../../src/errors.js';
import { describeEvent, type Timeline } from '../../src/features/timeline.js';
import { zhCN } from '../../src/i18n/zh-CN.js';
import { clientWords } from '../../src/local/web/client-words.js';
import { itemNamed } from '../../src/slack/blocks/action-modals.js';
import { caseLine, statusText } from '../../src/slack/blocks/case-card.js';
import { homeView } from '../../src/slack/blocks/home.js';
import { itemLine, spanWords } from '../../src/slack/blocks/action-item.js';
import { reminderMessage } from '../../src/slack/blocks/reminder.js';

/**
 * Chinese text punctuates as Chinese: ，。：；？！（）“”、…… between Chinese words, never the ASCII
 * , : ; ? ! ( ), and no space against a full-width mark. What people type keeps its ASCII
 * (code spans, usage lines, refs, times), and so does what a message puts in (a name, a date).
 */

/** Where a message put in a value: taken out before checking, since a value is not the wording. */
const HOLE = '\uE000';
const ASCII = ',:;?!()';
const FULL = '，。：；？！（）、“”';
/** Characters as they stand in a regular expression's […]. */
const esc = (chars: string) => chars.replace(/[\\\]()?]/g, '\\$&');

/** What is wrong with the punctuation of one text, each with a little of its context. */
function offences(text: string): string[] {
  const prose = text
    .replace(/`[^`\n]*`/g, HOLE) // code: typed as it is
    .replace(/<[@#!][^>]*>|<https?:[^>]*>/g, HOLE) // mentions and links
    .replace(/:[a-z0-9_+-]+:/g, HOLE) // emoji
    .replace(/ · /g, '·'); // the separator between a line's parts, spaced in every language
  const rules: [string, RegExp][] = [
    ['ASCII punctuation against a Chinese character', new RegExp(`\\p{Script=Han}[${esc(ASCII)}]|[${esc(ASCII)}]\\p{Script=Han}`, 'gu')],
    ['ASCII punctuation against a full-width mark', new RegExp(`[${FULL}][${esc(ASCII)}]|[${esc(ASCII)}][${FULL}]`, 'gu')],
    ['a space against a full-width mark', new RegExp(`[${FULL}] | [${FULL}]`, 'gu')],
    // Between a number or a Latin word and Chinese, as English punctuates: "¥70,000.00: 银行账户", "17:00 (Asia/Shanghai)".
    ['ASCII punctuation spaced as in English', /[,:;?!)] | \(/gu],
    ['corner quotes: the catalogs quote with “”', /[「」]/gu],
    ['three dots: Chinese uses ……', /(?<![….])(?:…|\.\.\.)(?![….])/gu],
  ];
  return rules.flatMap(([rule, re]) => [...prose.matchAll(re)].map((m) => `${rule}: “${prose.slice(Math.max(0, m.index - 8), m.index + m[0].length + 8).replaceAll(HOLE, '…')}”`));
}

/**
 * A stand-in for any argument a message takes: a string where it is put in a template or
 * escaped, an array where it is mapped or joined, an object whose every field is another stand-in.
 */
function anything(): unknown {
  return new Proxy([HOLE, HOLE], {
    get: (target, key) => {
      if (key === Symbol.toPrimitive || key === 'toString') return () => HOLE;
      if (typeof key === 'symbol' || key in target) return Reflect.get(target, key);
      const method: unknown = Reflect.get(String.prototype, key);
      return typeof method === 'function' ? method.bind(HOLE) : anything();
    },
  });
}

/** The words messages look up by: a status, an outcome, a snooze… each message gets the ones it names. */
const WORDS: unknown[] = [...STATUSES, ...OUTCOMES, ...MONEY_KINDS, ...ROLES, ...ITEM_STATES, ...SNOOZES, 'all', 'not_in_channel'];

type Message = (...args: unknown[]) => unknown;
const attempt = (fn: Message, args: unknown[]): string | undefined => {
  try {
    return String(fn(...args));
  } catch {
    return undefined;
  }
};
/** How far a text is from whole: each `undefined` is a word the message did not find; a throw is worst. */
const misses = (text: string | undefined) => (text === undefined ? Infinity : text.split('undefined').length - 1);

/**
 * What a message says, in each of its shapes: stand-ins for every argument, a word where a
 * stand-in finds nothing (a status to name, an outcome), then each argument in turn as every
 * word and as null (the branches for "no unit", "not in the channel"...). One more argument
 * than `length` counts, for a parameter with a default.
 */
function shapes(fn: Message): { texts: string[]; complete: boolean } {
  const args = Array.from({ length: fn.length + 1 }, anything);
  args.forEach((_, i) => {
    const word = WORDS.find((w) => misses(attempt(fn, args.with(i, w))) < misses(attempt(fn, args)));
    if (word !== undefined) args[i] = word;
  });
  const texts = [args, ...args.flatMap((_, i) => [...WORDS, null].map((w) => args.with(i, w)))].map((a) => attempt(fn, a));
  return { texts: texts.filter((t): t is string => misses(t) === 0), complete: misses(texts[0]) === 0 };
}

/** Every text of a catalog, by key (`event.case.note`), usage lines left out: those are typed. */
function catalogTexts(catalog: Record<string, unknown>, prefix = ''): { key: string; texts: string[]; complete: boolean }[] {
  return Object.entries(catalog).flatMap(([k, v]) => {
    const key = prefix + k;
    if (/usage$/i.test(k)) return [];
    if (typeof v === 'string') return [{ key, texts: [v], complete: true }];
    if (typeof v === 'function') return [{ key, ...shapes(v as Message) }];
    if (v && typeof v === 'object') return catalogTexts(v as Record<string, unknown>, `${key}.`);
    return [];
  });
}

const pageModule = (file: string) => import(new URL(`../../src/local/web/public/${file}`, import.meta.url).href);
const { zh: pageLabels }: { zh: Record<string, unknown> } = await pageModule('labels.js');

const catalogs = [
  ...catalogTexts(zhCN),
  ...catalogTexts(clientWords('zh-CN'), 'client.'),
  ...catalogTexts(pageLabels, 'page.'),
];

describe('Chinese punctuation in the catalogs', () => {
  it('renders every message, so every message is checked', () => {
    expect(catalogs.filter((c) => !c.complete).map((c) => c.key)).toEqual([]);
    expect(catalogs.length).toBeGreaterThan(250);
  });

  it('uses full-width marks between Chinese words, and no space against them', () => {
    const found = catalogs.flatMap(({ key, texts }) => [...new Set(texts.flatMap(offences))].map((o) => `${key}: ${o}`));
    expect(found).toEqual([]);
  });

  it('the check itself finds what it is for, and lets typed text be', () => {
    for (const wrong of ['已结案 (追回)', '添加备注: 已联系', '已重新打开。 结案时', '追回 ¥70,000.00: 银行账户', '（2026-12-01 17:00 (Asia/Shanghai)）', '以「/」开头']) {
      expect(offences(wrong), wrong).not.toEqual([]);
    }
    expect(offences('见 `/case note 编号 内容`，如 `地区:重庆`。')).toEqual([]);
    expect(offences('可写作 2019-09-22 07:24、70,000 或“下周五17:00”。')).toEqual([]);
  });
});

// Text that code puts together from catalog pieces: a sample of each kind of entry, as Chinese readers see it.
const zone = 'Asia/Shanghai';
const now = new Date('2026-12-02T04:30:00Z');
const entry = (kind: string, s: { before: unknown; after: unknown }): AuditEvent => ({
  id: 1,
  team_id: 'T0TEAM',
  group_id: 1,
  case_id: 1,
  actor_user_id: 'U0BAO',
  at: now,
  recorded_at: now,
  kind,
  before: s.before,
  after: s.after,
});
const settings = { beforeMinutes: [1440, 60], atDue: true, overdueHour: 9, escalateAfterDays: 3 };
const owner = { owner_user_id: 'U0BAO', owner_unit_id: null };

/** One entry of every kind, typed by the timeline union: a kind added without one here fails to compile. */
const timeline: { [K in keyof Timeline]: Timeline[K] } = {
  'group.setup': { before: null, after: { name: '追逃办', case_prefix: 'GZ', time_zone: zone, currency: 'CNY', announce_channel_id: null, locale: 'zh', coordinator: 'U0BAO' } },
  'group.settings': { before: { currency: 'CNY', time_zone: 'UTC' }, after: { currency: 'EUR', time_zone: zone } },
  'unit.added': { before: null, after: { id: 3, name: '海关', contact_user_id: null } },
  'unit.renamed': { before: { id: 3, name: '海关' }, after: { id: 3, name: '缉私局' } },
  'unit.contact': { before: { id: 3, contact_user_id: null }, after: { id: 3, contact_user_id: 'U0LI' } },
  'unit.removed': { before: { id: 3, name: '海关' }, after: null },
  'member.added': { before: null, after: { user_id: 'U0LI', role: 'member', unit_id: null } },
  'member.updated': { before: { user_id: 'U0LI', role: 'member' }, after: { user_id: 'U0LI', role: 'coordinator' } },
  'member.removed': { before: { user_id: 'U0LI', role: 'member', unit_id: 3 }, after: null },
  'case.opened': { before: null, after: { ref: 'GZ-2021-001', title: '张某某案', plan: null, supervisor_user_id: null } },
  'case.edited': { before: { title: '甲', category: null }, after: { title: '乙', category: '职务犯罪' } },
  'case.note': { before: null, after: { text: '与上海市公安机关会商' } },
  'case.plan': { before: { plan: null, version: 0 }, after: { plan: '劝返', version: 1 } },
  'case.status': { before: { status: 'located' }, after: { status: 'in_custody', at: '2019-09-21T23:24:00Z', region: '重庆', city: '渝北' } },
  'case.supervision': { before: { supervisor_user_id: null }, after: { supervisor_user_id: 'U0LI' } },
  'case.closed': {
    before: { status: 'in_custody' },
    after: { status: 'closed', outcome: 'returned', note: '已押解回国', at: '2021-05-28T00:00:00Z', cancelled_items: [1, 2], region: '重庆', city: '渝北' },
  },
  'case.reopened': { before: { status: 'closed', outcome: 'returned', closed_at: '2021-05-28T00:00:00Z' }, after: { status: 'open', reason: '发现新线索' } },
  'case.post_failed': { before: null, after: { channel: 'C0ANNOUNCE', error: 'not_in_channel' } },
  'cases.imported': { before: null, after: { count: 3, filename: '台账.csv', content_hash: 'abc', refs: ['GZ-2019-001'] } },
  'money.added': { before: null, after: { id: 1, kind: 'recovered', amount: '70000', currency: 'CNY', occurred_on: '2020-05-20', note: '银行账户', correction: true } },
  'action.added': { before: null, after: { ...owner, id: 12, no: 3, text: '核查银行流水', due_at: '2026-12-03T01:00:00Z' } },
  'action.done': { before: { state: 'open' }, after: { id: 12, no: 3, state: 'done' } },
  'action.cancelled': { before: { state: 'open' }, after: { id: 12, no: 3, state: 'cancelled', reason: 'case_closed' } },
  'action.reopened': { before: { state: 'done' }, after: { id: 12, no: 3, state: 'open' } },
  'action.due': { before: { due_at: '2026-12-03T01:00:00Z' }, after: { id: 12, no: 3, due_at: '2026-12-04T01:00:00Z' } },
  'action.reassigned': { before: owner, after: { id: 12, no: 3, owner_user_id: null, owner_unit_id: 3 } },
  'action.snoozed': { before: { snoozed_until: null }, after: { id: 12, no: 3, snooze: '1d', snoozed_until: '2026-12-04T01:00:00Z' } },
  'action.escalated': { before: null, after: { id: 12, no: 3, late: false } },
  'action.reminder_failed': { before: null, after: { id: 12, no: 3, reminder: 7, to: 'U0BAO', error: 'user_not_found' } },
  'action.reminder_unverified': { before: null, after: { id: 12, no: 3, reminder: 7, to: 'C0GROUP', error: 'ratelimited' } },
  'reminders.settings': { before: settings, after: settings },
  'meeting.scheduled': { before: null, after: { id: 4, no: 1, title: '联席会议', rule: 'FREQ=WEEKLY;BYDAY=TU', start_local: '2026-12-08T09:30', time_zone: zone, duration_minutes: 90 } },
  'meeting.cancelled': { before: { id: 4, no: 1, title: '联席会议' }, after: null },
  'meeting.skipped': { before: { id: 4, no: 1, occurrence: '2026-12-08T01:30:00.000Z' }, after: null },
  'meeting.moved': { before: { id: 4, no: 1, occurrence: '2026-12-08T01:30:00.000Z' }, after: { moved_to: '2026-12-09T06:00:00.000Z' } },
  'meeting.settings': { before: { reminders: [1440, 15] }, after: { reminders: [2880, 60] } },
  'meeting.edited': { before: { id: 4, no: 1, title: 'Joint' }, after: { title: 'Joint meeting' } },
  'meeting.minutes': { before: null, after: { minutes_id: 2, no: 1, title: '联席会议', occurrence: '2026-12-08T01:30:00.000Z', items: [7, 8] } },
  'meeting.discussed': { before: null, after: { minutes_id: 2, no: 1, title: '联席会议', occurrence: '2026-12-08T01:30:00.000Z', note: '嫌疑人在湖南出现', items: [7] } },
  'group.link_requested': { before: null, after: { child: 'C0CHILD', parent: 'C0PARENT' } },
  'group.linked': { before: null, after: { child: 'C0CHILD', parent: 'C0PARENT' } },
  'group.unlinked': { before: { child: 'C0CHILD', parent: 'C0PARENT' }, after: null },
  'workspace.uninstalled': { before: null, after: { reason: 'app_uninstalled', schedules: 2, messages: 5 } },
  'workspace.reinstalled': { before: null, after: { schedules: 2, messages: 1 } },
  'digest.settings': { before: { day: 1, time: '09:00', enabled: true }, after: { day: 3, time: '17:30', enabled: true } },
  'meeting.feed_shown': { before: null, after: { generation: 1, created: true } },
  'meeting.feed_reset': { before: { generation: 1 }, after: { generation: 2 } },
};

const item: ActionItem = {
  id: 12,
  team_id: 'T0TEAM',
  group_id: 1,
  seq: 3,
  case_id: 1,
  text: '核查银行流水',
  ...owner,
  due_at: new Date('2026-12-01T09:00:00Z'),
  state: 'open',
  snoozed_until: null,
  closed_at: null,
  closed_by: null,
  created_by: 'U0BAO',
  created_at: now,
  updated_at: now,
};
const closedCase = { ref: 'GZ-2021-001', title: '张某某案', status: 'closed', outcome: 'returned', supervisor_user_id: null, unit_name: '公安局', opened_on: '2021-01-04', status_changed_at: now } as CaseListRow;

/** Every text in a message: its fallback and each block's. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'text' && typeof v === 'string' ? [v] : textsIn(v)));
}

describe('Chinese punctuation in text put together by code', () => {
  const composed: [string, string[]][] = [
    ...Object.entries(timeline).map(([kind, s]): [string, string[]] => [`timeline ${kind}`, [describeEvent(entry(kind, s), { m: zhCN, zone })]]),
    ['case list line', [caseLine(closedCase, zhCN)]],
    ['case status', [statusText(closedCase, zone, zhCN)]],
    ['item line', [itemLine({ ...item, case_ref: 'GZ-2021-001', unit_name: null }, zone, now, zhCN)]],
    ['item in a form', [itemNamed(item, 'GZ-2021-001', zhCN)]],
    ['App Home', textsIn(homeView({ items: [{ ...item, case_ref: 'GZ-2021-001', unit_name: null }], zones: new Map([[1, zone]]), cases: [], now }, zhCN))],
    [
      'escalation',
      textsIn(reminderMessage({ item, kind: 'escalation', caseRef: 'GZ-2021-001', unitName: null, zone, now, fireAt: now, late: true, supervisor: 'U0LI', coordinators: ['U0WANG'] }, zhCN)),
    ],
    ['usage line', [toUserReply(new InvalidInput((m) => m.missingArgument(m.fieldTitle), () => '/case open 标题'), zhCN)]],
  ];

  it.each(composed)('%s', (_, texts) => {
    expect(texts.flatMap(offences)).toEqual([]);
  });

  it('spaces a number from its Chinese unit, as the catalogs do (推迟 1 天, 第 2 版)', () => {
    const hours = 3_600_000;
    expect(spanWords(-19 * hours, zhCN)).toBe('19 小时');
    expect(spanWords(51 * hours, zhCN)).toBe('2 天 3 小时');
    expect(spanWords(1000, zhCN)).toBe('1 分钟');
  });
});
