import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { claimRequest } from '../src/db/audit.repo.js';
import { InvalidInput, type Render } from '../src/errors.js';
import { findGroupByChannel } from '../src/db/groups.repo.js';
import { deliver, requestFor, runHandler, slackErrorCode, type Channel, type LogFields } from '../src/slack/deliver.js';
import type { Deps, Effects, Request } from '../src/slack/handler.js';
import { ACTIONS } from '../src/slack/blocks/case-card.js';
import { VIEWS, readMeta, readState } from '../src/slack/blocks/case-modals.js';
import { fromSlackText } from '../src/slack/mrkdwn.js';
import { ITEM_ACTIONS } from '../src/slack/blocks/action-item.js';
import { ACTION_VIEWS } from '../src/slack/blocks/action-modals.js';
import * as actionCommand from './action.js';
import { addItemButton, itemButton, submitAddItem, submitReassign, type ItemButton } from './action.interactions.js';
import { homeFor } from './home.js';
import * as caseCommand from './case.js';
import { caseButton, submitClose, submitEdit, submitNote, submitOpen, submitPlan, submitStatus, type Submission } from './case.interactions.js';
import * as docketCommand from './docket.js';

/**
 * The one place that connects Slack to docket. Every listener acks first, then builds a
 * Request, runs a handler, and delivers its effects. Handlers never see Bolt.
 */
interface CommandModule<C extends { sub: string }> {
  parse(text: string): C;
  handle(cmd: C, req: Request, deps: Deps): Promise<Effects>;
  /** The usage line of a subcommand, added to any bad-input reply that lacks one. */
  usageOf(sub: string): Render;
}

const commands: Record<string, CommandModule<any>> = {
  '/docket': docketCommand,
  '/case': caseCommand,
  '/action': actionCommand,
};

type Submitter = (values: Record<string, string | null>, meta: ReturnType<typeof readMeta>, req: Request, deps: Deps) => Promise<Submission>;

const submitters: Record<string, Submitter> = {
  [VIEWS.open]: submitOpen,
  [VIEWS.edit]: submitEdit,
  [VIEWS.note]: submitNote,
  [VIEWS.plan]: submitPlan,
  [VIEWS.status]: submitStatus,
  [VIEWS.close]: submitClose,
  [ACTION_VIEWS.add]: submitAddItem,
  [ACTION_VIEWS.reassign]: submitReassign,
};

const cardButtons = {
  [ACTIONS.show]: 'show',
  [ACTIONS.edit]: 'edit',
  [ACTIONS.status]: 'status',
  [ACTIONS.note]: 'note',
  [ACTIONS.close]: 'close',
} as const;

/** A form's checks run before its ack (Slack allows 3 s in all): the user lookup gets this much. */
const PRE_ACK_LOOKUP_MS = 800;
const itemButtons: Record<string, ItemButton> = {
  [ITEM_ACTIONS.done]: 'done',
  [ITEM_ACTIONS.snooze1h]: 'snooze1h',
  [ITEM_ACTIONS.snooze1d]: 'snooze1d',
  [ITEM_ACTIONS.snooze1w]: 'snooze1w',
  [ITEM_ACTIONS.reassign]: 'reassign',
  [ITEM_ACTIONS.reopen]: 'reopen',
  [ITEM_ACTIONS.show]: 'show',
};

/** The last log line of every request; tests wait for it instead of sleeping. */
function finished(deps: Deps, req: Request): void {
  deps.log.debug({ key: req.requestKey }, 'done');
}

export function registerListeners(app: App, deps: Deps): void {
  for (const [name, mod] of Object.entries(commands)) {
    app.command(name, async ({ ack, command, respond, client }) => {
      await ack();
      const req = await requestFor(deps, {
        teamId: command.team_id,
        userId: command.user_id,
        channelId: command.channel_id,
        // A retried or replayed command carries the same trigger id: it must not act twice.
        requestKey: `cmd:${command.trigger_id}`,
      });
      const fields: LogFields = { kind: 'command', name };
      const effects = await runHandler(deps, req, fields, async () => {
        const cmd = mod.parse(fromSlackText(command.text));
        fields.sub = cmd.sub;
        try {
          return await mod.handle(cmd, req, deps);
        } catch (err) {
          // Rules deep in a service do not know which command asked; the usage line is added here.
          if (err instanceof InvalidInput && !err.usage) throw new InvalidInput(err.render, mod.usageOf(cmd.sub));
          throw err;
        }
      });
      await deliver(deps, { client, respond, triggerId: command.trigger_id }, req, effects);
      finished(deps, req);
    });
  }

  const onButton = (run: (value: string, req: Request) => Promise<Effects>) =>
    async ({ ack, body, action, respond, client }: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction; respond: Channel['respond']; client: Channel['client'] }) => {
      await ack();
      const req = await requestFor(deps, {
        teamId: body.team?.id ?? body.user.team_id ?? '',
        userId: body.user.id,
        channelId: body.channel?.id ?? '',
        requestKey: `act:${body.trigger_id}`,
      });
      const effects = await runHandler(deps, req, { kind: 'action', name: action.action_id }, () => run(action.value ?? '', req));
      await deliver(deps, { client, ...(body.response_url ? { respond } : {}), triggerId: body.trigger_id }, req, effects);
      finished(deps, req);
    };

  for (const [actionId, what] of Object.entries(cardButtons)) {
    app.action<BlockAction<ButtonAction>>(actionId, onButton((ref, req) => caseButton(what, ref, req, deps)));
  }
  for (const [actionId, what] of Object.entries(itemButtons)) {
    app.action<BlockAction<ButtonAction>>(actionId, onButton((id, req) => itemButton(what, id, req, deps)));
  }
  app.action<BlockAction<ButtonAction>>(ITEM_ACTIONS.add, onButton((ref, req) => addItemButton(ref, req, deps)));
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.closeConfirm,
    onButton((value, req) => caseCommand.confirmClose(deps, req, caseCommand.parseCloseRequest(value))),
  );
  app.action<BlockAction<ButtonAction>>(
    docketCommand.DOCKET_ACTIONS.removeMember,
    onButton((user, req) => docketCommand.confirmRemoval(deps, req, { user })),
  );
  app.action<BlockAction<ButtonAction>>(
    docketCommand.DOCKET_ACTIONS.removeUnit,
    onButton((unit, req) => docketCommand.confirmRemoval(deps, req, { unit })),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.cancel,
    onButton(async (_v, req) => ({ reply: { text: req.m.cancelled }, replaceOriginal: true })),
  );

  for (const [callbackId, submit] of Object.entries(submitters)) {
    app.view(callbackId, async ({ ack, body, view, client }) => {
      const meta = readMeta(view.private_metadata);
      const req = await requestFor(deps, {
        teamId: body.team?.id ?? view.team_id,
        userId: body.user.id,
        channelId: meta.channel,
        // Double-clicked submit buttons send the same view twice.
        requestKey: `view:${view.id}`,
      }, PRE_ACK_LOOKUP_MS);
      let submission: Submission | undefined;
      const failure = await runHandler(deps, req, { kind: 'view', name: callbackId }, async () => {
        submission = await submit(readState(view.state as never), meta, req, deps);
        return {};
      });
      if (submission && 'errors' in submission) {
        await ack({ response_action: 'errors', errors: submission.errors });
      } else {
        await ack();
        const effects = submission ? await runHandler(deps, req, { kind: 'view', name: callbackId }, submission.run) : failure;
        await deliver(deps, { client }, req, effects);
      }
      finished(deps, req);
    });
  }

  // Events may arrive more than once (Slack retries when it thinks we were slow).
  app.event('app_home_opened', async ({ event, body, client }) => {
    const key = `event:${body.event_id}`;
    try {
      if (event.tab !== 'home') return;
      if (!(await claimRequest(deps.db, body.team_id, key))) return;
      const req = await requestFor(deps, { teamId: body.team_id, userId: event.user, channelId: event.channel });
      const view = await homeFor(deps, body.team_id, event.user, req.m);
      await client.views.publish({ user_id: event.user, view });
    } catch (err) {
      deps.log.warn({ kind: 'event', name: 'app_home_opened', code: slackErrorCode(err) }, 'home failed');
    } finally {
      deps.log.debug({ key }, 'done');
    }
  });

  app.event('member_joined_channel', async ({ event, body, context, client }) => {
    const teamId = body.team_id;
    const key = `event:${body.event_id}`;
    try {
      if (event.user !== context.botUserId) return;
      if (!(await claimRequest(deps.db, teamId, key))) return;
      if (await findGroupByChannel(deps.db, teamId, event.channel)) return;
      const req = await requestFor(deps, { teamId, userId: event.inviter ?? event.user, channelId: event.channel });
      await client.chat.postMessage({ channel: event.channel, text: req.m.welcome });
    } finally {
      deps.log.debug({ key }, 'done');
    }
  });
}
