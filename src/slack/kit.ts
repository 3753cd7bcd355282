/** Slack's types, through Bolt (which pins the versions of @slack/types and @slack/web-api). */
import type { types, webApi } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type View = types.View;
export type ModalView = types.ModalView;
export type Button = types.Button;
export type PlainTextOption = types.PlainTextOption;
export type InputBlock = types.InputBlock;
export type WebClient = webApi.WebClient;

export function plain(text: string): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text, emoji: true };
}

export function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text };
}

/** A message: `text` is the notification and screen-reader fallback for the blocks. */
export interface Message {
  text: string;
  blocks?: KnownBlock[];
  /**
   * Images shared in the channel right after a channel post (the weekly digest's chart). The
   * post is the message and goes out exactly once; a file that fails to upload is logged and
   * left out, never a reason to post the message again.
   */
  files?: MessageFile[];
}

export interface MessageFile {
  filename: string;
  title: string;
  /** Alt text for screen readers (Slack: at most 1,000 characters). */
  alt: string;
  bytes: Buffer;
}
