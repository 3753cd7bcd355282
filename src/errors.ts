import type { Messages } from './i18n/index.js';

/** Renders a user-facing text in the reader's language. */
export type Render = (m: Messages) => string;

/**
 * Errors that carry a user-facing message. `code` is safe to log; the rendered text is not
 * (it may quote user input such as a subject's name), so it is only ever sent to Slack.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  constructor(
    readonly render: Render,
    /** The usage line of the command that failed, shown under the message. */
    readonly usage?: Render,
  ) {
    super();
    this.name = new.target.name;
  }
  override get message(): string {
    return this.code;
  }
}

export class InvalidInput extends AppError {
  readonly code = 'invalid_input';
}
export class NotFound extends AppError {
  readonly code = 'not_found';
}
export class Forbidden extends AppError {
  readonly code = 'forbidden';
}
export class Conflict extends AppError {
  readonly code = 'conflict';
}

export function coerceError(err: unknown): Error {
  if (err instanceof Error) return err;
  return new Error(typeof err === 'string' ? err : 'non-error thrown');
}

/** The one place an error becomes text for a Slack user. Unknown errors never leak details. */
export function toUserReply(err: unknown, m: Messages): string {
  if (err instanceof AppError) {
    const text = err.render(m);
    return err.usage ? `${text}\n${m.usageLine(err.usage(m))}` : text;
  }
  return m.internalError;
}
