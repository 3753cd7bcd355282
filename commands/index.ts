import type { AckFn, App, BlockAction, ButtonAction, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import { LATE, within } from '../src/lib/deadline.js';
import type { Messages } from '../src/i18n/index.js';
import { messagesFor } from '../src/i18n/index.js';
import { readMeta, readState } from '../src/slack/blocks/case-modals.js';
import { DatabaseAway, deliver, requestFor, runHandler, slackErrorCode, type Channel, type LogFields } from '../src/slack/deliver.js';
import { contextFor, type Ctx, type Deps, type Effects, type Request, type Submission } from '../src/slack/handler.js';
import type { Execute, Inbox, Run } from '../src/slack/inbox.js';
import { intakeSchema, requestKeyOf, withoutNul, type CommandIntake, type Intake, type ViewIntake } from '../src/slack/intake.js';
import { isChannelId, isDirectMessage } from '../src/slack/ids.js';
import { mrkdwn, type WebClient } from '../src/slack/kit.js';
import { respondVia } from '../src/slack/respond.js';
import { Limiter } from '../src/lib/limiter.js';
import { NotInstalled } from '../src/slack/clients.js';
import type { Surfaces } from '../src/features/feature.js';
import { fromSlackText } from '../src/slack/mrkdwn.js';
import { InvalidInput } from '../src/errors.js';
import { alreadyCarriedOut, firstDelivery } from '../src/services/scope.js';
import type { RequestOutcome, Surface } from '../src/lib/metrics.js';
import { inGroupChannelOnly } from './across-groups.js';

/**
 * The one place that connects Slack to docket. The features (src/features/index.ts) say what
 * docket answers; here each becomes a Bolt listener that turns Bolt's arguments into an Intake,
 * records it in the inbox, acks, and then runs it. A request taken over after a crash runs
 * through the same `executor`. Handlers never see Bolt.
 */

/**
 * Slack waits 3 s for an ack (Bolt answers 404 itself a moment later). Everything before the
 * ack shares this budget, counted from when the listener started: a form's user lookup and
 * checks, recording the request, and looking up the language of a refusal.
 */
const ACK_BUDGET_MS = 2300;
/** A form's user lookup gets at most this much of it, its checks at most this much. */
const PRE_ACK_LOOKUP_MS = 500;
const PRE_ACK_CHECKS_MS = 1200;
/** Recording the request is kept at least this much of the budget. */
const ADMIT_MIN_MS = 600;
/** A refusal learns the reader's language only if this much is left, and Slack answers that fast. */
const REFUSAL_LOOKUP_MS = 300;
/** Refusals of button presses being told to their people at once; more are acked without a word. */
const REFUSAL_NOTICES = 10;
/** A run's user lookup (locale): past this, the answer goes out in English rather than late. */
const RUN_LOOKUP_MS = 1500;

/** The last log line of a request refused or dropped before the inbox (the inbox writes it for the rest). */
function finished(deps: Deps, key: string | undefined): void {
  deps.log.debug({ key }, 'done');
}

/** The metrics' words for where a request came in (the glossary's: a view is a form). */
const SURFACE: Record<Intake['kind'], Surface> = { command: 'command', button: 'button', view: 'form' };
const nameOf = (i: Intake): string => (i.kind === 'command' ? i.command : i.kind === 'button' ? i.actionId : i.callbackId);

/** Counts a request's end; `name` is a registered command, button or form, never typed text. */
function counted(deps: Deps, i: Intake, outcome: RequestOutcome): void {
  deps.metrics.requests.inc({ surface: SURFACE[i.kind], name: nameOf(i), outcome });
}

/** Slack has its ack: how long it took from the listener's start. */
function acked(deps: Deps, surface: Surface, startedAt: number): void {
  deps.metrics.ackSeconds.observe({ surface }, (Date.now() - startedAt) / 1000);
}

/** A form's checks, done before its ack by the process that received it. */
interface PreparedForm {
  req: Request;
  run: () => Promise<Effects>;
}

function channelOfView(i: ViewIntake): string {
  const channel = readMeta(i.privateMetadata).channel;
  return isChannelId(channel) ? channel : '';
}

function idsOf(i: Intake) {
  return { teamId: i.teamId, userId: i.userId, channelId: i.kind === 'view' ? channelOfView(i) : i.channelId, requestKey: requestKeyOf(i) };
}

function channelFor(i: Intake, client: WebClient, run: Pick<Run, 'late'>): Channel {
  if (i.kind === 'view') return { client };
  return { client, ...(i.responseUrl ? { respond: respondVia(i.responseUrl) } : {}), ...(run.late ? {} : { triggerId: i.triggerId }) };
}

function logFields(i: Intake): LogFields {
  if (i.kind === 'command') return { kind: 'command', name: i.command };
  return i.kind === 'button' ? { kind: 'action', name: i.actionId } : { kind: 'view', name: i.callbackId };
}

/**
 * A late answer says so. A form can no longer open (its trigger expired long ago), and a run
 * that changed nothing because the first run already had says that instead of nothing.
 */
function late(e: Effects, m: Messages): Effects {
  const base = e.reply ?? { text: e.modal ? m.formExpired : m.carriedOutEarlier };
  const blocks = base.blocks && base.blocks.length < 50 ? [{ type: 'context' as const, elements: [mrkdwn(m.lateAnswer)] }, ...base.blocks] : base.blocks;
  return {
    ...(e.outbox ? { outbox: e.outbox } : {}),
    ...(e.replaceOriginal ? { replaceOriginal: true } : {}),
    reply: { text: `${m.lateAnswer}\n${base.text}`, ...(blocks ? { blocks } : {}) },
  };
}

async function runCommand(s: Surfaces, i: CommandIntake, ctx: Ctx, fields: LogFields): Promise<Effects> {
  const mod = s.commands.get(i.command);
  if (!mod) return {};
  const cmd = mod.parse(fromSlackText(i.text));
  fields.sub = cmd.sub;
  try {
    // A direct message is no group's channel: it reads across the reader's groups, and changes nothing.
    if (isDirectMessage(ctx.channelId) && !(mod.inDirectMessage ?? ['help']).includes(cmd.sub)) return await inGroupChannelOnly(ctx);
    return await mod.handle(cmd, ctx);
  } catch (err) {
    // Rules deep in a service do not know which command asked; the usage line is added here.
    if (err instanceof InvalidInput && !err.usage) throw new InvalidInput(err.render, mod.usageOf(cmd.sub));
    throw err;
  }
}

/** A form's checks: its errors (shown inline, before the ack) or the change to run after it. */
function submitForm(s: Surfaces, i: ViewIntake, ctx: Ctx): Promise<Submission> {
  const form = s.forms.get(i.callbackId);
  return form ? form(i.values, readMeta(i.privateMetadata), ctx) : Promise.resolve({ run: async () => ({}) });
}

async function route(s: Surfaces, i: Intake, ctx: Ctx, fields: LogFields, prepared: PreparedForm | undefined): Promise<Effects> {
  switch (i.kind) {
    case 'command':
      return runCommand(s, i, ctx, fields);
    case 'button': {
      const button = s.buttons.get(i.actionId);
      return button ? button(i.value, ctx) : {};
    }
    case 'view': {
      if (prepared) return prepared.run();
      const sub = await submitForm(s, i, ctx);
      return 'errors' in sub ? { reply: { text: Object.values(sub.errors).join('\n') } } : sub.run();
    }
  }
}

/** Runs one kept request and answers it; answers how it ended. */
async function answer(s: Surfaces, deps: Deps, i: Intake, run: Run): Promise<RequestOutcome> {
  let client: WebClient;
  try {
    // The request's own workspace answers it, with its token.
    client = await deps.clients.forTeam(i.teamId);
  } catch (err) {
    if (!(err instanceof NotInstalled)) throw err;
    // Uninstalled since it came in (a request taken over late): nobody there to answer.
    deps.log.warn({ key: requestKeyOf(i), team: i.teamId }, 'request for a workspace docket is not installed in');
    return 'gave_up';
  }
  const prepared = run.prepared as PreparedForm | undefined;
  const req = prepared?.req ?? (await requestFor(deps, idsOf(i), RUN_LOOKUP_MS));
  const ch = channelFor(i, client, run);
  if (run.giveUp) {
    // An earlier run may have made the change and died before answering: say which it was.
    const done = await alreadyCarriedOut(deps.db, i.teamId, requestKeyOf(i)).catch(() => false);
    await deliver(deps, ch, req, { reply: { text: done ? req.m.carriedOutEarlier : req.m.requestDropped } });
    return 'gave_up';
  }
  const fields = logFields(i);
  let effects: Effects;
  try {
    effects = await runHandler(deps, req, fields, () => route(s, i, contextFor(deps, req), fields, prepared));
  } catch (err) {
    if (!(err instanceof DatabaseAway)) throw err;
    if (!run.late) await deliver(deps, ch, req, { reply: { text: req.m.requestKept } });
    return 'retry';
  }
  await deliver(deps, ch, req, run.late ? late(effects, req.m) : effects);
  return fields.outcome ?? 'ok';
}

/**
 * Runs one kept request and answers it: live after its ack, or late after a takeover. Counted
 * and timed from the start of the run to the answer having gone out, whatever way it ended.
 */
export function executor(s: Surfaces, deps: Deps): Execute {
  return async (i, run) => {
    const started = performance.now();
    let outcome: RequestOutcome = 'failed';
    try {
      outcome = await answer(s, deps, i, run);
      return outcome === 'retry' ? 'retry' : 'done';
    } finally {
      // A request taken over from the inbox may name something this deploy no longer registers.
      const known = i.kind === 'command' ? s.commands.has(i.command) : i.kind === 'button' ? s.buttons.has(i.actionId) : s.forms.has(i.callbackId);
      deps.metrics.requests.inc({ surface: SURFACE[i.kind], name: known ? nameOf(i) : 'other', outcome });
      deps.metrics.requestSeconds.observe({ surface: SURFACE[i.kind] }, (performance.now() - started) / 1000);
    }
  };
}

/** How a listener answers Slack before its ack: accept, or refuse with a short text the person sees. */
interface Answer {
  accept(): Promise<void>;
  refuse(text: string): Promise<void>;
}

async function readerOf(deps: Deps, teamId: string, userId: string, leftMs: number): Promise<Messages> {
  if (leftMs < REFUSAL_LOOKUP_MS + 100) return messagesFor(undefined);
  return messagesFor((await deps.lookups.forTeam(teamId).userWithin(userId, REFUSAL_LOOKUP_MS))?.locale);
}

/**
 * Records the request, then acks; refuses at once when docket is full or cannot record it.
 * `startedAt`: when the listener began, for the ack's budget.
 */
async function receive(deps: Deps, inbox: Inbox, raw: unknown, answer: Answer, o: { startedAt: number; prepared?: PreparedForm }): Promise<void> {
  const parsed = intakeSchema.safeParse(withoutNul(raw));
  if (!parsed.success) {
    // The edge checks shapes first; this is a second line for anything it let through.
    deps.log.warn({ issue: parsed.error.issues[0]?.path.join('.') }, 'malformed request');
    await answer.accept();
    return;
  }
  const i = parsed.data;
  const key = requestKeyOf(i);
  const left = () => ACK_BUDGET_MS - (Date.now() - o.startedAt);
  const admission = await inbox.admit(i, left());
  switch (admission.kind) {
    case 'admitted':
      // Too late for Slack (it has shown the person an error): the request is kept and answered all the same.
      await answer.accept().catch((err: unknown) => deps.log.warn({ key, code: (err as { code?: string }).code ?? 'error' }, 'ack failed'));
      acked(deps, SURFACE[i.kind], o.startedAt);
      // Handed off (REQUESTS_RUN_IN=worker): a runner takes it from the inbox, and runs a form's checks again.
      if (inbox.runsWhatItReceives) await inbox.process(admission.id, i, { late: false, prepared: o.prepared });
      return;
    case 'duplicate':
      await answer.accept();
      acked(deps, SURFACE[i.kind], o.startedAt);
      counted(deps, i, 'duplicate');
      deps.log.info({ key }, 'duplicate request');
      finished(deps, key);
      return;
    case 'busy':
    case 'unavailable': {
      const m = o.prepared?.req.m ?? (await readerOf(deps, i.teamId, i.userId, left()));
      deps.log.warn({ key, why: admission.kind }, 'request refused');
      await answer.refuse(admission.kind === 'busy' ? m.busy : admission.certain ? m.databaseUnavailable : m.admissionUncertain);
      acked(deps, SURFACE[i.kind], o.startedAt);
      counted(deps, i, admission.kind);
      finished(deps, key);
    }
  }
}

/** For forms: a refusal shows on the form itself (Slack keeps it open), under its first input. */
function formRefusal(view: ViewSubmitAction['view'], ack: AckFn<ViewResponseAction>) {
  const first = view.blocks.find((b) => b.type === 'input')?.block_id;
  return (text: string) => (first ? ack({ response_action: 'errors', errors: { [first]: text } }) : ack());
}

/**
 * One Bolt listener per surface, which looks the command, button or form up itself: Bolt runs
 * every registered listener's matchers on every request, so one listener per registered name
 * (dozens of buttons and forms) cost every request dozens of middleware passes before its ack.
 * The edge has already answered whatever docket does not listen for; a name found in no
 * feature here is a test's own raw listener, left to it.
 */
export function registerListeners(app: App, s: Surfaces, deps: Deps, inbox: Inbox): void {
  const notices = new Limiter(REFUSAL_NOTICES);
  app.command(/^\//, async ({ ack, command }) => {
    if (!s.commands.has(command.command)) return;
    const startedAt = Date.now();
    const intake = {
      kind: 'command',
      command: command.command,
      text: command.text ?? '',
      teamId: command.team_id,
      userId: command.user_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      ...(command.response_url ? { responseUrl: command.response_url } : {}),
    };
    await receive(deps, inbox, intake, { accept: () => ack(), refuse: (text) => ack({ response_type: 'ephemeral', text }) }, { startedAt });
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ ack, body, action, client }) => {
    if (!s.buttons.has(action.action_id)) return;
    const startedAt = Date.now();
    const intake = {
      kind: 'button',
      actionId: action.action_id,
      value: action.value ?? '',
      // A button in a form has no team at the top (org-wide apps); its view carries one.
      teamId: body.team?.id ?? body.user.team_id ?? body.view?.team_id ?? '',
      userId: body.user.id,
      channelId: body.channel?.id ?? '',
      triggerId: body.trigger_id,
      ...(body.response_url ? { responseUrl: body.response_url } : {}),
    };
    // A button's ack carries no message: a refusal goes to the person separately, while few
    // such notices are on their way. Refusing means docket is overloaded: a thousand notices
    // posted at once would only add to it, and a person who hears nothing presses again.
    const refuse = async (text: string) => {
      await ack();
      if (notices.running >= notices.concurrency) return void deps.log.debug({ key: `act:${intake.triggerId}` }, 'refusal notice dropped');
      const ch: Channel = { client, ...(body.response_url ? { respond: respondVia(body.response_url) } : {}) };
      await notices.run(() => deliver(deps, ch, { teamId: intake.teamId, userId: intake.userId, channelId: intake.channelId, m: messagesFor(undefined) }, { reply: { text } }));
    };
    await receive(deps, inbox, intake, { accept: () => ack(), refuse }, { startedAt });
  });

  app.view(/.*/, async ({ ack: anyAck, body, view, client }) => {
    const callbackId = view.callback_id;
    if (!s.forms.has(callbackId)) return;
    const startedAt = Date.now();
    // Bolt types a view's ack for every kind of view event; a submission's takes a response action.
    const ack = anyAck as AckFn<ViewResponseAction>;
    const refuse = formRefusal(view, ack);
    const intake: ViewIntake = {
      kind: 'view',
      callbackId,
      viewId: view.id,
      teamId: body.team?.id ?? view.team_id,
      userId: body.user.id,
      values: readState(view.state as never),
      privateMetadata: view.private_metadata ?? '',
    };
    const req = await requestFor(deps, idsOf(intake), PRE_ACK_LOOKUP_MS);
    // Full already: say so before spending the checks' time and connections on it.
    if (inbox.full) {
      await refuse(req.m.busy);
      acked(deps, 'form', startedAt);
      counted(deps, intake, 'busy');
      finished(deps, req.requestKey);
      return;
    }
    let submission: Submission | undefined;
    const checkFields: LogFields = { kind: 'view', name: callbackId };
    const checks = runHandler(deps, req, checkFields, async () => {
      submission = await submitForm(s, intake, contextFor(deps, req));
      return {};
    }).catch((err: unknown) => {
      if (err instanceof DatabaseAway) return 'away' as const;
      throw err;
    });
    const checksMs = Math.min(PRE_ACK_CHECKS_MS, ACK_BUDGET_MS - ADMIT_MIN_MS - (Date.now() - startedAt));
    const failure = await within(checks, checksMs);
    if (failure === LATE || failure === 'away') {
      await refuse(failure === LATE ? req.m.busy : req.m.databaseUnavailable);
      acked(deps, 'form', startedAt);
      counted(deps, intake, failure === LATE ? 'busy' : 'unavailable');
      finished(deps, req.requestKey);
      return;
    }
    if (submission && 'errors' in submission) {
      await ack({ response_action: 'errors', errors: submission.errors });
      acked(deps, 'form', startedAt);
      counted(deps, intake, 'refused');
      finished(deps, req.requestKey);
      return;
    }
    if (!submission) {
      // Refused before anything could change (not a member, no such case): nothing to keep.
      await ack();
      acked(deps, 'form', startedAt);
      await deliver(deps, { client }, req, failure);
      counted(deps, intake, checkFields.outcome ?? 'refused');
      finished(deps, req.requestKey);
      return;
    }
    const run = submission.run;
    await receive(deps, inbox, intake, { accept: () => ack(), refuse }, { startedAt, prepared: { req, run } });
  });

  // Events are retried when Slack thinks we were slow: each is handled once, by its event id.
  // Bolt acks them before these run, so a crash here loses the event; the features' events
  // are all safe to lose (a Home tab published again on the next visit, a greeting).
  for (const [name, handle] of s.events) {
    app.event(name, async ({ event, body, context, client }) => {
      const key = `event:${body.event_id}`;
      const started = performance.now();
      let outcome: RequestOutcome = 'failed';
      try {
        if (!(await firstDelivery(deps.db, body.team_id, key))) {
          outcome = 'duplicate';
          return;
        }
        await handle({ teamId: body.team_id, event: event as unknown as Record<string, unknown>, botUserId: context.botUserId, client }, deps);
        outcome = 'ok';
      } catch (err) {
        deps.log.warn({ kind: 'event', name, key, team: body.team_id, code: slackErrorCode(err) }, 'event failed');
      } finally {
        // Bolt acks events itself, before this runs: they have a run time, not an ack time.
        deps.metrics.requests.inc({ surface: 'event', name, outcome });
        if (outcome !== 'duplicate') deps.metrics.requestSeconds.observe({ surface: 'event' }, (performance.now() - started) / 1000);
        finished(deps, key);
      }
    });
  }
}
