import type { AttemptState } from "./attempt-state.ts";

/**
 * The abort signal for one provider call through the AI SDK (a translation): registered on
 * `state`, so a client that goes away cancels the call, and aborted with a TimeoutError once
 * `timeoutMs` have passed without a complete answer. `clear()` when the call has ended.
 */
export function createCallTimeout(
  state: AttemptState,
  timeoutMs: number,
): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  state.upstream = controller;
  const timer = setTimeout(
    () => controller.abort(new DOMException(`No complete answer within ${timeoutMs} ms`, "TimeoutError")),
    timeoutMs,
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
