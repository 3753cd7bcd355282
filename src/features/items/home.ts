import { listItems } from '../../db/action-items.repo.js';
import type { Deps } from '../../slack/handler.js';
import type { Messages } from '../../i18n/index.js';
import { homeView, type HomeCase } from '../../slack/blocks/home.js';
import type { View } from '../../slack/kit.js';
import { requestFor } from '../../slack/deliver.js';
import type { EventHandler } from '../feature.js';

const ITEM_LIMIT = 60;
const CASE_LIMIT = 30;

/**
 * What App Home shows a person: open items they own (themselves or through their unit) in
 * every group they belong to, and the open cases those items belong to or that they supervise.
 */
export async function homeFor(deps: Deps, teamId: string, userId: string, m: Messages): Promise<View> {
  const { db } = deps;
  const memberships = await db
    .selectFrom('members as mb')
    .innerJoin('groups as g', 'g.id', 'mb.group_id')
    .select(['g.id', 'g.time_zone', 'mb.unit_id'])
    .where('mb.team_id', '=', teamId)
    .where('mb.user_id', '=', userId)
    .execute();
  const groupIds = memberships.map((x) => x.id);
  const unitIds = memberships.flatMap((x) => (x.unit_id ? [x.unit_id] : []));
  const items = await listItems(db, { groupIds, owner: { userId, unitIds }, limit: ITEM_LIMIT });
  const caseIds = [...new Set(items.map((i) => i.case_id))];
  const cases = groupIds.length
    ? await db
        .selectFrom('cases')
        .select(['ref', 'title', 'status', 'supervisor_user_id'])
        .where('group_id', 'in', groupIds)
        .where('status', '<>', 'closed')
        .where((eb) => eb.or([eb('supervisor_user_id', '=', userId), ...(caseIds.length ? [eb('id', 'in', caseIds)] : [])]))
        .orderBy('opened_on')
        .limit(CASE_LIMIT)
        .execute()
    : [];
  const homeCases: HomeCase[] = cases.map((c) => ({ ref: c.ref, title: c.title, status: m.statusName(c.status), supervised: c.supervisor_user_id === userId }));
  return homeView({ items, zones: new Map(memberships.map((x) => [x.id, x.time_zone])), cases: homeCases, now: deps.clock.now() }, m);
}

/** App Home opened: publish the person's view (again on every visit: a lost event costs nothing). */
export const homeOpened: EventHandler = async ({ teamId, event, client }, deps) => {
  if (event.tab !== 'home' || typeof event.user !== 'string') return;
  const req = await requestFor(deps, { teamId, userId: event.user, channelId: typeof event.channel === 'string' ? event.channel : '' });
  await client.views.publish({ user_id: event.user, view: await homeFor(deps, teamId, event.user, req.m) });
};
