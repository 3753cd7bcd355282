import { InvalidInput, type Render } from '../src/errors.js';
import type { Messages } from '../src/i18n/index.js';
import { digestMessage } from '../src/features/digest/weekly.js';
import { digestSettings, postDigestNow, setDigest } from '../src/services/digest.service.js';
import { authorize, scopeForChannel } from '../src/services/scope.js';
import { checkCommandLength, tokenize } from '../src/slack/args.js';
import { say, type Ctx, type Effects } from '../src/slack/handler.js';
import { quote } from '../src/slack/mrkdwn.js';

/** `/digest …` parsed. Pure. */
export type DigestCommand = { sub: 'help' } | { sub: 'show' } | { sub: 'preview' } | { sub: 'now' } | { sub: 'off' } | { sub: 'schedule'; day: string | null; time: string | null };

const WEEK_MS = 7 * 86_400_000;

export function usageOf(sub: string): Render {
  return sub === 'schedule' ? (m: Messages) => m.digestScheduleUsage : (m: Messages) => m.digestUsage;
}

export function parse(text: string): DigestCommand {
  checkCommandLength(text, (m) => m.digestUsage);
  const words = tokenize(text);
  const sub = (words[0] ?? '').toLowerCase();
  switch (sub) {
    case '':
      return { sub: 'show' };
    case 'help':
    case '?':
      return { sub: 'help' };
    case 'preview':
      return { sub: 'preview' };
    case 'now':
      return { sub: 'now' };
    case 'off':
      return { sub: 'off' };
    case 'schedule':
      if (words.length > 3) throw new InvalidInput((m) => m.unknownOption(quote(words[3]!)), usageOf('schedule'));
      return { sub: 'schedule', day: words[1] ?? null, time: words[2] ?? null };
    default:
      throw new InvalidInput((m) => m.unknownSubcommand('digest', quote(words[0]!)), (m) => m.digestUsage);
  }
}

const DAYS: Record<string, number> = {};
['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].forEach((d, i) => {
  DAYS[d] = i + 1;
  DAYS[d.slice(0, 3)] = i + 1;
});
['一', '二', '三', '四', '五', '六', '日'].forEach((d, i) => {
  for (const p of ['周', '星期', '礼拜']) DAYS[`${p}${d}`] = i + 1;
});
DAYS['周天'] = DAYS['星期天'] = 7;

/** monday, Mon, 周一, 星期一 → 1 … 7. */
export function readDay(text: string): number | undefined {
  const key = text.trim().toLowerCase();
  return Object.hasOwn(DAYS, key) ? DAYS[key] : undefined;
}

/** 09:00, 9:00, 9：00 → "09:00". */
export function readTime(text: string): string | undefined {
  const m = /^(\d{1,2})[:：](\d{2})$/u.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return undefined;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

export async function handle(cmd: DigestCommand, ctx: Ctx): Promise<Effects> {
  const { m } = ctx;
  if (cmd.sub === 'help') return say(m.digestHelp);
  const scope = await scopeForChannel(ctx, ctx.channelId);
  const zone = scope.group.time_zone;
  switch (cmd.sub) {
    case 'show': {
      const s = await digestSettings(ctx, scope);
      return say(s.enabled ? m.digestWhen(m.weekdays[s.day - 1]!, s.time, zone) : m.digestOffNow);
    }
    case 'preview': {
      authorize(scope, 'read');
      const to = ctx.clock.now();
      return { reply: await digestMessage(ctx.db, scope.group, { from: new Date(to.getTime() - WEEK_MS), to }, m) };
    }
    case 'now': {
      const r = await postDigestNow(ctx, scope);
      return r.duplicate ? {} : { reply: { text: m.digestPosting }, outbox: r.value };
    }
    case 'off': {
      const r = await setDigest(ctx, scope, { enabled: false });
      return r.duplicate ? {} : say(m.digestTurnedOff);
    }
    case 'schedule': {
      const usage = usageOf('schedule');
      authorize(scope, 'govern');
      if (!cmd.day) throw new InvalidInput((mm) => mm.missingArgument('DAY'), usage);
      if (!cmd.time) throw new InvalidInput((mm) => mm.missingArgument('HH:MM'), usage);
      const day = readDay(cmd.day);
      if (!day) throw new InvalidInput((mm) => mm.badDigestDay(quote(cmd.day!)), usage);
      const time = readTime(cmd.time);
      if (!time) throw new InvalidInput((mm) => mm.badDigestTime(quote(cmd.time!)), usage);
      const r = await setDigest(ctx, scope, { time: { day, time } });
      return r.duplicate ? {} : say(m.digestScheduled(m.weekdays[day - 1]!, time, zone));
    }
  }
}
