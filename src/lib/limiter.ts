/** A task that was still waiting for a slot when the limiter was told to stop. */
export class Cancelled extends Error {
  override name = 'Cancelled';
}

/**
 * Runs at most `concurrency` tasks at once; the rest wait in order. `queued` lets a caller
 * refuse new work once too much is waiting, instead of queueing without bound.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: { go: () => void; cancel: () => void }[] = [];

  constructor(readonly concurrency: number) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((go, reject) => this.waiting.push({ go, cancel: () => reject(new Cancelled()) }));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next task, so `active` never dips and a newcomer cannot jump the queue.
      if (next) next.go();
      else this.active--;
    }
  }

  /** Every task still waiting rejects with Cancelled and never starts; running ones go on. */
  cancelWaiting(): number {
    const dropped = this.waiting.splice(0);
    for (const w of dropped) w.cancel();
    return dropped.length;
  }
}
