/**
 * Interaction payloads shaped the way Slack shapes them (block_actions, view_submission,
 * view_closed, Events API envelopes), built from what Slack itself knows: the stored message
 * or view, and which element a person used with what choice. The local workspace page sends
 * only "block 4, element 1, chose X"; everything the app receives is derived here, so a page
 * cannot hand the bot anything Slack would not.
 */
type Obj = Record<string, any>;

export interface PayloadUser {
  id: string;
  name: string;
  teamId: string;
}

/** A choice made in an element: a picked option value, user, date, typed text, or several. */
export type Choice = string | string[] | null;

/** Where an element sits: `4` (an input block's element), `4.1` (an actions block's second element), `4.accessory`. */
export type ElementPath = string;

export const APP_ID = 'A0DOCKET';

function userOf(u: PayloadUser): Obj {
  return { id: u.id, username: u.name, name: u.name, team_id: u.teamId };
}

/** Slack gives every block a block_id; blocks sent without one get a generated id. */
export function blockIdOf(block: Obj, index: number): string {
  return typeof block.block_id === 'string' ? block.block_id : `b${index}`;
}

/** The element at `path` in `blocks`, with the id of its block; undefined if there is none. */
export function elementAt(blocks: Obj[], path: ElementPath): { blockId: string; element: Obj } | undefined {
  const [b, e] = path.split('.');
  const index = Number(b);
  const block = Number.isInteger(index) ? blocks[index] : undefined;
  if (!block) return undefined;
  let element: Obj | undefined;
  if (e === undefined) element = block.element;
  else if (e === 'accessory') element = block.accessory;
  else element = Array.isArray(block.elements) ? block.elements[Number(e)] : undefined;
  return element && typeof element === 'object' ? { blockId: blockIdOf(block, index), element } : undefined;
}

function optionsOf(el: Obj): Obj[] {
  const groups = Array.isArray(el.option_groups) ? el.option_groups.flatMap((g: Obj) => g.options ?? []) : [];
  return [...(Array.isArray(el.options) ? el.options : []), ...groups];
}

function optionFor(el: Obj, value: string | null | undefined): Obj | null {
  if (value === null || value === undefined) return null;
  return optionsOf(el).find((o) => o.value === value) ?? null;
}

const list = (c: Choice): string[] => (Array.isArray(c) ? c : c === null ? [] : [c]);
const one = (c: Choice): string | null => (Array.isArray(c) ? (c[0] ?? null) : c === '' ? null : c);

/** An element's value as it appears in `view.state.values` (and, merged with more, in an action). */
export function stateEntry(el: Obj, choice: Choice): Obj {
  const type = String(el.type);
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: one(choice) };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: optionFor(el, one(choice)) };
    case 'overflow':
      return { type, selected_option: optionFor(el, one(choice)) };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: list(choice).map((v) => optionFor(el, v)).filter(Boolean) };
    case 'users_select':
      return { type, selected_user: one(choice) };
    case 'multi_users_select':
      return { type, selected_users: list(choice) };
    case 'conversations_select':
      return { type, selected_conversation: one(choice) };
    case 'channels_select':
      return { type, selected_channel: one(choice) };
    case 'datepicker':
      return { type, selected_date: one(choice) };
    case 'timepicker':
      return { type, selected_time: one(choice) };
    default:
      return { type };
  }
}

/** `view.state.values` from a view's definition and the values a person entered, by element path. */
export function viewState(view: Obj, values: Record<ElementPath, Choice>): Obj {
  const state: Record<string, Obj> = {};
  const blocks = (view.blocks ?? []) as Obj[];
  for (const [path, choice] of Object.entries(values)) {
    const found = elementAt(blocks, path);
    if (!found || found.element.type === 'button' || typeof found.element.action_id !== 'string') continue;
    state[found.blockId] = { ...state[found.blockId], [found.element.action_id]: stateEntry(found.element, choice) };
  }
  return { values: state };
}

/** The action object of a block_actions payload for one element and choice. */
export function actionOf(element: Obj, blockId: string, choice: Choice, now = Date.now()): Obj {
  const action: Obj = { action_id: element.action_id, block_id: blockId, type: element.type, action_ts: (now / 1000).toFixed(6) };
  if (element.type === 'button') {
    action.text = element.text;
    if (element.value !== undefined) action.value = element.value;
    if (element.style !== undefined) action.style = element.style;
    if (element.url !== undefined) action.url = element.url;
    return action;
  }
  if (element.placeholder) action.placeholder = element.placeholder;
  const { type: _type, ...entry } = stateEntry(element, choice);
  return { ...action, ...entry };
}

/** The full view object Slack sends back to the app: what was stored, plus the state entered. */
export function viewForApp(view: Obj, state: Obj, botId: string): Obj {
  return {
    previous_view_id: null,
    root_view_id: view.id,
    app_id: APP_ID,
    external_id: '',
    app_installed_team_id: view.team_id,
    bot_id: botId,
    clear_on_close: false,
    notify_on_close: false,
    private_metadata: '',
    callback_id: '',
    ...view,
    state,
  };
}

interface Common {
  user: PayloadUser;
  triggerId: string;
}

/** A click (or pick) in a message. Ephemeral messages are not echoed back to the app, as in Slack. */
export function messageActionPayload(
  o: Common & { action: Obj; channel: { id: string; name: string }; message: Obj; ephemeral: boolean; responseUrl: string },
): Obj {
  return {
    type: 'block_actions',
    user: userOf(o.user),
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: o.message.ts, channel_id: o.channel.id, is_ephemeral: o.ephemeral },
    trigger_id: o.triggerId,
    team: { id: o.user.teamId, domain: 'local' },
    enterprise: null,
    is_enterprise_install: false,
    channel: o.channel,
    ...(o.ephemeral ? {} : { message: { type: 'message', ...o.message } }),
    state: { values: {} },
    response_url: o.responseUrl,
    actions: [o.action],
  };
}

/** A click (or pick) inside a modal or the App Home: no response_url; the view comes with its state. */
export function viewActionPayload(o: Common & { action: Obj; view: Obj }): Obj {
  return {
    type: 'block_actions',
    user: userOf(o.user),
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: o.view.id },
    trigger_id: o.triggerId,
    team: { id: o.user.teamId, domain: 'local' },
    enterprise: null,
    is_enterprise_install: false,
    view: o.view,
    actions: [o.action],
  };
}

export function viewSubmissionPayload(o: Common & { view: Obj }): Obj {
  return {
    type: 'view_submission',
    team: { id: o.user.teamId, domain: 'local' },
    user: userOf(o.user),
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    trigger_id: o.triggerId,
    view: o.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewClosedPayload(o: { user: PayloadUser; view: Obj }): Obj {
  return {
    type: 'view_closed',
    team: { id: o.user.teamId, domain: 'local' },
    user: userOf(o.user),
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    view: o.view,
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** An Events API delivery (JSON, acked by Bolt before listeners run). */
export function eventEnvelope(o: { teamId: string; botUserId: string; event: Obj; eventId: string; now?: number }): Obj {
  const now = o.now ?? Date.now();
  return {
    token: 'deprecated-verification-token',
    team_id: o.teamId,
    api_app_id: APP_ID,
    type: 'event_callback',
    event_id: o.eventId,
    event_time: Math.floor(now / 1000),
    event: { ...o.event, event_ts: (now / 1000).toFixed(6) },
    authorizations: [{ team_id: o.teamId, user_id: o.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
