/**
 * One failure, one kind: the same real loopback failure reached by the library (a provider), the
 * reader (a page) and the model downloader ends as the same LlmuxError kind and exit code.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lookup } from "node:dns/promises";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type ErrorKind, EXIT_CODES, isLlmuxError } from "../src/core/errors.ts";
import { downloadFile } from "../src/local/download-file.ts";
import { fetchPage } from "../src/reader/fetch-page.ts";
import { closedLoopbackUrl } from "./support/closed-loopback-url.ts";
import { makeLlmux } from "./support/make-llmux.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

const dir = makeTempDir("llmux-network-errors-");

/** The three users, each reaching `origin` its own way with short timeouts. */
const users = {
  library: (origin: string) =>
    makeLlmux({ OPENAI_API_KEY: "sk-test-openai-key-123456", OPENAI_BASE_URL: `${origin}/v1` }).generate({
      model: "openai:gpt-4.1-nano",
      prompt: "Hi",
      maxRetries: 0,
      timeoutMs: 500,
    }),
  reader: (origin: string) => fetchPage(`${origin}/page`, { allowPrivate: true, timeoutMs: 500 }),
  downloader: (origin: string) =>
    downloadFile(`${origin}/model.gguf`, join(dir, `${Math.random()}.partial`), { idleTimeoutMs: 500 }),
};

async function assertAllFailAs(origin: string, kind: ErrorKind, message: RegExp): Promise<void> {
  for (const [name, reach] of Object.entries(users)) {
    const started = Date.now();
    await assert.rejects(reach(origin), (error: unknown) => {
      assert.ok(isLlmuxError(error), `${name}: expected an LlmuxError, got ${String(error)}`);
      assert.equal(error.kind, kind, `${name}: ${error.userMessage}`);
      assert.equal(error.exitCode, EXIT_CODES[kind]);
      assert.match(error.message, message, name);
      assert.ok(error.hint, `${name} says what to do`);
      return true;
    });
    assert.ok(Date.now() - started < 5_000, `${name} took ${Date.now() - started} ms`);
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("one kind per network failure, whoever was reaching", () => {
  const servers: Server[] = [];
  after(() => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  test("a closed port is connection_refused (31)", async () => {
    await assertAllFailAs(await closedLoopbackUrl(), "connection_refused", /refused the connection/);
  });

  test("a server that never answers is a timeout (10)", async () => {
    const hanging = createHttpServer(() => {});
    servers.push(hanging);
    await assertAllFailAs(`http://${await listen(hanging)}`, "timeout", /in time|longer than/);
  });

  describe("a name that resolves nowhere is dns (30)", () => {
    let resolvesFast = false;
    before(async () => {
      // `.invalid` never resolves (RFC 6761); without a network it must still fail at once.
      resolvesFast = await Promise.race([
        lookup("nonexistent.invalid").then(
          () => false,
          () => true,
        ),
        new Promise<boolean>((resolve) => setTimeout(resolve, 2_000, false)),
      ]);
    });
    test("through the system resolver", async (t) => {
      if (!resolvesFast) return t.skip("the resolver does not fail nonexistent.invalid within 2 s");
      await assertAllFailAs("http://nonexistent.invalid", "dns", /resolve/);
    });
  });

  test("a self-signed certificate is tls (32)", async () => {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    const tls = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) =>
      res.end("ok"),
    );
    servers.push(tls);
    await assertAllFailAs(`https://${await listen(tls)}`, "tls", /TLS error/);
  });
});
