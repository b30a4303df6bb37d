import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyNetworkError } from "./classify-network-error.ts";

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
const page = { reaching: "page", name: "example.com" } as const;

test("finds the code however deep undici and fetch wrap it, AggregateError members included", () => {
  const wrapped = new TypeError("fetch failed", {
    cause: new AggregateError([coded("ECONNREFUSED", "connect ECONNREFUSED ::1:80")], "connect failed"),
  });
  const error = classifyNetworkError(wrapped, page);
  assert.equal(error?.kind, "connection_refused");
  assert.equal(error?.message, "example.com refused the connection (connect ECONNREFUSED ::1:80)");
  assert.equal(error?.cause, wrapped);
});

test("each code has one kind, and the context changes only the hint", () => {
  const cases = {
    ENOTFOUND: "dns",
    EAI_AGAIN: "dns",
    ECONNREFUSED: "connection_refused",
    DEPTH_ZERO_SELF_SIGNED_CERT: "tls",
    ERR_TLS_CERT_ALTNAME_INVALID: "tls",
    UND_ERR_CONNECT_TIMEOUT: "timeout",
    UND_ERR_BODY_TIMEOUT: "timeout",
    ETIMEDOUT: "timeout",
    ECONNRESET: "network",
    UND_ERR_SOCKET: "network",
    EHOSTUNREACH: "network",
  };
  for (const [code, kind] of Object.entries(cases)) {
    const hints = new Set<string | undefined>();
    for (const reaching of ["provider", "page", "download"] as const) {
      const error = classifyNetworkError(coded(code), { reaching, name: "x" });
      assert.equal(error?.kind, kind, `${code} reaching a ${reaching}`);
      hints.add(error?.hint);
    }
    assert.ok(![...hints].includes(undefined), code);
  }
});

test("what is not a connection failure is left to the caller", () => {
  for (const error of [coded("ENOSPC"), coded("ERR_INVALID_URL"), new Error("boom"), "text", undefined]) {
    assert.equal(classifyNetworkError(error, page), undefined);
  }
});
