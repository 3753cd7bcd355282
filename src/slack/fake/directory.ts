/** The people and channels of the fake workspace used by local mode and tests. */
export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  tz: string;
  locale: string;
  is_bot?: boolean;
  deleted?: boolean;
  /** The workspace; unset: the fake's first. */
  team?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_im?: boolean;
  is_archived?: boolean;
  /** Whether the bot has been invited (posting elsewhere fails with not_in_channel). */
  bot_member?: boolean;
  /** For direct messages: the person on the other side. */
  user?: string;
  /** The workspace; unset: the fake's first. */
  team?: string;
}

export function defaultDirectory(): { users: FakeUser[]; channels: FakeChannel[] } {
  return {
    users: [
      { id: 'U0ALICE', name: 'alice', real_name: 'Alice Wang', tz: 'Asia/Shanghai', locale: 'en-US' },
      { id: 'U0BAO', name: 'bao', real_name: '包晓明', tz: 'Asia/Shanghai', locale: 'zh-CN' },
      { id: 'U0CARLOS', name: 'carlos', real_name: 'Carlos Li', tz: 'Asia/Shanghai', locale: 'en-US' },
      { id: 'U0DANA', name: 'dana', real_name: 'Dana Zhou', tz: 'Europe/Berlin', locale: 'en-GB' },
      { id: 'U0ERIN', name: 'erin', real_name: 'Erin Hu', tz: 'America/New_York', locale: 'en-US' },
      { id: 'U0GONE', name: 'gone', real_name: 'Former Staff', tz: 'Asia/Shanghai', locale: 'en-US', deleted: true },
    ],
    channels: [
      { id: 'C0GROUP', name: 'fugitive-recovery', bot_member: true },
      { id: 'C0COUNTY', name: 'danba-county', bot_member: true },
      { id: 'C0ANNOUNCE', name: 'announcements', bot_member: true },
      { id: 'C0RANDOM', name: 'random', bot_member: false },
    ],
  };
}
