/**
 * Recurrence as people say it, both ways: "every 2 weeks on Monday and Thursday", "每月最后一个
 * 工作日" read into an RFC 5545 RRULE, and a rule told back in the reader's language. Meetings
 * take either `every:PHRASE` (read here) or `rrule:RULE` verbatim (checked here).
 *
 * The phrase grammar is small on purpose: what a coordination office schedules (weekly,
 * fortnightly, the nth weekday of the month, the last working day, a day of the month), in
 * English and Chinese. Anything else is written as an RRULE.
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const WORKDAYS = 'MO,TU,WE,TH,FR';

/** The longest phrase or rule read: a real one is a few dozen characters. */
export const RULE_TEXT_MAX = 200;

const EN_DAYS: [RegExp, Weekday][] = [
  [/^mon(day)?s?$/, 'MO'],
  [/^tue(s(day)?)?s?$/, 'TU'],
  [/^wed(nesday)?s?$/, 'WE'],
  [/^thu(r(s(day)?)?)?s?$/, 'TH'],
  [/^fri(day)?s?$/, 'FR'],
  [/^sat(urday)?s?$/, 'SA'],
  [/^sun(day)?s?$/, 'SU'],
];

const ZH_DAYS = new Map<string, Weekday>([
  ['一', 'MO'],
  ['二', 'TU'],
  ['三', 'WE'],
  ['四', 'TH'],
  ['五', 'FR'],
  ['六', 'SA'],
  ['日', 'SU'],
  ['天', 'SU'],
]);

const EN_ORDINALS = new Map<string, number>([
  ['first', 1],
  ['1st', 1],
  ['second', 2],
  ['2nd', 2],
  ['third', 3],
  ['3rd', 3],
  ['fourth', 4],
  ['4th', 4],
  ['fifth', 5],
  ['5th', 5],
  ['last', -1],
  ['second-last', -2],
  ['penultimate', -2],
]);

const EN_NUMBERS = new Map<string, number>([
  ['other', 2],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
]);

const ZH_NUMBERS = new Map<string, number>([
  ['一', 1],
  ['两', 2],
  ['二', 2],
  ['三', 3],
  ['四', 4],
  ['五', 5],
  ['六', 6],
]);

function enDay(word: string): Weekday | undefined {
  return EN_DAYS.find(([re]) => re.test(word))?.[1];
}

/** "2", "two", "other" → 2; "" → 1. */
function enInterval(word: string | undefined): number | undefined {
  if (!word) return 1;
  if (/^\d{1,2}$/.test(word)) return Number(word);
  return EN_NUMBERS.get(word);
}

function zhNumber(word: string | undefined): number | undefined {
  if (!word) return 1;
  if (/^\d{1,2}$/.test(word)) return Number(word);
  return ZH_NUMBERS.get(word);
}

const withInterval = (freq: string, interval: number, rest = '') => `FREQ=${freq}${interval > 1 ? `;INTERVAL=${interval}` : ''}${rest}`;

/** Weekday names in a list ("monday and thursday", "mon, wed & fri") → MO,TH; undefined if any word is no day. */
function enDayList(text: string): Weekday[] | undefined {
  const words = text.split(/\s*(?:,|\band\b|&|\+|\/)\s*|\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const days = words.map(enDay);
  return days.every(Boolean) ? unique(days as Weekday[]) : undefined;
}

/** 周一和周四, 周一、周四, 星期二, 周一三五 → MO,TH; undefined if anything else is in it. */
function zhDayList(text: string): Weekday[] | undefined {
  const cleaned = text.replace(/(星期|礼拜|周)/g, ' ').replace(/[和与及、，,\s]+/g, ' ').trim();
  if (!cleaned) return undefined;
  const days: Weekday[] = [];
  for (const ch of cleaned.replace(/\s/g, '')) {
    const d = ZH_DAYS.get(ch);
    if (!d) return undefined;
    days.push(d);
  }
  return unique(days);
}

const unique = (days: Weekday[]) => WEEKDAYS.filter((d) => days.includes(d));

function readEnglish(raw: string): string | undefined {
  const t = raw.toLowerCase().replace(/\s+/g, ' ').trim().replace(/^every day$/, 'daily');
  if (t === 'daily') return 'FREQ=DAILY';
  if (/^(every )?(weekday|working day|work day|business day)s?$/.test(t)) return `FREQ=WEEKLY;BYDAY=${WORKDAYS}`;
  if (t === 'weekly') return 'FREQ=WEEKLY';
  if (t === 'fortnightly') return 'FREQ=WEEKLY;INTERVAL=2';
  if (t === 'monthly') return 'FREQ=MONTHLY';
  if (t === 'quarterly') return 'FREQ=MONTHLY;INTERVAL=3';
  if (t === 'yearly' || t === 'annually') return 'FREQ=YEARLY';

  // "the first monday of the month", "every last friday of the month", "2nd and 4th tuesday of every month",
  // "last working day of the month", "every 3 months on the first monday".
  let m = /^(?:every |each |on )?(?:the )?([a-z0-9-]+(?:(?:, | and | & )[a-z0-9-]+)*) (working day|weekday|business day|day|[a-z]+) of (?:the|each|every) month$/.exec(t);
  if (m) return monthlyPosition(m[1]!, m[2]!, 1);
  m = /^every (\d{1,2}|two|three|four|six|other) months? on the ([a-z0-9-]+) ([a-z ]+)$/.exec(t);
  if (m) return monthlyPosition(m[2]!, m[3]!, enInterval(m[1]) ?? 0);

  if (/^(?:every month|monthly) on the last day$/.test(t)) return 'FREQ=MONTHLY;BYMONTHDAY=-1';
  // "every month on the 15th", "monthly on day 15", "every 3 months on the 1st"
  m = /^(?:every (?:(\d{1,2}|two|three|four|six|other) )?months?|monthly) on (?:the |day )?(\d{1,2})(?:st|nd|rd|th)?$/.exec(t);
  if (m) {
    const day = Number(m[2]);
    const interval = enInterval(m[1]);
    return day >= 1 && day <= 31 && interval ? withInterval('MONTHLY', interval, `;BYMONTHDAY=${day}`) : undefined;
  }

  // "every 2 weeks on monday and thursday", "every other week on monday", "every week on tuesday"
  m = /^every (?:(\d{1,2}|two|three|four|other) )?weeks? on (.+)$/.exec(t);
  if (m) {
    const interval = enInterval(m[1]);
    const days = enDayList(m[2]!);
    return interval && days ? withInterval('WEEKLY', interval, `;BYDAY=${days.join(',')}`) : undefined;
  }

  // "every 2 weeks", "every 3 months", "every day", "every year"
  m = /^every (?:(\d{1,2}|two|three|four|five|six|other) )?(day|week|month|year)s?$/.exec(t);
  if (m) {
    const interval = enInterval(m[1]);
    const freq = { day: 'DAILY', week: 'WEEKLY', month: 'MONTHLY', year: 'YEARLY' }[m[2] as 'day' | 'week' | 'month' | 'year'];
    return interval ? withInterval(freq, interval) : undefined;
  }

  // "every tuesday", "every monday and thursday", "mondays"
  m = /^(?:every |each |on )?(.+)$/.exec(t);
  const days = m ? enDayList(m[1]!) : undefined;
  return days ? `FREQ=WEEKLY;BYDAY=${days.join(',')}` : undefined;
}

/** "first monday" / "last working day" / "2nd and 4th tuesday" of the month, every `interval` months. */
function monthlyPosition(positions: string, what: string, interval: number): string | undefined {
  if (!interval) return undefined;
  const ords = positions.split(/, | and | & /).map((p) => EN_ORDINALS.get(p));
  if (ords.some((o) => o === undefined)) return undefined;
  const n = ords as number[];
  if (/^(working day|weekday|business day)$/.test(what)) {
    return withInterval('MONTHLY', interval, `;BYDAY=${WORKDAYS};BYSETPOS=${n.join(',')}`);
  }
  if (what === 'day') {
    // "last day of the month" → -1; "first day" → 1.
    return withInterval('MONTHLY', interval, `;BYMONTHDAY=${n.join(',')}`);
  }
  const day = enDay(what);
  return day ? withInterval('MONTHLY', interval, `;BYDAY=${n.map((o) => `${o}${day}`).join(',')}`) : undefined;
}

function readChinese(raw: string): string | undefined {
  const t = raw.replace(/\s+/g, '').replace(/^每个/, '每');
  if (t === '每天' || t === '每日') return 'FREQ=DAILY';
  if (/^每(个)?工作日$/.test(t)) return `FREQ=WEEKLY;BYDAY=${WORKDAYS}`;
  if (t === '每季度' || t === '每季') return 'FREQ=MONTHLY;INTERVAL=3';
  if (t === '每年') return 'FREQ=YEARLY';

  // 每月第一个周一, 每月最后一个星期五, 每月第二和第四个周二, 每月最后一个工作日, 每两个月第一个周一
  let m = /^每(\d{1,2}|[两二三四五六])?个?月(.*)$/.exec(t);
  if (m) {
    const interval = zhNumber(m[1]);
    if (!interval) return undefined;
    return m[2] ? zhMonthly(m[2], interval) : withInterval('MONTHLY', interval);
  }

  // 每两周周一和周四, 每2周周一, 隔周周一, 每周二, 每周一、周四, 每星期三
  m = /^(?:每(\d{1,2}|[两二三四])?(?:个)?(?:周|星期|礼拜)|隔周)(.*)$/.exec(t);
  if (m) {
    const interval = t.startsWith('隔周') ? 2 : zhNumber(m[1]);
    if (!interval) return undefined;
    // "每周二": the day follows 周 directly; "每两周周一": it repeats 周.
    const rest = m[2]!;
    if (!rest) return withInterval('WEEKLY', interval);
    const days = zhDayList(rest);
    return days ? withInterval('WEEKLY', interval, `;BYDAY=${days.join(',')}`) : undefined;
  }
  m = /^每(\d{1,2}|[两二三四五六])天$/.exec(t);
  if (m) {
    const interval = zhNumber(m[1]);
    return interval ? withInterval('DAILY', interval) : undefined;
  }
  return undefined;
}

/** 第一个周一 / 最后一个工作日 / 15日 / 最后一天 / 第二和第四个周二, after 每月. */
function zhMonthly(rest: string, interval: number): string | undefined {
  let m = /^(\d{1,2})[日号]$/.exec(rest);
  if (m) {
    const day = Number(m[1]);
    return day >= 1 && day <= 31 ? withInterval('MONTHLY', interval, `;BYMONTHDAY=${day}`) : undefined;
  }
  if (rest === '最后一天') return withInterval('MONTHLY', interval, ';BYMONTHDAY=-1');
  if (rest === '第一天' || rest === '1日' || rest === '1号') return withInterval('MONTHLY', interval, ';BYMONTHDAY=1');
  const item = '(?:第[一二三四五1-5]|倒数第[一二]|最后)(?:一个|个)?';
  m = new RegExp(`^(${item}(?:[和、]${item})*)(工作日|周[一二三四五六日天]|星期[一二三四五六日天])$`).exec(rest);
  if (!m) return undefined;
  const positions = m[1]!.split(/和|、/).map((p) => zhOrdinal(p.replace(/个$/, '').replace(/^最后一$/, '最后')));
  if (positions.some((p) => p === undefined)) return undefined;
  const n = positions as number[];
  if (m[2] === '工作日') return withInterval('MONTHLY', interval, `;BYDAY=${WORKDAYS};BYSETPOS=${n.join(',')}`);
  const day = ZH_DAYS.get(m[2]!.slice(-1))!;
  return withInterval('MONTHLY', interval, `;BYDAY=${n.map((o) => `${o}${day}`).join(',')}`);
}

function zhOrdinal(word: string): number | undefined {
  if (word === '最后' || word === '倒数第一') return -1;
  if (word === '倒数第二') return -2;
  const m = /^第([一二三四五1-5])$/.exec(word);
  if (!m) return undefined;
  return /\d/.test(m[1]!) ? Number(m[1]) : ZH_NUMBERS.get(m[1]!);
}

/** A phrase in English or Chinese as an RRULE (without `RRULE:`), or undefined when it is not one docket reads. */
export function ruleFromWords(text: string): string | undefined {
  if (text.length > RULE_TEXT_MAX) return undefined;
  const t = text.trim();
  if (!t) return undefined;
  return /\p{Script=Han}/u.test(t) ? readChinese(t) : readEnglish(t);
}

/**
 * An RRULE as typed (`rrule:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1`), normalised to upper
 * case without the `RRULE:` prefix; undefined when it is not a rule a meeting may have: parts
 * RFC 5545 does not define, or more often than daily (a meeting every minute would be a flood
 * of reminders). Whether the rule expands is checked by the recurrence itself.
 */
export function readRule(text: string): string | undefined {
  if (text.length > RULE_TEXT_MAX) return undefined;
  const rule = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  const parts = rule.split(';');
  const known = /^(FREQ|INTERVAL|COUNT|UNTIL|BYDAY|BYMONTHDAY|BYYEARDAY|BYWEEKNO|BYMONTH|BYSETPOS|WKST|BYHOUR|BYMINUTE)=[A-Z0-9,+\-T]+$/;
  if (!parts.every((p) => known.test(p))) return undefined;
  const freq = /(?:^|;)FREQ=([A-Z]+)/.exec(rule)?.[1];
  if (!freq || !['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq)) return undefined;
  return rule;
}

export type RuleLanguage = 'en' | 'zh';

const EN_DAY_NAMES: Record<Weekday, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
const ZH_DAY_NAMES: Record<Weekday, string> = { MO: '周一', TU: '周二', WE: '周三', TH: '周四', FR: '周五', SA: '周六', SU: '周日' };

function enOrdinal(n: number): string {
  if (n === -1) return 'last';
  if (n === -2) return 'second-last';
  return ['first', 'second', 'third', 'fourth', 'fifth'][n - 1] ?? `${n}th`;
}

function enDayOfMonth(n: number): string {
  if (n === -1) return 'the last day';
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `the ${n}${suffix}`;
}

const zhOrdinalName = (n: number) => (n === -1 ? '最后一个' : n === -2 ? '倒数第二个' : `第${'一二三四五'[n - 1] ?? n}个`);
const zhCount = (n: number) => (n === 2 ? '两' : String(n));

const listEn = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * A rule in the reader's language ("every 2 weeks on Monday and Thursday", "每两周周一、周四");
 * a rule outside what this says in words is shown as it is written.
 */
export function ruleInWords(rule: string, lang: RuleLanguage): string {
  const parts = new Map(rule.split(';').map((p) => p.split('=') as [string, string]));
  const freq = parts.get('FREQ');
  const interval = Number(parts.get('INTERVAL') ?? '1');
  const byDay = parts.get('BYDAY')?.split(',');
  const byMonthDay = parts.get('BYMONTHDAY')?.split(',').map(Number);
  const setPos = parts.get('BYSETPOS')?.split(',').map(Number);
  const other = [...parts.keys()].filter((k) => !['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYSETPOS', 'WKST'].includes(k));
  const asWritten = `RRULE:${rule}`;
  if (other.length || !freq || !Number.isInteger(interval) || interval < 1) return asWritten;
  const plainDays = byDay?.every((d) => (WEEKDAYS as readonly string[]).includes(d)) ? (byDay as Weekday[]) : undefined;
  const en = lang === 'en';
  const every = (unit: string, zhUnit: string) => (en ? (interval === 1 ? `every ${unit}` : interval === 2 && unit === 'week' ? 'every other week' : `every ${interval} ${unit}s`) : interval === 1 ? `每${zhUnit}` : `每${zhCount(interval)}${zhUnit === '月' ? '个月' : zhUnit}`);

  if (freq === 'DAILY' && !byDay && !byMonthDay && !setPos) return every('day', '天');
  if (freq === 'WEEKLY' && !byMonthDay && !setPos) {
    if (!byDay) return every('week', '周');
    if (!plainDays) return asWritten;
    if (interval === 1 && plainDays.join(',') === WORKDAYS) return en ? 'every working day' : '每个工作日';
    return en ? `${every('week', '周')} on ${listEn(plainDays.map((d) => EN_DAY_NAMES[d]))}` : `${every('week', '周')}${plainDays.map((d) => ZH_DAY_NAMES[d]).join('、')}`;
  }
  if (freq === 'MONTHLY') {
    const month = every('month', '月');
    const ofMonth = (what: string) => (en ? (interval === 1 ? `the ${what} of every month` : `the ${what} of the month, ${month}`) : `${month}${what}`);
    if (!byDay && !setPos && !byMonthDay) return month;
    if (!byDay && !setPos && byMonthDay?.every((d) => d === -1 || (d >= 1 && d <= 31))) {
      return en ? `${month} on ${listEn(byMonthDay.map(enDayOfMonth))}` : `${month}${byMonthDay.map((d) => (d === -1 ? '最后一天' : `${d}日`)).join('、')}`;
    }
    if (plainDays?.join(',') === WORKDAYS && setPos && !byMonthDay) {
      return en ? ofMonth(`${listEn(setPos.map(enOrdinal))} working day`) : ofMonth(`${setPos.map(zhOrdinalName).join('、')}工作日`);
    }
    const positioned = byDay?.map((d) => /^(-?\d)([A-Z]{2})$/.exec(d));
    if (positioned?.every(Boolean) && !setPos && !byMonthDay) {
      const items = positioned.map((p) => ({ n: Number(p![1]), day: p![2] as Weekday }));
      const day = items[0]!.day;
      // One weekday at several positions ("the second and fourth Tuesday"), as people say it.
      if ((WEEKDAYS as readonly string[]).includes(day) && items.every((i) => i.day === day)) {
        return en ? ofMonth(`${listEn(items.map((i) => enOrdinal(i.n)))} ${EN_DAY_NAMES[day]}`) : ofMonth(`${items.map((i) => zhOrdinalName(i.n)).join('和')}${ZH_DAY_NAMES[day]}`);
      }
    }
    return asWritten;
  }
  if (freq === 'YEARLY' && !byDay && !byMonthDay && !setPos) return every('year', '年');
  return asWritten;
}
