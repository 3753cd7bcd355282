import { calendarOfToken, FEED_TOKEN_LENGTH } from '../../services/meeting-feed.service.js';
import type { Route } from '../feature.js';
import { meetingsCalendar } from './feed.js';

/** Where a group's feed is served: the path `/meeting ics` gives, under docket's public URL. */
export const feedPath = (token: string) => `/calendar/${token}.ics`;

/**
 * GET /calendar/<token>.ics: the group's meetings as iCalendar. Anything but a current token is
 * a bare 404 (no hint whether it was ever valid); a longer one is not looked up at all.
 */
export const feedRoute: Route = {
  path: '/calendar/:token.ics',
  async get({ token }, deps) {
    const calendar = token && token.length <= FEED_TOKEN_LENGTH ? await calendarOfToken(deps.db, token) : undefined;
    if (!calendar) return { status: 404 };
    return {
      status: 200,
      // The URL is the secret: no shared cache keeps a copy.
      headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, no-cache' },
      body: meetingsCalendar(calendar.group.name, calendar.series, deps.clock.now()),
    };
  },
};
