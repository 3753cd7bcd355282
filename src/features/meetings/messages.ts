/**
 * What meetings say, in English and Chinese (merged into the catalogs by src/i18n). Values
 * are mrkdwn; titles and places are escaped by the caller.
 */
/** "in 1 day", "in 2 h 30 min", "in 15 min", "now". */
function startsIn(minutes: number): string {
  if (minutes <= 0) return 'now';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const min = minutes % 60;
  return `in ${[d ? `${d} ${d === 1 ? 'day' : 'days'}` : '', h ? `${h} h` : '', min ? `${min} min` : ''].filter(Boolean).join(' ')}`;
}

function startsInZh(minutes: number): string {
  if (minutes <= 0) return '现在';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const min = minutes % 60;
  return `${[d ? `${d} 天` : '', h ? `${h} 小时` : '', min ? `${min} 分钟` : ''].filter(Boolean).join(' ')}后`;
}

export const meetingsEn = {
  cmdMeeting: 'Schedule the group’s standing meetings',
  meetingHelp: [
    '*Meetings*',
    '• `/meeting schedule TITLE every:PHRASE starts:YYYY-MM-DD HH:MM [tz:ZONE] [for:DURATION] [where:PLACE] [units:A,B]`, e.g. `/meeting schedule Joint meeting every:every 2 weeks on Tuesday starts:2026-12-08 09:30 for:90m where:Room 3` (coordinators). `every:` takes “every Tuesday”, “first Monday of the month”, “last working day of the month”, “每周二”…; `rrule:FREQ=…` takes an RFC 5545 rule instead',
    '• `/meeting list`: the group’s meetings and when each meets next',
    '• `/meeting next N [COUNT]`: the next dates of meeting #N (up to 50), with their UTC offsets',
    '• `/meeting agenda [N]`: the agenda of the next meeting, read from the ledger (it also comes with the reminder a day before; another reminder 15 minutes before)',
    '• `/meeting skip N DATE`, `/meeting move N DATE NEWDATE NEWTIME`: one meeting of the series, e.g. `/meeting move 1 2026-12-22 2026-12-23 14:00` (coordinators; its reminders follow)',
    '• `/meeting edit N [title:…] [every:…|rrule:…] [starts:…] [tz:…] [for:…] [where:…] [units:…]`: change the series; what you leave out stays (coordinators)',
    '• `/meeting cancel N`: cancel the series (coordinators, asks first)',
    '• `/meeting settings [reminders:24h,15m|none]`: when the channel is reminded before each meeting (coordinators)',
  ].join('\n'),
  meetingUsage: '/meeting help | schedule | edit | list | next | agenda | skip | move | cancel | settings',
  fieldRule: 'Recurrence',
  fieldDuration: 'Duration',
  meetingScheduleUsage: '/meeting schedule TITLE (every:PHRASE | rrule:RULE) starts:YYYY-MM-DD HH:MM [tz:ZONE] [for:DURATION] [where:PLACE] [units:A,B]',
  meetingListUsage: '/meeting list',
  meetingNextUsage: '/meeting next N [COUNT]',
  meetingCancelUsage: '/meeting cancel N',
  meetingNotFound: (no: number) => `This group has no meeting #${no}.`,
  meetingAlreadyCancelled: (no: number) => `Meeting #${no} is already cancelled.`,
  badMeetingNumber: (text: string) => `“${text}” is not a meeting number: use the number \`/meeting list\` shows, e.g. 1.`,
  meetingNeedsRule: 'Say how often it meets: `every:` in words (every Tuesday, first Monday of the month) or `rrule:` with an RFC 5545 rule.',
  meetingOneRule: 'Give `every:` or `rrule:`, not both.',
  badEvery: (text: string) =>
    `I can’t read “${text}” as a recurrence. Try “every Tuesday”, “every 2 weeks on Monday and Thursday”, “first Monday of the month”, “last working day of the month”, or give \`rrule:\` with an RFC 5545 rule.`,
  badRule: (text: string) => `“${text}” is not a recurrence rule a meeting can have (RFC 5545, daily or less often), e.g. \`rrule:FREQ=MONTHLY;BYDAY=1MO\`.`,
  badStarts: (text: string) => `“${text}” is not a start: write the date and local time of the first meeting, e.g. \`starts:2026-12-08 09:30\`.`,
  badDuration: (text: string) => `“${text}” is not a duration: write 90m, 1h, 1h30m or 90分钟 (up to 24 h).`,
  meetingNoOccurrence: 'That series has no meeting after today: check the rule and the start.',
  tooManyDates: (max: number) => `I list at most ${max} dates at a time.`,
  meetingScheduled: (no: number, title: string, rule: string, time: string, zone: string, minutes: number, where: string | null) =>
    `Scheduled meeting *#${no} ${title}*: ${rule}, ${time} (${zone}), ${minutes} min${where ? `, ${where}` : ''}.`,
  meetingNextTitle: (no: number, title: string) => `*Next dates of #${no} ${title}*`,
  meetingNextShort: 'Next:',
  meetingListTitle: (n: number) => `*Meetings* (${n})`,
  meetingListEmpty: 'No meetings scheduled. A coordinator can add one with `/meeting schedule` (see `/meeting help`).',
  meetingLine: (no: number, title: string, rule: string, time: string, zone: string, next: string | null) =>
    `*#${no}* ${title}: ${rule}, ${time} (${zone}) · ${next ? `next ${next}` : 'no more dates'}`,
  meetingNoMoreDates: 'No more dates: the series has ended.',
  meetingCancelConfirm: (no: number, title: string) => `Cancel the whole series *#${no} ${title}*? Its past record stays.`,
  meetingCancelled: (no: number, title: string) => `Cancelled meeting *#${no} ${title}*.`,
  /** `when` with its UTC offset; `title` and `where` escaped by the caller. */
  meetingReminder: (r: { no: number; title: string; when: string; zone: string; minutes: number; where: string | null; rule: string; inMinutes: number }) =>
    `:calendar: Meeting *#${r.no} ${r.title}* starts ${startsIn(r.inMinutes)}: ${r.when} (${r.zone}), ${r.minutes} min${r.where ? `, ${r.where}` : ''}. _${r.rule}_`,
  agendaTitle: 'Agenda',
  agendaSupervised: 'Supervised cases',
  agendaOverdue: 'Overdue action items',
  agendaDueBeforeNext: 'Due before the next meeting',
  agendaDueSoon: 'Due soon',
  agendaQuiet: (days: number) => `No activity for ${days} days`,
  agendaOpened: 'Opened since the last meeting',
  agendaClosed: 'Closed since the last meeting',
  agendaMore: (n: number) => `…and ${n} more: \`/case list\`, \`/action list\``,
  agendaEmpty: 'Nothing on the ledger needs the meeting: no supervised or quiet cases, nothing overdue or due.',
  meetingAgendaTitle: (no: number, title: string, when: string) => `*Agenda of #${no} ${title}*, ${when}`,
  meetingAgendaUsage: '/meeting agenda [N]',
  meetingNoneNext: 'No meeting is coming up in this group.',
  meetingEvent: {
    scheduled: (no: number, title: string) => `scheduled meeting #${no} ${title}`,
    cancelled: (no: number, title: string) => `cancelled meeting #${no} ${title}`,
    skipped: (no: number, when: string) => `skipped meeting #${no} of ${when}`,
    moved: (no: number, from: string, to: string) => `moved meeting #${no} of ${from} to ${to}`,
    settings: (reminders: string) => `set meeting reminders: ${reminders}`,
    edited: (no: number, fields: string) => `edited meeting #${no}: ${fields}`,
  },
  meetingEditUsage: '/meeting edit N [title:TEXT] [every:PHRASE|rrule:RULE] [starts:YYYY-MM-DD HH:MM] [tz:ZONE] [for:DURATION] [where:PLACE] [units:A,B]',
  meetingEdited: (no: number, title: string, rule: string, time: string, zone: string, minutes: number, where: string | null) =>
    `Updated meeting *#${no} ${title}*: ${rule}, ${time} (${zone}), ${minutes} min${where ? `, ${where}` : ''}.`,
  meetingSettingsUsage: '/meeting settings [reminders:24h,15m|none]',
  meetingRemindersNone: 'none',
  meetingSettings: (reminders: string) => `Meeting reminders: ${reminders} before each meeting (the longest with the agenda). Change with \`/meeting settings reminders:24h,15m\` (coordinators).`,
  meetingSettingsSet: (reminders: string) => `Meeting reminders are now ${reminders} before each meeting.`,
  badReminders: (text: string) => `“${text}” is not a list of reminders: write e.g. 24h,15m (up to 4, each up to 30 days), or none.`,
  meetingSkipUsage: '/meeting skip N DATE',
  meetingMoveUsage: '/meeting move N DATE NEWDATE NEWTIME',
  noOccurrenceOn: (no: number, date: string) => `Meeting #${no} does not meet on ${date}: see \`/meeting next ${no}\`.`,
  occurrenceAlreadyChanged: (no: number) => `That meeting of #${no} was already skipped or moved.`,
  occurrencePast: 'That meeting is already past.',
  movedToPast: 'A meeting can only be moved to a time ahead.',
  meetingSkipped: (no: number, title: string, when: string) => `Skipped *#${no} ${title}* of ${when}. Its reminders will not go out.`,
  meetingMoved: (no: number, title: string, from: string, to: string) => `Moved *#${no} ${title}* of ${from} to *${to}*. Its reminders follow it.`,
};

export type MeetingsMessages = typeof meetingsEn;

export const meetingsZh: MeetingsMessages = {
  cmdMeeting: '安排本组的定期会议',
  meetingHelp: [
    '*会议*',
    '• `/meeting schedule 名称 every:周期 starts:YYYY-MM-DD HH:MM [tz:时区] [for:时长] [where:地点] [units:单位1,单位2]`，如 `/meeting schedule 联席会议 every:每两周周二 starts:2026-12-08 09:30 for:90分钟 where:三楼会议室`（协调员）。`every:` 可写“每周二”“每月第一个周一”“每月最后一个工作日”“every Tuesday”等；也可用 `rrule:FREQ=…` 写 RFC 5545 规则',
    '• `/meeting list`：本组会议及各自下次时间',
    '• `/meeting next 编号 [次数]`：会议 #编号 此后的日期（最多 50 次），附 UTC 偏移',
    '• `/meeting agenda [编号]`：下次会议的议程，取自台账（提前一天的提醒也附议程；开会前 15 分钟再提醒一次）',
    '• `/meeting skip 编号 日期`、`/meeting move 编号 日期 新日期 新时间`：调整系列中的某一次会议，如 `/meeting move 1 2026-12-22 2026-12-23 14:00`（协调员；提醒随之调整）',
    '• `/meeting edit 编号 [title:…] [every:…|rrule:…] [starts:…] [tz:…] [for:…] [where:…] [units:…]`：修改系列，未写的保持不变（协调员）',
    '• `/meeting cancel 编号`：取消整个系列（协调员，需确认）',
    '• `/meeting settings [reminders:24h,15m|none]`：每次会议前何时在频道提醒（协调员）',
  ].join('\n'),
  meetingUsage: '/meeting help | schedule | edit | list | next | agenda | skip | move | cancel | settings',
  fieldRule: '周期',
  fieldDuration: '时长',
  meetingScheduleUsage: '/meeting schedule 名称 (every:周期 | rrule:规则) starts:YYYY-MM-DD HH:MM [tz:时区] [for:时长] [where:地点] [units:单位1,单位2]',
  meetingListUsage: '/meeting list',
  meetingNextUsage: '/meeting next 编号 [次数]',
  meetingCancelUsage: '/meeting cancel 编号',
  meetingNotFound: (no) => `本组没有会议 #${no}。`,
  meetingAlreadyCancelled: (no) => `会议 #${no} 已取消。`,
  badMeetingNumber: (text) => `“${text}”不是会议编号：请用 \`/meeting list\` 显示的编号，如 1。`,
  meetingNeedsRule: '请说明会议周期：用 `every:` 写周期（如“每周二”“每月第一个周一”），或用 `rrule:` 写 RFC 5545 规则。',
  meetingOneRule: '`every:` 和 `rrule:` 只能给一个。',
  badEvery: (text) => `无法识别周期“${text}”。可写“每周二”“每两周周一和周四”“每月第一个周一”“每月最后一个工作日”，或用 \`rrule:\` 写 RFC 5545 规则。`,
  badRule: (text) => `“${text}”不是会议可用的周期规则（RFC 5545，最多每天一次），如 \`rrule:FREQ=MONTHLY;BYDAY=1MO\`。`,
  badStarts: (text) => `“${text}”不是开始时间：请写第一次会议的日期和当地时间，如 \`starts:2026-12-08 09:30\`。`,
  badDuration: (text) => `“${text}”不是时长：请写 90m、1h、1h30m 或 90分钟（最长 24 小时）。`,
  meetingNoOccurrence: '该系列今天以后没有会议：请检查周期和开始时间。',
  tooManyDates: (max) => `一次最多列出 ${max} 个日期。`,
  meetingScheduled: (no, title, rule, time, zone, minutes, where) => `已安排会议 *#${no} ${title}*：${rule}，${time}（${zone}），${minutes} 分钟${where ? `，${where}` : ''}。`,
  meetingNextTitle: (no, title) => `*#${no} ${title} 此后日期*`,
  meetingNextShort: '下次：',
  meetingListTitle: (n) => `*会议*（${n}）`,
  meetingListEmpty: '尚未安排会议。协调员可用 `/meeting schedule` 添加（见 `/meeting help`）。',
  meetingLine: (no, title, rule, time, zone, next) => `*#${no}* ${title}：${rule}，${time}（${zone}）· ${next ? `下次 ${next}` : '已无后续日期'}`,
  meetingNoMoreDates: '已无后续日期：该系列已结束。',
  meetingCancelConfirm: (no, title) => `确认取消整个系列 *#${no} ${title}*？已有记录将保留。`,
  meetingCancelled: (no, title) => `已取消会议 *#${no} ${title}*。`,
  meetingReminder: (r) => `:calendar: 会议 *#${r.no} ${r.title}* ${startsInZh(r.inMinutes)}开始：${r.when}（${r.zone}），${r.minutes} 分钟${r.where ? `，${r.where}` : ''}。_${r.rule}_`,
  agendaTitle: '议程',
  agendaSupervised: '挂牌督办案件',
  agendaOverdue: '已逾期事项',
  agendaDueBeforeNext: '下次会议前到期',
  agendaDueSoon: '即将到期',
  agendaQuiet: (days) => `${days} 天无进展`,
  agendaOpened: '上次会议以来立案',
  agendaClosed: '上次会议以来结案',
  agendaMore: (n) => `……另有 ${n} 项：\`/case list\`、\`/action list\``,
  agendaEmpty: '台账上暂无需会议讨论的事项：无督办或久无进展的案件，无逾期或到期事项。',
  meetingAgendaTitle: (no, title, when) => `*#${no} ${title} 议程*，${when}`,
  meetingAgendaUsage: '/meeting agenda [编号]',
  meetingNoneNext: '本组近期没有会议。',
  meetingEvent: {
    scheduled: (no, title) => `安排会议 #${no} ${title}`,
    cancelled: (no, title) => `取消会议 #${no} ${title}`,
    skipped: (no, when) => `取消 ${when} 的会议 #${no}`,
    moved: (no, from, to) => `将 ${from} 的会议 #${no} 改至 ${to}`,
    settings: (reminders) => `设置会议提醒：${reminders}`,
    edited: (no, fields) => `修改会议 #${no}：${fields}`,
  },
  meetingEditUsage: '/meeting edit 编号 [title:名称] [every:周期|rrule:规则] [starts:YYYY-MM-DD HH:MM] [tz:时区] [for:时长] [where:地点] [units:单位1,单位2]',
  meetingEdited: (no, title, rule, time, zone, minutes, where) => `已更新会议 *#${no} ${title}*：${rule}，${time}（${zone}），${minutes} 分钟${where ? `，${where}` : ''}。`,
  meetingSettingsUsage: '/meeting settings [reminders:24h,15m|none]',
  meetingRemindersNone: '无',
  meetingSettings: (reminders) => `会议提醒：每次会议前 ${reminders}（最早的一条附议程）。可用 \`/meeting settings reminders:24h,15m\` 修改（协调员）。`,
  meetingSettingsSet: (reminders) => `会议提醒已改为每次会议前 ${reminders}。`,
  badReminders: (text) => `“${text}”不是提醒列表：请写如 24h,15m（最多 4 个，每个不超过 30 天），或 none。`,
  meetingSkipUsage: '/meeting skip 编号 日期',
  meetingMoveUsage: '/meeting move 编号 日期 新日期 新时间',
  noOccurrenceOn: (no, date) => `会议 #${no} 在 ${date} 没有安排：见 \`/meeting next ${no}\`。`,
  occurrenceAlreadyChanged: (no) => `会议 #${no} 的该次会议已取消或改期。`,
  occurrencePast: '该次会议已经过去。',
  movedToPast: '会议只能改到以后的时间。',
  meetingSkipped: (no, title, when) => `已取消 *#${no} ${title}* ${when} 的会议，不再发送提醒。`,
  meetingMoved: (no, title, from, to) => `已将 *#${no} ${title}* ${from} 的会议改至 *${to}*，提醒随之调整。`,
};
