/** Runs a task when a slot is free. */
type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** At most `limit` tasks run at once; the others wait their turn, first come first served. */
export function createLimiter(limit: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active < limit) active += 1;
    // A finishing task hands its slot straight to the next one, so `active` never overshoots.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
