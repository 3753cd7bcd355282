import type { Db, Trx } from '../db/database.js';
import { markUninstalled } from '../db/installations.repo.js';
import { transaction } from '../db/transaction.js';
import { record } from '../features/timeline.js';
import { SYSTEM_ACTOR } from '../features/items/reminder-kinds.js';
import { failTeamMessages, restoreTeamMessages } from '../platform/outbox/outbox.repo.js';
import type { Scheduled } from '../platform/outbox/outbox.table.js';
import { resumeTeamSchedules, suspendTeamSchedules } from '../platform/schedules/schedules.repo.js';

/**
 * A workspace leaving docket, and coming back (deployments installed through OAuth). Slack
 * tells docket of the first with `app_uninstalled`, or `tokens_revoked` naming the bot; the
 * second is an install through `/slack/install` again. Everything of that workspace alone
 * changes, in one transaction, with an entry in each of its groups' audit logs.
 */

/** Why a workspace's messages were held back: the outbox rows' error, and what a re-install gives back. */
export const UNINSTALL_REASONS = ['app_uninstalled', 'tokens_revoked'] as const;
export type UninstallReason = (typeof UNINSTALL_REASONS)[number];

export interface Uninstalled {
  /** False when nothing changed: the workspace was not installed (already uninstalled: Slack retried the event). */
  changed: boolean;
  schedules: number;
  messages: number;
  groups: number;
}

/** Counts per group of rows that carry a group id (a schedule of no group counts for none). */
function perGroup(rows: { group_id: number | null }[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { group_id } of rows) if (group_id !== null) counts.set(group_id, (counts.get(group_id) ?? 0) + 1);
  return counts;
}

async function groupsOf(trx: Trx, teamId: string): Promise<number[]> {
  return (await trx.selectFrom('groups').select('id').where('team_id', '=', teamId).orderBy('id').execute()).map((g) => g.id);
}

/**
 * The workspace uninstalled docket: its token goes, its schedules are suspended (not deleted:
 * a re-install resumes them), and its messages not yet sent will not be. Idempotent: a repeated
 * event finds the workspace uninstalled and changes nothing.
 */
export async function uninstallWorkspace(db: Db, o: { teamId: string; reason: UninstallReason; now: Date }): Promise<Uninstalled> {
  return transaction(db, async (trx) => {
    if (!(await markUninstalled(trx, o.teamId, o.now))) return { changed: false, schedules: 0, messages: 0, groups: 0 };
    const schedules = await suspendTeamSchedules(trx, o.teamId, o.now);
    const messages = await failTeamMessages(trx, o.teamId, o.reason);
    const bySchedule = perGroup(schedules);
    const byMessage = perGroup(messages);
    const groups = await groupsOf(trx, o.teamId);
    for (const groupId of groups) {
      await record(trx, { teamId: o.teamId, groupId, actor: SYSTEM_ACTOR }, { kind: 'workspace.uninstalled', before: null, after: { reason: o.reason, schedules: bySchedule.get(groupId) ?? 0, messages: byMessage.get(groupId) ?? 0 } });
    }
    return { changed: true, schedules: schedules.length, messages: messages.length, groups: groups.length };
  });
}

/**
 * In the transaction of a re-install (the installation row already saved): the workspace's
 * schedules resume from `now`, and the messages the uninstall held back that are still ahead
 * go out after all. Answers those messages, to enqueue once the transaction has committed.
 */
export async function resumeWorkspaceIn(trx: Trx, teamId: string, now: Date): Promise<Scheduled[]> {
  const schedules = await resumeTeamSchedules(trx, teamId, now);
  const messages = await restoreTeamMessages(trx, teamId, UNINSTALL_REASONS, now);
  const bySchedule = perGroup(schedules);
  const byMessage = perGroup(messages);
  for (const groupId of await groupsOf(trx, teamId)) {
    await record(trx, { teamId, groupId, actor: SYSTEM_ACTOR }, { kind: 'workspace.reinstalled', before: null, after: { schedules: bySchedule.get(groupId) ?? 0, messages: byMessage.get(groupId) ?? 0 } });
  }
  return messages.map(({ id, fire_at, channel }) => ({ id, fire_at, channel }));
}
