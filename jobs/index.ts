/**
 * Background jobs, one file per kind, registered here in one typed map so that a job name
 * without a handler does not compile. (The first jobs arrive with reminders.)
 */
export interface JobDefinition<P> {
  /** Parses the stored payload: jobs outlive deploys, so payloads are `unknown` until checked. */
  parse(payload: unknown): P;
  run(payload: P): Promise<void>;
  attempts: number;
}

export const jobs: Record<string, JobDefinition<unknown>> = {};
