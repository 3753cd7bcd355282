/** How a group wants to be reminded. Pure values; stored in reminder_settings. */
export interface ReminderSettings {
  /** Reminders before the due time, in minutes (default 24 h and 1 h). */
  beforeMinutes: number[];
  atDue: boolean;
  /** Local hour of the daily reminder while overdue; null: none. */
  overdueHour: number | null;
  /** Escalate to the supervisor and coordinators after this many days overdue; null: never. */
  escalateAfterDays: number | null;
}

export const DEFAULT_REMINDER_SETTINGS: Readonly<ReminderSettings> = Object.freeze({
  beforeMinutes: [1440, 60],
  atDue: true,
  overdueHour: 9,
  escalateAfterDays: 3,
});

const MAX_BEFORE = 4;
const MAX_BEFORE_MINUTES = 30 * 1440;

const PER_UNIT = new Map([
  ['m', 1],
  ['min', 1],
  ['分钟', 1],
  ['h', 60],
  ['小时', 60],
  ['d', 1440],
  ['天', 1440],
  ['w', 10080],
  ['周', 10080],
]);

/** "24h", "90m", "2d", "1w" → minutes; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,4})\s*(m|min|h|d|w|分钟|小时|天|周)$/iu.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  const minutes = n * PER_UNIT.get(unit)!;
  return minutes > 0 ? minutes : undefined;
}

/** Minutes as people say them: 24h (not 1d), 2d, 1w, 90m. */
export function formatDuration(minutes: number): string {
  if (minutes % 10080 === 0 && minutes > 10080) return `${minutes / 10080}w`;
  if (minutes % 1440 === 0 && minutes > 1440) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** `24h,1h` or `none` → sorted, de-duplicated minutes; undefined when any part is not a duration. */
export function parseBeforeList(text: string): number[] | undefined {
  if (['none', 'off', '-', '无'].includes(text.trim().toLowerCase())) return [];
  const parts = text.split(/[,，]/u).map((p) => parseDuration(p));
  if (parts.some((p) => p === undefined || p > MAX_BEFORE_MINUTES)) return undefined;
  const uniq = [...new Set(parts as number[])].sort((a, b) => b - a);
  return uniq.length <= MAX_BEFORE ? uniq : undefined;
}

/** `9`, `09:00`, `off` → hour or null; undefined when unreadable. Only whole hours. */
export function parseHour(text: string): number | null | undefined {
  const t = text.trim().toLowerCase();
  if (['off', 'none', '-', '无'].includes(t)) return null;
  const m = /^(\d{1,2})(?::00)?(?:点)?$/u.exec(t);
  const h = m ? Number(m[1]) : NaN;
  return h >= 0 && h <= 23 ? h : undefined;
}

/** `3`, `3d`, `off` → days or null; undefined when unreadable. */
export function parseDays(text: string): number | null | undefined {
  const t = text.trim().toLowerCase();
  if (['off', 'none', 'never', '-', '无'].includes(t)) return null;
  const m = /^(\d{1,3})\s*(d|天)?$/u.exec(t);
  const d = m ? Number(m[1]) : NaN;
  return d >= 1 && d <= 365 ? d : undefined;
}
