import type { IncomingMessage } from "node:http";
import type { ModelRoute } from "../v1/create-model-routes.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import {
  headerValue,
  type Relay,
  type RelayOptions,
  type RelayResult,
  relayUpstream,
} from "../v1/relay-upstream.ts";
import { type AnthropicTarget, resolveAnthropicTarget } from "./resolve-anthropic-target.ts";

interface ForwardOptions extends Pick<RelayOptions, "res" | "stream" | "extraHeaders" | "state"> {
  context: GatewayContext;
  route: ModelRoute;
  req: IncomingMessage;
  /** "/messages" or "/messages/count_tokens". */
  path: string;
  body: string | Buffer;
  relay(url: string): Relay;
}

// A model route's target, resolved once (its key read, its base URL parsed).
const targets = new WeakMap<ModelRoute, AnthropicTarget>();

// Anthropic's API version when the client names none (its SDKs always do).
const DEFAULT_VERSION = "2023-06-01";

/**
 * Sends a Messages API body to an Anthropic upstream with the gateway's credentials: of the
 * client's headers only anthropic-version and anthropic-beta go along (never its own key or
 * authorization), so the upstream honours the same features the client asked for.
 */
export function forwardToAnthropic(options: ForwardOptions): Promise<RelayResult> {
  const { route, req } = options;
  let target = targets.get(route);
  if (!target) {
    target = resolveAnthropicTarget(route.resolved, options.context.config);
    targets.set(route, target);
  }
  const path = `${target.pathPrefix}${options.path}`;
  const beta = headerValue(req.headers["anthropic-beta"]);
  return relayUpstream({
    origin: target.origin,
    path,
    headers: {
      ...target.headers,
      "anthropic-version": headerValue(req.headers["anthropic-version"]) ?? DEFAULT_VERSION,
      ...(beta !== undefined && { "anthropic-beta": beta }),
      "content-type": "application/json",
      accept: options.stream ? "text/event-stream" : "application/json",
    },
    body: options.body,
    relay: options.relay(`${target.origin}${path}`),
    res: options.res,
    stream: options.stream,
    timeoutMs: route.timeoutMs,
    extraHeaders: options.extraHeaders,
    state: options.state,
  });
}
