import type { Trx } from '../db/database.js';
import type { Group } from '../db/groups.table.js';
import { findGroupByChannel } from '../db/groups.repo.js';
import { findMember } from '../db/members.repo.js';
import { can } from '../domain/roles.js';
import { Conflict, InvalidInput } from '../errors.js';
import { record } from '../features/timeline.js';
import { authorize, mutate, type Mutation, type Reader, type Scope } from './scope.js';

/**
 * Two tiers of groups: a child group reports to a parent group (a provincial office over the
 * prefectures' groups). Its cases stay its own; the parent's digest and statistics add its
 * figures. A link needs a coordinator of each side: whoever asks first leaves a request, the
 * other side's coordinator completes it (one who coordinates both links at once).
 */
export type LinkOutcome = { linked: true; child: Group; parent: Group } | { linked: false; other: Group };

const onGroup = (teamId: string, groupId: number, actor: string) => ({ teamId, groupId, actor });

/**
 * Both groups' rows locked in id order (two links asked at once cannot deadlock), and checked:
 * the child reports to no other group, and the link keeps two tiers. `side` says which of the
 * two is asking, for the refusal's wording.
 */
async function lockPair(trx: Trx, childId: number, parentId: number, side: 'child' | 'parent'): Promise<{ child: Group; parent: Group }> {
  const rows = await trx.selectFrom('groups').selectAll().where('id', 'in', [childId, parentId]).orderBy('id').forUpdate().execute();
  const child = rows.find((g) => g.id === childId)!;
  const parent = rows.find((g) => g.id === parentId)!;
  if (child.parent_group_id !== null && child.parent_group_id !== parent.id) {
    const current = await trx.selectFrom('groups').select('channel_id').where('id', '=', child.parent_group_id).executeTakeFirst();
    throw new Conflict((m) => (side === 'child' ? m.linkHasParent(current?.channel_id ?? '') : m.linkOtherHasParent(child.channel_id)));
  }
  const parentHasParent = parent.parent_group_id !== null;
  const childHasChildren = await trx.selectFrom('groups').select('id').where('parent_group_id', '=', child.id).limit(1).executeTakeFirst();
  if (parentHasParent || childHasChildren) throw new Conflict((m) => m.linkTwoTiers);
  return { child, parent };
}

/**
 * Asks, from the group `scope` (by one of its coordinators), to link with the group of
 * `otherChannel`: as its child (`side` 'child', `/docket parent #…`) or as its parent
 * ('parent', `/docket child #…`). Completes the link when the other side already asked, or
 * when the actor coordinates the other group too; otherwise leaves the request.
 */
export function requestLink(ctx: Reader, scope: Scope, otherChannel: string, side: 'child' | 'parent'): Promise<Mutation<LinkOutcome>> {
  authorize(scope, 'govern');
  return mutate(ctx, async (trx) => {
    const other = await findGroupByChannel(trx, ctx.teamId, otherChannel);
    if (!other) throw new InvalidInput((m) => m.linkNotAGroup(otherChannel));
    if (other.id === scope.group.id) throw new InvalidInput((m) => m.linkSelf);
    const ids = side === 'child' ? { child: scope.group.id, parent: other.id } : { child: other.id, parent: scope.group.id };
    const { child, parent } = await lockPair(trx, ids.child, ids.parent, side);
    if (child.parent_group_id === parent.id) return { linked: true as const, child, parent };
    const otherSide = side === 'child' ? 'parent' : 'child';
    const answered = await trx.selectFrom('group_link_requests').select('requested_by').where('child_group_id', '=', child.id).where('parent_group_id', '=', parent.id).where('side', '=', otherSide).executeTakeFirst();
    const theirs = await findMember(trx, other.id, ctx.userId);
    if (!answered && !(theirs && can(theirs.role, 'govern'))) {
      await trx
        .insertInto('group_link_requests')
        .values({ child_group_id: child.id, parent_group_id: parent.id, side, requested_by: ctx.userId })
        .onConflict((oc) => oc.columns(['child_group_id', 'parent_group_id', 'side']).doUpdateSet({ requested_by: ctx.userId, requested_at: new Date() }))
        .execute();
      await record(trx, onGroup(ctx.teamId, scope.group.id, ctx.userId), { kind: 'group.link_requested', before: null, after: { child: child.channel_id, parent: parent.channel_id } });
      return { linked: false as const, other };
    }
    const linkedChild = await trx.updateTable('groups').set({ parent_group_id: parent.id }).where('id', '=', child.id).returningAll().executeTakeFirstOrThrow();
    await trx.deleteFrom('group_link_requests').where('child_group_id', '=', child.id).execute();
    const entry = { kind: 'group.linked' as const, before: null, after: { child: child.channel_id, parent: parent.channel_id } };
    await record(trx, onGroup(ctx.teamId, child.id, ctx.userId), entry);
    await record(trx, onGroup(ctx.teamId, parent.id, ctx.userId), entry);
    return { linked: true as const, child: linkedChild, parent };
  });
}

/** The child group stops reporting to its parent (a coordinator of the child). */
export function unlinkParent(ctx: Reader, scope: Scope): Promise<Mutation<Group | null>> {
  authorize(scope, 'govern');
  return mutate(ctx, async (trx) => {
    const child = await trx.selectFrom('groups').selectAll().where('id', '=', scope.group.id).forUpdate().executeTakeFirstOrThrow();
    await trx.deleteFrom('group_link_requests').where('child_group_id', '=', child.id).where('side', '=', 'child').execute();
    if (child.parent_group_id === null) return null;
    const parent = await trx.selectFrom('groups').selectAll().where('id', '=', child.parent_group_id).executeTakeFirstOrThrow();
    await trx.updateTable('groups').set({ parent_group_id: null }).where('id', '=', child.id).execute();
    const entry = { kind: 'group.unlinked' as const, before: { child: child.channel_id, parent: parent.channel_id }, after: null };
    await record(trx, onGroup(ctx.teamId, child.id, ctx.userId), entry);
    await record(trx, onGroup(ctx.teamId, parent.id, ctx.userId), entry);
    return parent;
  });
}

/** The group's parent and children, for a reader of the group. */
export async function linksOf(ctx: Reader, scope: Scope): Promise<{ parent: Group | undefined; children: Group[] }> {
  authorize(scope, 'read');
  const [parent, children] = await Promise.all([
    scope.group.parent_group_id === null ? undefined : ctx.db.selectFrom('groups').selectAll().where('id', '=', scope.group.parent_group_id).executeTakeFirst(),
    ctx.db.selectFrom('groups').selectAll().where('parent_group_id', '=', scope.group.id).orderBy('name').execute(),
  ]);
  return { parent, children };
}
