import { uninstallWorkspace, type UninstallReason } from '../../services/installations.service.js';
import type { EventHandler, Feature } from '../feature.js';
import { installationsEn, installationsZh } from './messages.js';

/**
 * Slack says the workspace uninstalled docket, or revoked its bot token: everything of that
 * workspace stops (src/services/installations.service.ts), nothing of another. Slack retries an
 * event it thinks was not received; a repeat finds the workspace uninstalled and changes nothing.
 */
function uninstalled(reason: UninstallReason): EventHandler {
  return async ({ teamId, event }, deps) => {
    if (reason === 'tokens_revoked') {
      // User ids whose tokens went, by kind: docket holds bot tokens only.
      const bots = (event.tokens as { bot?: unknown } | undefined)?.bot;
      if (!Array.isArray(bots) || bots.length === 0) {
        deps.log.info({ team: teamId, reason, bot: false }, 'tokens revoked');
        return;
      }
    }
    const r = await uninstallWorkspace(deps.db, { teamId, reason, now: deps.clock.now() });
    // This process's clients and cached users of the workspace go now; other processes' within seconds.
    deps.lookups.forget(teamId);
    // Ids and counts only.
    deps.log.info({ team: teamId, reason, changed: r.changed, schedules: r.schedules, messages: r.messages, groups: r.groups }, 'workspace uninstalled');
  };
}

/**
 * Installed into many workspaces through OAuth: only such a deployment listens for these
 * events and asks Slack for them (src/features/index.ts `oauthFeatures`). Neither needs a scope.
 */
export const installations: Feature = {
  name: 'installations',
  events: { app_uninstalled: uninstalled('app_uninstalled'), tokens_revoked: uninstalled('tokens_revoked') },
  messages: { en: installationsEn, 'zh-CN': installationsZh },
};
