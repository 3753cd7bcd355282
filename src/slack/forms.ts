import { AppError } from '../errors.js';
import type { Messages } from '../i18n/index.js';

/**
 * Reads a submitted form field by field. A field that does not pass gets its message
 * inline (Slack shows it under the input); the others are still read, so every mistake
 * shows at once.
 */
export class FormReader {
  readonly errors: Record<string, string> = {};
  constructor(
    private readonly values: Record<string, string | null>,
    private readonly m: Messages,
  ) {}

  read<T>(blockId: string, fn: (raw: string | null) => T): T | undefined {
    try {
      return fn(this.values[blockId] ?? null);
    } catch (err) {
      this.refuse(blockId, err);
      return undefined;
    }
  }

  /** A check that needs the database (a rule of the service): its refusal shows under `blockId`. */
  async check(blockId: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.refuse(blockId, err);
    }
  }

  /** A refusal (AppError) becomes the field's message; anything else is a fault and goes on up. */
  private refuse(blockId: string, err: unknown): void {
    if (!(err instanceof AppError)) throw err;
    this.errors[blockId] = err.render(this.m);
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }
}
