import { DELIVERY_RETRY } from '../src/platform/outbox/queue.js';
import { deliverOutbox, type DeliverOutbox } from './deliver-outbox.js';
import { refreshMessage, type RefreshMessage } from './refresh-message.js';
import type { JobDefinition } from './types.js';

export type { JobContext, JobDefinition, JobHandler, WorkerDeps } from './types.js';

/**
 * Background jobs, one file per kind, registered here in one typed map: a job name without a
 * handler does not compile, and each entry carries its own retry settings.
 */
export interface JobPayloads {
  'outbox.deliver': DeliverOutbox;
  'outbox.refresh': RefreshMessage;
}
export type JobName = keyof JobPayloads;

export const jobs: { [K in JobName]: JobDefinition<JobPayloads[K]> } = {
  // The retry policy is the delivery engine's (src/platform/outbox/queue.ts), which enqueues these jobs.
  'outbox.deliver': { ...deliverOutbox, ...DELIVERY_RETRY },
  // Enqueued by the engine too (BullOutboxScheduler.refresh), with the same retry policy.
  'outbox.refresh': { ...refreshMessage, ...DELIVERY_RETRY },
};

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobs, name);
}
