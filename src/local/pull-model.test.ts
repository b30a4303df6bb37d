import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { serveFile } from "../../test/support/serve-file.ts";
import { writeGguf } from "../../test/support/write-gguf.ts";
import { isLlmuxError } from "../core/errors.ts";
import type { DownloadProgress } from "./download-file.ts";
import { pullModel } from "./pull-model.ts";

let dir: string;
let model: Buffer;
let sha256: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "llmux-pull-"));
  const written = await writeGguf(join(dir, "source.gguf"));
  model = await readFile(written.path);
  sha256 = written.sha256;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
function store(): string {
  return join(dir, `store-${++counter}`);
}
const hf = "hf:org/repo/model.gguf";
const envFor = (origin: string) => ({ HF_ENDPOINT: `${origin}/hub` });

function failsWith(kind: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(isLlmuxError(error), `expected an LlmuxError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

async function installed(modelsDir: string): Promise<string[]> {
  return (await readdir(modelsDir).catch(() => [] as string[])).filter((f) => !f.startsWith("."));
}

async function partialSize(modelsDir: string, name = "model"): Promise<number> {
  return (await stat(join(modelsDir, ".partial", `${name}.gguf.partial`))).size;
}

test("pulls from the hub through its redirect, verifies the sha256 and installs with a manifest", async () => {
  const server = await serveFile(model, { etag: sha256 });
  const modelsDir = store();
  const progress: DownloadProgress[] = [];
  try {
    const pulled = await pullModel(hf, {
      modelsDir,
      env: envFor(server.origin),
      onProgress: (p) => progress.push(p),
    });
    assert.equal(pulled.name, "model");
    assert.equal(pulled.sha256, sha256);
    assert.equal(pulled.alreadyInstalled, false);
    assert.deepEqual(await readFile(pulled.path), model);
    assert.deepEqual((await installed(modelsDir)).sort(), ["model.gguf", "model.json"]);
    const manifest = JSON.parse(await readFile(join(modelsDir, "model.json"), "utf8"));
    assert.equal(manifest.sha256, sha256);
    assert.equal(manifest.sizeBytes, model.length);
    assert.equal(manifest.source, `${server.origin}/hub/org/repo/resolve/main/model.gguf`);
    assert.equal(manifest.commit, "0123456789abcdef0123456789abcdef01234567");
    assert.equal(progress.at(-1)?.receivedBytes, model.length);
    assert.equal(progress.at(-1)?.totalBytes, model.length);

    const requestsBefore = server.requests.length;
    const again = await pullModel(hf, { modelsDir, env: envFor(server.origin) });
    assert.equal(again.alreadyInstalled, true);
    assert.equal(server.requests.length, requestsBefore, "nothing downloaded the second time");
  } finally {
    await server.close();
  }
});

test("a catalog name (with or without local:) pulls the catalog's hub file under the catalog name", async () => {
  const server = await serveFile(model, { etag: sha256 });
  const modelsDir = store();
  try {
    const pulled = await pullModel("tiny:1b", {
      modelsDir,
      env: envFor(server.origin),
      findGguf: (name) => (name === "tiny:1b" ? { repo: "org/tiny", file: "tiny-Q4_K_M.gguf" } : undefined),
    });
    assert.equal(pulled.name, "tiny:1b");
    assert.equal(pulled.path, join(modelsDir, "tiny-1b.gguf"));
    assert.equal(server.requests[0]?.path, "/hub/org/tiny/resolve/main/tiny-Q4_K_M.gguf");
    // The name as `llmux models` prints it is the same model, already installed.
    const again = await pullModel("local:tiny:1b", {
      modelsDir,
      env: envFor(server.origin),
      findGguf: (name) => (name === "tiny:1b" ? { repo: "org/tiny", file: "tiny-Q4_K_M.gguf" } : undefined),
    });
    assert.equal(again.name, "tiny:1b");
    assert.equal(again.alreadyInstalled, true);
    await assert.rejects(
      pullModel("nonesuch:9b", { modelsDir, findGguf: () => undefined }),
      failsWith("model_not_found", /not a model in the catalog/),
    );
  } finally {
    await server.close();
  }
});

test("an interrupted download resumes with Range and ends with the right file", async () => {
  const server = await serveFile(model, { etag: sha256, cutFirstResponseAfter: 200_000 });
  const modelsDir = store();
  try {
    await assert.rejects(
      pullModel(hf, { modelsDir, env: envFor(server.origin) }),
      failsWith("network", /after 200000 of \d+ bytes; the partial file is kept/),
    );
    assert.deepEqual(await installed(modelsDir), []);
    const kept = await partialSize(modelsDir);
    assert.ok(kept > 0 && kept < model.length, `partial of ${kept} bytes`);

    const pulled = await pullModel(hf, { modelsDir, env: envFor(server.origin) });
    assert.equal(pulled.sha256, sha256);
    assert.deepEqual(await readFile(pulled.path), model);
    const resumed = server.requests.filter((r) => r.path.startsWith("/cdn/")).at(-1);
    assert.deepEqual(resumed, {
      path: "/cdn/org/repo/resolve/main/model.gguf",
      range: `bytes=${kept}-`,
      status: 206,
    });
  } finally {
    await server.close();
  }
});

test("a server that ignores Range gets a clean restart, not a doubled file", async () => {
  const server = await serveFile(model, { etag: sha256, cutFirstResponseAfter: 100_000, ignoreRange: true });
  const modelsDir = store();
  try {
    await assert.rejects(pullModel(hf, { modelsDir, env: envFor(server.origin) }));
    const pulled = await pullModel(hf, { modelsDir, env: envFor(server.origin) });
    assert.deepEqual(await readFile(pulled.path), model);
  } finally {
    await server.close();
  }
});

test("a checksum mismatch deletes the download and installs nothing", async () => {
  const server = await serveFile(model, { etag: "ab".repeat(32) });
  const modelsDir = store();
  try {
    await assert.rejects(
      pullModel(hf, { modelsDir, env: envFor(server.origin) }),
      failsWith("checksum_mismatch", /sha256/),
    );
    assert.deepEqual(await installed(modelsDir), []);
    await assert.rejects(partialSize(modelsDir), { code: "ENOENT" });
  } finally {
    await server.close();
  }
});

test("a server that goes away mid-download fails within seconds and keeps the partial", async () => {
  const server = await serveFile(model, { stallAfter: 150_000 });
  const modelsDir = store();
  const started = Date.now();
  const closing = server.stalled.then(() => delay(200)).then(() => server.close());
  await assert.rejects(
    pullModel(hf, { modelsDir, env: envFor(server.origin) }),
    failsWith("network", /failed \(other side closed\) after 150000 of \d+ bytes/),
  );
  await closing;
  assert.ok(Date.now() - started < 5_000);
  assert.deepEqual(await installed(modelsDir), []);
  assert.equal(await partialSize(modelsDir), 150_000);
});

test("a server that stops sending times out after the idle timeout", async () => {
  const server = await serveFile(model, { stallAfter: 10_000 });
  const modelsDir = store();
  const started = Date.now();
  try {
    await assert.rejects(
      pullModel(hf, { modelsDir, env: envFor(server.origin), idleTimeoutMs: 300 }),
      failsWith("timeout", /did not answer in time \(Body Timeout Error\) after 10000 of/),
    );
    assert.ok(Date.now() - started < 5_000);
    assert.equal(await partialSize(modelsDir), 10_000);
  } finally {
    await server.close();
  }
});

test("cancelling keeps the partial for a later resume", async () => {
  const server = await serveFile(model, { stallAfter: 50_000 });
  const modelsDir = store();
  const controller = new AbortController();
  server.stalled.then(() => delay(200)).then(() => controller.abort());
  try {
    await assert.rejects(
      pullModel(hf, { modelsDir, env: envFor(server.origin), signal: controller.signal }),
      failsWith("aborted", /cancelled/),
    );
    assert.equal(await partialSize(modelsDir), 50_000);
    assert.deepEqual(await installed(modelsDir), []);
  } finally {
    await server.close();
  }
});

test("a 404 is a clear download_failed", async () => {
  const server = await serveFile(model);
  const modelsDir = store();
  try {
    await assert.rejects(
      pullModel(`${server.origin}/nothing/here.gguf`, { modelsDir }),
      failsWith("download_failed", /HTTP 404/),
    );
    assert.deepEqual(await installed(modelsDir), []);
  } finally {
    await server.close();
  }
});

test("an unreachable host fails within seconds", async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const started = Date.now();
  await assert.rejects(
    pullModel(`http://127.0.0.1:${port}/model.gguf`, { modelsDir: store() }),
    failsWith("connection_refused", /127\.0\.0\.1:\d+ refused the connection/),
  );
  assert.ok(Date.now() - started < 5_000);
});

test("a downloaded page that is not GGUF is refused and removed", async () => {
  const server = await serveFile(Buffer.from("<html>Please log in</html>"));
  const modelsDir = store();
  try {
    await assert.rejects(
      pullModel(hf, { modelsDir, env: envFor(server.origin) }),
      failsWith("not_gguf", /not a GGUF/),
    );
    assert.deepEqual(await installed(modelsDir), []);
    await assert.rejects(partialSize(modelsDir), { code: "ENOENT" });
  } finally {
    await server.close();
  }
});

test("two pulls of one model at once yield one valid file", async () => {
  const server = await serveFile(model, { etag: sha256, delayMs: 100 });
  const modelsDir = store();
  try {
    const options = { modelsDir, env: envFor(server.origin) };
    const results = await Promise.all([pullModel(hf, options), pullModel(hf, options)]);
    assert.deepEqual(results.map((r) => r.alreadyInstalled).sort(), [false, true]);
    const bytes = await readFile(join(modelsDir, "model.gguf"));
    assert.equal(createHash("sha256").update(bytes).digest("hex"), sha256);
    assert.equal(server.requests.filter((r) => r.path.startsWith("/cdn/")).length, 1);
  } finally {
    await server.close();
  }
});

test("a local file is imported by copy; a non-GGUF one is refused", async () => {
  const modelsDir = store();
  const pulled = await pullModel(join(dir, "source.gguf"), { modelsDir, name: "imported" });
  assert.equal(pulled.sha256, sha256);
  assert.equal(pulled.source, join(dir, "source.gguf"));
  assert.deepEqual(await readFile(join(modelsDir, "imported.gguf")), model);
  const text = join(dir, "notes.gguf");
  await writeFile(text, "not a model");
  await assert.rejects(pullModel(text, { modelsDir }), failsWith("not_gguf", /notes\.gguf is not a GGUF/));
  assert.deepEqual((await installed(modelsDir)).sort(), ["imported.gguf", "imported.json"]);
});
