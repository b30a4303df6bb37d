import assert from "node:assert/strict";
import { test } from "node:test";
import { isLoopbackHost } from "./is-loopback-host.ts";

test("loopback addresses and names only", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) {
    assert.equal(isLoopbackHost(host), true, host);
  }
  for (const host of ["0.0.0.0", "::", "192.168.1.2", "example.com", "127.example.com"]) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});
