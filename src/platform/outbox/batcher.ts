import type { Db } from '../../db/database.js';
import { deliverBatch, type Delivery, type DeliveryInput } from './engine.js';
import type { OutboxKinds } from './kinds.js';
import { claimMany, type Claim, type ClaimRequest } from './outbox.repo.js';

/**
 * Group commit: callers submit one item each and wait for its answer, and items go to `run`
 * in batches of at most `maxBatch`, at most `maxInFlight` batches at a time. With nothing in
 * flight an item goes at once (alone, under light load). While batches are in flight, items
 * wait for one to finish, for `fill` of them to gather, or `lingerMs`, whichever comes first:
 * so the busier, the larger the batches, and the fewer round trips and commits per item,
 * while a batch stuck on a slow post holds the others back by `lingerMs` at most. A batch that
 * fails fails each of its items with its error.
 */
export class Coalescer<I, O> {
  private pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;
  private linger: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly o: { maxBatch: number; maxInFlight: number; fill?: number; lingerMs?: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || this.pending.length === 0 || this.inFlight >= this.o.maxInFlight) return;
    const fill = Math.min(this.o.fill ?? 1, this.o.maxBatch);
    if (this.inFlight > 0 && this.pending.length < fill) {
      this.linger ??= setTimeout(() => {
        this.linger = undefined;
        this.flushSoon();
      }, this.o.lingerMs ?? 0);
      return;
    }
    this.flushSoon();
  }

  private flushSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // The items submitted in this turn of the event loop go together.
    setImmediate(() => {
      this.scheduled = false;
      if (this.linger) clearTimeout(this.linger);
      this.linger = undefined;
      this.flush();
    });
  }

  private flush(): void {
    while (this.pending.length > 0 && this.inFlight < this.o.maxInFlight) {
      const batch = this.pending.splice(0, this.o.maxBatch);
      this.inFlight++;
      this.run(batch.map((b) => b.item))
        .then(
          (answers) => batch.forEach((b, i) => b.resolve(answers[i]!)),
          (err: unknown) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          this.inFlight--;
          this.kick();
        });
    }
  }
}

export interface BatchLimits {
  /** Claims per statement, and claim statements running at once. */
  claimBatch: number;
  claimsInFlight: number;
  /** Messages per delivery transaction, and delivery transactions (each holds a connection while it posts) at once. */
  deliveryBatch: number;
  deliveriesInFlight: number;
  /** While others are in flight, a batch waits for this many, or lingerMs (see Coalescer). */
  fill: number;
  lingerMs: number;
}

/**
 * At most `max` per claim statement and per delivery transaction, and `inFlight` delivery
 * transactions at a time (see WorkerConfig.batchesInFlight); two claim statements at a time.
 * With max = 1 every job claims and delivers on its own (the engine as it was before
 * batching; the benchmarks' comparison).
 */
export function batchLimits(max: number, inFlight: number): BatchLimits {
  if (max <= 1) return { claimBatch: 1, claimsInFlight: 1000, deliveryBatch: 1, deliveriesInFlight: 1000, fill: 1, lingerMs: 0 };
  return { claimBatch: 2 * max, claimsInFlight: 2, deliveryBatch: max, deliveriesInFlight: Math.max(1, inFlight), fill: Math.ceil(max / 5), lingerMs: 10 };
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = batchLimits(50, 7);

/**
 * The worker's way to claim and deliver outbox rows: each job claims and delivers its one
 * row, and the jobs running at the same moment share statements and transactions (claimMany,
 * deliverBatch). What each job sees is what claimNext and deliverClaimed would answer it.
 */
export class BatchedDelivery {
  private readonly claims: Coalescer<ClaimRequest, Claim | undefined>;
  private readonly deliveries: Coalescer<DeliveryInput, Delivery | Error>;

  constructor(db: Db, kinds: OutboxKinds, leaseMs: number, limits: BatchLimits = DEFAULT_BATCH_LIMITS) {
    this.claims = new Coalescer(async (reqs) => {
      // One request per channel and statement (see claimMany); a second for the same channel goes in the next statement.
      const out = new Array<Claim | undefined>(reqs.length).fill(undefined);
      let rest = reqs.map((r, i) => ({ r, i }));
      while (rest.length > 0) {
        const seen = new Set<string>();
        const now: typeof rest = [];
        const later: typeof rest = [];
        for (const x of rest) {
          if (seen.has(x.r.channel)) later.push(x);
          else {
            seen.add(x.r.channel);
            now.push(x);
          }
        }
        const got = await claimMany(db, now.map((x) => x.r), leaseMs);
        now.forEach((x, k) => (out[x.i] = got[k]));
        rest = later;
      }
      return out;
    }, { maxBatch: limits.claimBatch, maxInFlight: limits.claimsInFlight, fill: limits.fill, lingerMs: limits.lingerMs });
    this.deliveries = new Coalescer((ds) => deliverBatch(db, kinds, ds), { maxBatch: limits.deliveryBatch, maxInFlight: limits.deliveriesInFlight, fill: limits.fill, lingerMs: limits.lingerMs });
  }

  /** claimNext, sharing a statement with the claims asked for at the same moment. */
  claim(req: ClaimRequest): Promise<Claim | undefined> {
    return this.claims.submit(req);
  }

  /** deliverClaimed, sharing a transaction with the deliveries asked for at the same moment. */
  async deliver(d: DeliveryInput): Promise<Delivery> {
    const answer = await this.deliveries.submit(d);
    if (answer instanceof Error) throw answer;
    return answer;
  }
}
