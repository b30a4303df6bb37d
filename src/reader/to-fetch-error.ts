import { isLlmuxError, LlmuxError } from "../core/errors.ts";

const TLS_CODE = /^(?:ERR_TLS|ERR_SSL|ERR_OSSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/;

/** The error and its causes, outermost first (undici and fetch wrap the socket error). */
function* chain(error: unknown): Generator<unknown> {
  for (let e = error, depth = 0; e != null && depth < 8; depth++) {
    yield e;
    e = (e as { cause?: unknown }).cause;
  }
}

/** Maps a failed HTTP(S) request to the LlmuxError a user sees: dns, connection_refused, tls, fetch_timeout… */
export function toFetchError(error: unknown, url: string): LlmuxError {
  const host = URL.canParse(url) ? new URL(url).host : url;
  for (const e of chain(error)) {
    if (isLlmuxError(e)) return e;
    const code = String((e as { code?: unknown }).code ?? "");
    if (code === "ENOTFOUND" || code.startsWith("EAI_"))
      return new LlmuxError("dns", `Could not resolve host ${host}`, {
        hint: "check the address for typos and your network connection",
        cause: error,
      });
    if (code === "ECONNREFUSED")
      return new LlmuxError("connection_refused", `Connection refused by ${host}`, {
        hint: "the server is down or the port is wrong",
        cause: error,
      });
    if (TLS_CODE.test(code))
      return new LlmuxError("tls", `TLS error talking to ${host}: ${(e as Error).message}`, {
        hint: "the site's certificate is not trusted; check the address and the system clock",
        cause: error,
      });
    if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT" || code.endsWith("_TIMEOUT"))
      return new LlmuxError("fetch_timeout", `Timed out connecting to ${host}`, {
        hint: "the site is slow or unreachable; try again later",
        cause: error,
      });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LlmuxError("network", `Could not fetch ${url}: ${message}`, {
    hint: "check your network connection",
    cause: error,
  });
}
