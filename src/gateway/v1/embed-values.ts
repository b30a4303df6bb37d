import { embedMany } from "ai";
import type { AttemptState } from "./attempt-state.ts";
import type { ModelRoute } from "./create-model-routes.ts";
import type { GatewayContext } from "./gateway-context.ts";

/**
 * `values` embedded by the route's model through the provider layer, in one try (the gateway
 * retries), cancelled when the client goes away or the route's timeout passes.
 */
export function embedValues(
  context: GatewayContext,
  route: ModelRoute,
  state: AttemptState,
  values: string[],
) {
  const controller = new AbortController();
  state.upstream = controller;
  return embedMany({
    model: context.registry.embeddingModel(route.resolved),
    values,
    maxRetries: 0,
    abortSignal: AbortSignal.any([controller.signal, AbortSignal.timeout(route.timeoutMs)]),
  });
}
