import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import { hostname } from "node:os";
import type { LlmuxConfig } from "../../core/load-config.ts";
import { RequestError } from "../openai/request-error.ts";
import { isLoopbackHost } from "./is-loopback-host.ts";

/**
 * Checks a request's Host and Origin before it is routed; true when it was answered already (a
 * CORS preflight). Throws a 403 RequestError for a Host or an Origin not allowed.
 */
export type BrowserGuard = (req: IncomingMessage, res: ServerResponse) => boolean;

// Headers a configured origin's page may send besides the ones its preflight asks for.
const ALLOWED_HEADERS = ["authorization", "content-type", "anthropic-version", "x-api-key"];
const ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
const EXPOSED_HEADERS = "retry-after, x-llmux-model, x-request-id";
const PREFLIGHT_MAX_AGE_SECONDS = 600;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const SHOWN_LIMIT = 200;

/**
 * The gateway's browser boundary. DNS rebinding: a page of evil.example whose name is made to
 * resolve to 127.0.0.1 reaches the gateway as same-origin, so a Host header naming anything but
 * the gateway's own names is refused: an IP address, `localhost` and `*.localhost`, the listen
 * address, this machine's host name when listening beyond loopback, and gateway.allowedHosts /
 * LLMUX_ALLOWED_HOSTS. The port is not compared: only a name can be rebound, and a port mapping
 * (Docker's -p 8080:4000) changes it. A request without a Host header is no browser's.
 *
 * Cross-site calls: an Origin other than the gateway's own (`http(s)://<its Host>`) is refused
 * unless gateway.allowedOrigins / LLMUX_ORIGINS lists it; those get CORS headers and preflights.
 */
export function createBrowserGuard(config: LlmuxConfig, listenHost: string): BrowserGuard {
  const settings = config.file.gateway;
  const extraHosts = [...settings.allowedHosts, ...splitList(config.env.LLMUX_ALLOWED_HOSTS)];
  const origins = [...settings.allowedOrigins, ...splitList(config.env.LLMUX_ORIGINS)];
  const ownNames = ["localhost", "*.localhost"];
  const bareListen = listenHost.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIP(bareListen) === 0) ownNames.push(bareListen);
  if (!isLoopbackHost(listenHost)) {
    const machine = hostname().toLowerCase();
    ownNames.push(machine, `${machine}.local`);
  }
  const hostAllowed = compilePatterns([...ownNames, ...extraHosts]);
  const originAllowed = compilePatterns(origins);

  return (req, res) => {
    const host = req.headers.host;
    if (host !== undefined) {
      const name = hostName(host);
      if (isIP(name) === 0 && !hostAllowed(name)) {
        throw new RequestError(
          403,
          `Host ${shown(host)} is not allowed: this gateway answers to IP addresses, ${[...ownNames, ...extraHosts].join(", ")} (against DNS rebinding). To allow another name, add it to gateway.allowedHosts in the config or to LLMUX_ALLOWED_HOSTS`,
          { code: "host_not_allowed" },
        );
      }
    }
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    if (host !== undefined && isSameOrigin(origin, host)) return false;
    if (!originAllowed(origin)) {
      throw new RequestError(
        403,
        `Origin ${shown(origin)} is not allowed to call this gateway: only its own pages are. To allow another site, add its origin to gateway.allowedOrigins in the config or to LLMUX_ORIGINS`,
        { code: "origin_not_allowed" },
      );
    }
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    const requestedMethod = req.headers["access-control-request-method"];
    if (req.method !== "OPTIONS" || requestedMethod === undefined) {
      res.setHeader("vary", "Origin");
      return false;
    }
    const requested = (req.headers["access-control-request-headers"] ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter((name) => HEADER_NAME.test(name) && !ALLOWED_HEADERS.includes(name));
    res.writeHead(204, {
      "access-control-allow-methods": ALLOWED_METHODS,
      "access-control-allow-headers": [...ALLOWED_HEADERS, ...requested].join(", "),
      "access-control-max-age": String(PREFLIGHT_MAX_AGE_SECONDS),
      vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    });
    res.end();
    return true;
  };
}

/** A comma-separated environment variable as a list (empty entries dropped). */
function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/**
 * Whether a value matches one of `patterns`, case-insensitively; `*` in a pattern matches any
 * characters (so `*` alone matches everything, `http://localhost:*` any port of localhost).
 */
function compilePatterns(patterns: readonly string[]): (value: string) => boolean {
  if (patterns.length === 0) return () => false;
  const alternatives = patterns.map((pattern) =>
    pattern
      .toLowerCase()
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*"),
  );
  const regex = new RegExp(`^(?:${alternatives.join("|")})$`, "is");
  return (value) => regex.test(value);
}

/** The name in a Host header, lowercase, without its port or an IPv6 address's brackets. */
function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end < 0 ? value : value.slice(1, end);
  }
  const colon = value.indexOf(":");
  return colon < 0 ? value : value.slice(0, colon);
}

function isSameOrigin(origin: string, host: string): boolean {
  const value = origin.toLowerCase();
  const own = host.trim().toLowerCase();
  return value === `http://${own}` || value === `https://${own}`;
}

/** A header value as a message may quote it: clipped, control characters escaped by JSON. */
function shown(value: string): string {
  return JSON.stringify(value.length > SHOWN_LIMIT ? `${value.slice(0, SHOWN_LIMIT)}…` : value);
}
