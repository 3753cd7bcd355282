import { deliverOutbox, type DeliverOutbox } from './deliver-outbox.js';
import type { JobDefinition } from './types.js';

export type { JobContext, JobDefinition, JobHandler, WorkerDeps } from './types.js';

/**
 * Background jobs, one file per kind, registered here in one typed map: a job name without a
 * handler does not compile, and each entry carries its own retry settings.
 */
export interface JobPayloads {
  'outbox.deliver': DeliverOutbox;
}
export type JobName = keyof JobPayloads;

export const jobs: { [K in JobName]: JobDefinition<JobPayloads[K]> } = {
  // Transient failures (Slack 5xx, timeouts, network) back off 2 s, 4 s, … : about 4 minutes in
  // all. Waiting for a channel's turn or a 429 is not a failure and uses no attempt.
  'outbox.deliver': { ...deliverOutbox, attempts: 8, backoff: { type: 'exponential', delay: 2000 } },
};

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobs, name);
}
