/** What `within` answers when the promise did not settle in time. */
export const LATE = Symbol('late');

/**
 * The promise's value, or LATE once `ms` have passed (the promise goes on; a rejection after
 * that is dropped, so the caller must not need it). For work that must fit a deadline, such as
 * a Slack ack.
 */
export function within<T>(p: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), Math.max(0, ms));
  });
  p.catch(() => undefined); // settled after the deadline: nobody is listening any more
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
