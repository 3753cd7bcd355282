/**
 * Ids shaped as Slack makes them. Every id from a payload (a command's channel, a form's user
 * picker, a button's value, a form's remembered channel) is checked against these before use,
 * and mentions are built only from ids that pass: a forged "U1> <!channel" must never become
 * a ping, nor a NUL byte reach Postgres.
 */
export const SLACK_ID = {
  team: /^[TE][A-Z0-9]{2,20}$/,
  user: /^[UW][A-Z0-9]{2,20}$/,
  channel: /^[CGD][A-Z0-9]{2,20}$/,
} as const;

export const isUserId = (id: string): boolean => SLACK_ID.user.test(id);
export const isChannelId = (id: string): boolean => SLACK_ID.channel.test(id);

/** A direct message with docket: Slack sends its id (`D…`, channel_name "directmessage") with a command typed there. */
export const isDirectMessage = (channelId: string): boolean => channelId.startsWith('D');
