import type { Logger } from '../logger.js';

/**
 * Runs `task` at once and then `intervalMs` after each run ends (never two runs at a time).
 * A failed run is logged by name and message only (errors may quote data) and the next one
 * goes ahead. The timer does not keep the process alive; stop() waits for a run in progress.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.task()
        .then(
          () => undefined,
          (err: unknown) => this.log.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, `${this.what} failed`),
        )
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
