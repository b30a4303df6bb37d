import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup as systemLookup } from "node:dns";
import type { LookupFunction, Socket } from "node:net";
import { isIP } from "node:net";
import { Agent, buildConnector } from "undici";
import { LlmuxError } from "../core/errors.ts";
import { isBlockedAddress } from "./is-blocked-address.ts";

/** Same signature as `dns.lookup`; tests pass one that maps made-up names to chosen addresses. */
export type Lookup = LookupFunction;

export interface GuardOptions {
  /** Allow loopback, private and link-local addresses (intranets, tests). Default false. */
  allowPrivate?: boolean;
  /** Host names that may resolve to private addresses while every other host stays guarded. */
  allowHosts?: readonly string[];
  lookup?: Lookup;
  connectTimeoutMs?: number;
}

function blocked(host: string, address: string, why: string): LlmuxError {
  const shown = host === address ? address : `${host} (${address})`;
  return new LlmuxError("blocked_address", `Refused to connect to ${shown}: ${why} address`, {
    hint: "llmux does not fetch local or private addresses by default; pass --allow-private to read an intranet page",
  });
}

/**
 * An undici Agent that judges the address it actually connects to (SSRF guard): every address a
 * host name resolves to is checked at connect time, so a public name resolving to 127.0.0.1
 * or a DNS answer that changes between hops (rebinding) is refused, on every redirect hop.
 */
export function createGuardedAgent(options: GuardOptions = {}): Agent {
  const baseLookup: Lookup = options.lookup ?? (systemLookup as Lookup);
  const allowHosts = new Set((options.allowHosts ?? []).map((h) => h.toLowerCase()));
  const isTrusted = (host: string) => options.allowPrivate === true || allowHosts.has(host.toLowerCase());

  const guardedLookup: Lookup = (hostname, lookupOptions: LookupOptions, callback) => {
    baseLookup(hostname, { ...lookupOptions, all: true }, (error, result) => {
      if (error) return callback(error, "", 0);
      const addresses: LookupAddress[] = Array.isArray(result)
        ? result
        : [{ address: result, family: isIP(result) }];
      const first = addresses[0];
      if (!first) {
        const notFound = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
        return callback(notFound, "", 0);
      }
      if (!isTrusted(hostname)) {
        for (const { address } of addresses) {
          const why = isBlockedAddress(address);
          if (why) return callback(blocked(hostname, address, why), "", 0);
        }
      }
      if (lookupOptions.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };

  const connector = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000, lookup: guardedLookup });
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const host = connectOptions.hostname;
    const trusted = isTrusted(host);
    // IP literals skip the lookup, so they are judged here.
    const literalWhy = trusted ? null : isBlockedAddress(host);
    if (literalWhy) return callback(blocked(host, host, literalWhy), null);
    connector(connectOptions, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error("connection failed"), null);
      // Belt and braces: the peer address itself, whatever path led to it.
      const remote = (socket as Socket).remoteAddress;
      const why = !trusted && remote ? isBlockedAddress(remote) : null;
      if (why && remote) {
        socket.destroy();
        return callback(blocked(host, remote, why), null);
      }
      callback(null, socket);
    });
  };
  return new Agent({ connect });
}
