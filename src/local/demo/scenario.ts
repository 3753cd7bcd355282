/**
 * The reference scenario (docs/domain.md): a prefecture's fugitive and asset recovery
 * office in #fugitive-recovery, with its member units, people in their roles, and four cases
 * with the dates and amounts from the report. Each step is what one person types or fills in,
 * so all of it goes through docket's real endpoint, checks and audit trail.
 *
 * Steps are data: a later capability (action items, meetings, digests) adds its own steps at
 * the end, using the case references captured here as {zhang}, {zhong}, {liu}, {zhou}, and
 * times relative to when the demo runs as {date:-4} (a date) and {time:+2} (a date and time).
 * Where the report gives only a year or a month, the date used is the first day of it; the
 * date the old cases entered the ledger (autumn 2018, when the office was formed) is assumed.
 */
export type DemoUser = 'alice' | 'bao' | 'carlos' | 'dana' | 'erin';

export type Step =
  /**
   * A slash command; `confirm` presses the Confirm button of the question it answers with,
   * `press` another button of the answer (Done on an action item's card).
   */
  | { as: DemoUser; say: string; confirm?: true; press?: string }
  /** A command that opens a form, and the fields to fill in (block id → text, option label, user name or date). */
  | { as: DemoUser; form: string; fill: Record<string, string>; capture: string };

export const CHANNEL = 'fugitive-recovery';

export const GROUP = { name: 'Ganzi Fugitive Recovery Office', prefix: 'GZ', zone: 'Asia/Shanghai', currency: 'CNY' } as const;

export const SETUP = `/docket setup ${GROUP.name} prefix:${GROUP.prefix} tz:${GROUP.zone} currency:${GROUP.currency} announce:#announcements`;

const LEDGER_DAY = '2018-10-15';

export const STEPS: Step[] = [
  // The office and its member units; Bao (police) and Carlos (procuratorate) are their contacts.
  { as: 'alice', say: '/docket units add "Organization Dept"' },
  { as: 'alice', say: '/docket units add Court' },
  { as: 'alice', say: '/docket units add Procuratorate contact:@carlos' },
  { as: 'alice', say: '/docket units add "Public Security" contact:@bao' },
  { as: 'alice', say: '/docket units add "Foreign Affairs"' },
  { as: 'alice', say: '/docket members add @dana role:coordinator unit:"Organization Dept"' },
  { as: 'alice', say: '/docket members add @bao unit:"Public Security"' },
  { as: 'alice', say: '/docket members add @carlos unit:Procuratorate' },
  { as: 'alice', say: '/docket members add @erin role:observer unit:"Foreign Affairs"' },

  // Zhang: at large 16 years, caught 2019-09-22 07:24 in Yubei, Chongqing: the first cross-province case.
  {
    as: 'alice',
    form: '/case open',
    capture: 'zhang',
    fill: {
      title: 'Zhang, at large since 2003',
      subject: '张某某',
      category: 'Duty crime',
      unit: 'Public Security',
      opened: LEDGER_DAY,
      since: '2003-01-01',
      location: 'Yubei District, Chongqing',
      plan: 'Cross-province pursuit: a task force of prefecture police and procuratorate experts works with Chongqing police.',
    },
  },
  { as: 'bao', say: '/case status {zhang} custody 2019-09-22 07:24 region:Chongqing city:Yubei' },
  { as: 'bao', say: '/case note {zhang} Caught at 07:24 on Minxin Road, Yubei District. Danba County commission took him into detention at 16:00 the same day.' },
  // Closed when the county commission detained him, after the 07:24 arrest it follows.
  { as: 'alice', say: '/case close {zhang} returned date:2019-09-22 16:00 The first cross-province return since the commission was formed.', confirm: true },

  // Zhong: misappropriated ¥70,000 and fled in November 1997; caught in Lhasa on 2020-05-10; the money recovered that month.
  {
    as: 'alice',
    form: '/case open',
    capture: 'zhong',
    fill: {
      title: 'Zhong, former manager of the Shiqu County film company',
      subject: '钟某某',
      category: 'Misappropriation of public funds',
      unit: 'Public Security',
      opened: LEDGER_DAY,
      since: '1997-11-01',
      location: 'Lhasa, Tibet',
      plan: 'Few records and no known direction: search the police big-data systems; coordination meetings at prefecture and Shiqu County level.',
      amount: '70,000',
    },
  },
  { as: 'bao', say: '/case note {zhong} 依托公安大数据系统，掌握其经常在拉萨市活动。' },
  { as: 'bao', say: '/case status {zhong} custody 2020-05-10 region:Tibet city:Lhasa' },
  { as: 'carlos', say: '/case money {zhong} recovered 70,000 2020-05-25 Recovered in the month of the arrest.' },
  // 1997-11 to 2020-05-10 is 22 years 6 months, as docket counts it on the card and in the announcement.
  { as: 'alice', say: '/case close {zhong} returned date:2020-05-10 At large for 22 and a half years: the longest in the prefecture.', confirm: true },

  // Liu: fled on 2019-01-01 with grassland and forest subsidy funds; solved within 5 days.
  {
    as: 'alice',
    form: '/case open',
    capture: 'liu',
    fill: {
      title: 'Liu, township deputy discipline secretary, Dege County',
      subject: '刘某',
      category: 'Absconded with subsidy funds',
      unit: 'Procuratorate',
      opened: '2019-01-01',
      since: '2019-01-01',
      location: 'Dege County',
      plan: 'Freeze his accounts through the county court and banks; check his exit-entry documents; police help to find him.',
    },
  },
  { as: 'carlos', say: '/case money {liu} frozen 280,000 2019-01-02 Bank accounts frozen through the county court.' },
  { as: 'erin', say: '/case history {liu}' },
  { as: 'bao', say: '/case note {liu} Exit-entry documents checked with the county exit-entry brigade: none issued, no exit.' },
  { as: 'bao', say: '/case status {liu} custody 2019-01-05' },
  { as: 'carlos', say: '/case money {liu} recovered 170,000 2019-01-05' },
  { as: 'alice', say: '/case close {liu} returned date:2019-01-05 Solved within five days.', confirm: true },

  // Zhou: still at large; supervised; worked through repeated consultations with Shanghai police.
  {
    as: 'alice',
    form: '/case open',
    capture: 'zhou',
    fill: {
      title: 'Zhou, still at large',
      subject: '周某某',
      category: 'Duty crime',
      unit: 'Public Security',
      opened: LEDGER_DAY,
      location: 'Shanghai (leads)',
      plan: 'Task force with experts seconded from the procuratorate and police. Consult Shanghai police on every lead; plan the arrest with them.',
      supervisor: 'dana',
    },
  },
  { as: 'bao', say: '/case note {zhou} 与上海市公安机关会商，分析研判收集到的侦查情况。' },
  { as: 'carlos', say: '/case note {zhou} Second consultation with Shanghai police: practical difficulties listed, arrest plan drafted.' },
  // A lead that went cold: the status changes are dated when they happened, not when typed.
  { as: 'bao', say: '/case status {zhou} located 2021-06-15' },
  { as: 'bao', say: '/case status {zhou} open 2021-06-20' },
  // Action items on Zhou: "one matter, one coordinator". Dates are relative to the moment the
  // demo runs ({date:-4} is four days ago in the group's zone, {time:+2} two minutes from now),
  // so what follows them is seen at once: #1 is overdue by more than the 3 days after which an
  // item escalates, so the group channel gets its escalation as soon as it is entered; #2 is
  // overdue too (carlos, the Procuratorate's contact, is reminded of it at 09:00 daily); #6
  // falls due two minutes after the demo, and bao's reminder of it reaches his direct message.
  { as: 'alice', say: '/action add {zhou} Consult Shanghai police on the new lead owner:@bao due:{date:-4} 17:00' },
  { as: 'alice', say: '/action add {zhou} Verify bank records with the county court unit:Procuratorate due:{date:-1} 12:00' },
  { as: 'dana', say: '/action add {zhou} 拟定与上海警方的联合抓捕方案 owner:@carlos due:{date:+2} 18:00' },
  { as: 'alice', say: '/action add {zhou} Check exit-entry records of the family owner:@bao due:明天上午10点' },
  { as: 'alice', say: '/action add {zhou} Brief the supervising leader owner:@alice due:{date:+1} 09:00', press: 'Done' },
  { as: 'alice', say: '/action add {zhou} Call Shanghai police back about the sighting owner:@bao due:{time:+2}' },
  { as: 'alice', say: '/case list all' },
];
