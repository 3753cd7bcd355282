import type { Role } from '../../domain/roles.js';
import { esc } from '../../lib/text.js';
import type { Describers } from '../../platform/timeline/timeline.js';
import type { GroupSettings } from '../../services/groups.service.js';

type Unit = { id: number; name: string };
type Contact = { id: number; contact_user_id: string | null };
type Membership = { user_id: string; role?: Role; unit_id?: number | null };

/** What a group records in its audit log (not on any case), kind by kind. */
export type GroupEvents = {
  'group.setup': { before: null; after: GroupSettings & { coordinator: string } };
  'group.settings': { before: Partial<GroupSettings>; after: Partial<GroupSettings> };
  'unit.added': { before: null; after: Unit & { contact_user_id: string | null } };
  'unit.renamed': { before: Unit; after: Unit };
  'unit.contact': { before: Contact; after: Contact };
  'unit.removed': { before: Unit; after: null };
  'member.added': { before: null; after: Required<Membership> };
  'member.updated': { before: Membership; after: Membership };
  'member.removed': { before: Required<Membership>; after: null };
  /** Two tiers: channels of the child and parent groups. */
  'group.link_requested': { before: null; after: Link };
  'group.linked': { before: null; after: Link };
  'group.unlinked': { before: Link; after: null };
  /** docket's own entries, in each group of a workspace that uninstalled it or installed it again (OAuth). */
  'workspace.uninstalled': { before: null; after: { reason: 'app_uninstalled' | 'tokens_revoked'; schedules: number; messages: number } };
  'workspace.reinstalled': { before: null; after: { schedules: number; messages: number } };
};

type Link = { child: string; parent: string };

export const groupTimeline: Describers<GroupEvents> = {
  'group.setup': ({ after }, { m }) => m.groupEvent.setup(esc(after.name)),
  'group.settings': ({ after }, { m }) => m.groupEvent.settings(m.list(Object.keys(after))),
  'unit.added': ({ after }, { m }) => m.groupEvent.unitAdded(esc(after.name)),
  'unit.renamed': ({ before, after }, { m }) => m.groupEvent.unitRenamed(esc(before.name), esc(after.name)),
  // The unit's name is not recorded with a contact change: it is shown by number.
  'unit.contact': ({ after }, { m }) => m.groupEvent.unitContact(`#${after.id}`, after.contact_user_id),
  'unit.removed': ({ before }, { m }) => m.groupEvent.unitRemoved(esc(before.name)),
  'member.added': ({ after }, { m }) => m.groupEvent.memberAdded(after.user_id),
  'member.updated': ({ after }, { m }) => m.groupEvent.memberUpdated(after.user_id),
  'member.removed': ({ before }, { m }) => m.groupEvent.memberRemoved(before.user_id),
  'group.link_requested': ({ after }, { m }) => m.linkEvent.requested(after.parent),
  'group.linked': ({ after }, { m }) => m.linkEvent.linked(after.child, after.parent),
  'group.unlinked': ({ before }, { m }) => m.linkEvent.unlinked(before.child, before.parent),
  'workspace.uninstalled': ({ after }, { m }) => m.groupEvent.workspaceUninstalled(after.reason, after.messages),
  'workspace.reinstalled': ({ after }, { m }) => m.groupEvent.workspaceReinstalled(after.messages),
};
