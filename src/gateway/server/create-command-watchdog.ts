/** Deadlines for Redis commands, kept by one timer. */
export interface CommandWatchdog {
  /** `reply`, or a rejection once it has waited `timeoutMs` without settling. */
  watch<T>(reply: Promise<T>): Promise<T>;
  /** Stops the timer. */
  close(): void;
}

/**
 * One interval timer that fails every command in flight past `timeoutMs` (checked every
 * `intervalMs`, oldest first), instead of a timer per command: @redis/client's own per-command
 * timeout (an AbortSignal, a timer and a DOMException each) cost a tenth of the gateway's CPU
 * per request under load. Turn it off in the client (`commandOptions.timeout: 0`).
 */
export function createCommandWatchdog(timeoutMs: number, intervalMs: number): CommandWatchdog {
  // Commands in flight, oldest first (a Set keeps insertion order), each with its start and reject.
  const inFlight = new Set<{ at: number; reject: (error: Error) => void }>();
  const timer = setInterval(() => {
    const deadline = performance.now() - timeoutMs;
    for (const command of inFlight) {
      if (command.at > deadline) break;
      inFlight.delete(command);
      command.reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    }
  }, intervalMs).unref();
  return {
    watch: (reply) =>
      new Promise((resolve, reject) => {
        const command = { at: performance.now(), reject };
        inFlight.add(command);
        reply.then(
          (value) => inFlight.delete(command) && resolve(value),
          (error: unknown) => inFlight.delete(command) && reject(error),
        );
      }),
    close: () => clearInterval(timer),
  };
}
