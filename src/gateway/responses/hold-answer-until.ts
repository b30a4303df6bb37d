import type { ServerResponse } from "node:http";

/**
 * Holds what is written to `res` from now on (in order: writes, then the end) until `done`
 * settles. A stored Response's save is committed before the client sees it complete, so that
 * the client may ask any replica for it (GET, previous_response_id) as soon as it has the answer.
 */
export function holdAnswerUntil(res: ServerResponse, done: Promise<unknown>): void {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let queue = done.catch(() => undefined);
  res.write = ((...args: unknown[]) => {
    queue = queue.then(() => {
      write(...args);
    });
    return true;
  }) as ServerResponse["write"];
  res.end = ((...args: unknown[]) => {
    queue = queue.then(() => {
      end(...args);
    });
    return res;
  }) as ServerResponse["end"];
}
