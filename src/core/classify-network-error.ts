import { type ErrorKind, LlmuxError } from "./errors.ts";

/** What was being reached when the connection failed: it picks the hint, never the kind. */
interface NetworkTarget {
  reaching: "provider" | "page" | "download";
  /** Named in the message: a provider's label, or a host. */
  name: string;
  /** Appended to the message, e.g. how far a download got. */
  suffix?: string;
}

type NetworkKind = Extract<ErrorKind, "dns" | "connection_refused" | "tls" | "timeout" | "network">;

// The kind follows the failure, whoever was being reached; only the advice differs.
const HINTS: Record<NetworkKind, Record<NetworkTarget["reaching"], string>> = {
  dns: {
    provider: "Check your connection, DNS and the provider's base URL",
    page: "Check the address for typos and your network connection",
    download: "Check the URL and your network connection",
  },
  connection_refused: {
    provider: "Is the server running? Check the provider's base URL",
    page: "The server is down or the port is wrong",
    download: "The server is down or the URL's port is wrong",
  },
  tls: {
    provider: "The server's certificate is not trusted; check the base URL and the system clock",
    page: "The site's certificate is not trusted; check the address and the system clock",
    download: "The server's certificate is not trusted; check the URL and the system clock",
  },
  timeout: {
    provider: "Check your connection and try again",
    page: "The site is slow or unreachable; try again later",
    download: "Check your connection and run the same command again; a partial download resumes",
  },
  network: {
    provider: "Check your connection and try again",
    page: "Check your network connection and try again",
    download: "Check your connection and run the same command again; a partial download resumes",
  },
};

const TLS_CODE =
  /^(?:ERR_TLS|ERR_SSL|ERR_OSSL|ERR_CERT|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/;
// Socket failures only: a file-system code (ENOSPC while saving a download) is not the network's.
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

function kindOf(code: string): NetworkKind | undefined {
  if (code === "ENOTFOUND" || code.startsWith("EAI_")) return "dns";
  if (code === "ECONNREFUSED") return "connection_refused";
  if (TLS_CODE.test(code)) return "tls";
  if (code === "ETIMEDOUT" || code.endsWith("_TIMEOUT")) return "timeout";
  return NETWORK_CODES.has(code) ? "network" : undefined;
}

/** The error, its causes and an AggregateError's members (undici and fetch wrap the socket error). */
function* chain(error: unknown, depth = 0): Generator<unknown> {
  for (let e = error; e != null && depth < 8; depth++) {
    yield e;
    if (e instanceof AggregateError) for (const inner of e.errors) yield* chain(inner, depth + 1);
    e = (e as { cause?: unknown }).cause;
  }
}

/**
 * The one mapping of a failed connection (DNS, refused, TLS, timeout, reset) to an LlmuxError,
 * for the library, the reader and the model downloader alike; undefined when `error` is not a
 * connection failure, for the caller's own fallback.
 */
export function classifyNetworkError(error: unknown, target: NetworkTarget): LlmuxError | undefined {
  for (const e of chain(error)) {
    const code = (e as { code?: unknown }).code;
    const kind = typeof code === "string" ? kindOf(code) : undefined;
    if (!kind) continue;
    const said = e instanceof Error && e.message ? e.message.replace(/\s+/g, " ") : String(code);
    const { name } = target;
    const message = {
      dns: `Could not resolve the address of ${name} (${said})`,
      connection_refused: `${name} refused the connection (${said})`,
      tls: `TLS error talking to ${name} (${said})`,
      timeout: `${name} did not answer in time (${said})`,
      network: `The connection to ${name} failed (${said})`,
    }[kind];
    return new LlmuxError(kind, target.suffix ? `${message} ${target.suffix}` : message, {
      hint: HINTS[kind][target.reaching],
      cause: error,
    });
  }
  return undefined;
}
