// `llmux serve` as the built binary when it cannot listen: one line on stderr, its own exit code.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { test } from "node:test";
import { EXIT_CODES } from "../src/core/errors.ts";
import { runCli } from "./support/run-cli.ts";

test("a port already in use exits with address_in_use's code, naming the port and what to do", async () => {
  const other = createServer().listen(0, "127.0.0.1");
  await once(other, "listening");
  const { port } = other.address() as AddressInfo;
  try {
    const run = await runCli(["serve", "--port", String(port)], { timeoutMs: 20_000 });
    assert.equal(run.code, EXIT_CODES.address_in_use);
    assert.equal(run.code, 15, "the README's exit-code table says 15");
    assert.equal(run.stdout, "", "no URL: nothing is listening");
    const lines = run.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.equal(
      lines[0],
      `llmux: Port ${port} on 127.0.0.1 is already in use. Stop the process that listens there, or pick another port with --port N (--port 0 picks a free one)`,
    );
  } finally {
    other.close();
  }
});
