// `import "llmux"` (src/index.ts): what importing it loads, and that its createLlmux, which
// imports the AI SDK on the first call, behaves as the real one does.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { createLlmux, isLlmuxError, loadConfig, readPage, summarize } from "../src/index.ts";
import { type ProviderServer, readFixture, startOpenAIServer } from "./servers/index.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

const servers: ProviderServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

/** The packages a fresh process loads when it imports `module`. */
function packagesLoadedBy(module: string): Set<string> {
  const dir = makeTempDir("llmux-entry-");
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const match = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);
  if (match) process.stderr.write(\`package \${match[1]}\\n\`);
  return resolved;
}\n`,
  );
  const register = join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const child = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      register,
      "--input-type=module",
      "-e",
      `await import(${JSON.stringify(pathToFileURL(module).href)})`,
    ],
    { encoding: "utf8" },
  );
  assert.equal(child.status, 0, child.stderr);
  return new Set([...child.stderr.matchAll(/^package (\S+)$/gm)].map((m) => m[1]!));
}

test("importing the library loads neither the AI SDK, zod, nor the gateway, reader or summarizer", () => {
  assert.ok(
    packagesLoadedBy("src/gateway/openai/parse-chat-request.ts").has("zod"),
    "the hook sees the packages a module loads",
  );
  const loaded = packagesLoadedBy("src/index.ts");
  for (const heavy of [
    "ai",
    "zod",
    "@opentelemetry/api",
    "better-sqlite3",
    "linkedom",
    "@mozilla/readability",
    "turndown",
  ]) {
    assert.ok(!loaded.has(heavy), `${heavy} was loaded: ${[...loaded].join(", ")}`);
  }
  assert.equal(typeof readPage, "function");
  assert.equal(typeof summarize, "function");
});

function llmuxFor(server: ProviderServer) {
  const home = makeTempDir("llmux-entry-home-");
  const env = {
    LLMUX_HOME: home,
    OPENAI_API_KEY: "sk-test-openai-key-123456",
    OPENAI_BASE_URL: `${server.url}/v1`,
  };
  return createLlmux({ config: loadConfig({ cwd: home, env }) });
}

test("createLlmux from the entry generates and streams through the real one", async () => {
  const server = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
  servers.push(server);
  const llmux = llmuxFor(server);
  const expected = (
    readFixture("openai/chat/openai-text").json as { choices: { message: { content: string } }[] }
  ).choices[0]!.message.content;

  const generated = await llmux.generate({ model: "openai:gpt-4.1-nano", prompt: "Hello", maxRetries: 0 });
  assert.equal(generated.text, expected);

  const { textStream, result } = llmux.stream({
    model: "openai:gpt-4.1-nano",
    prompt: "Hello",
    maxRetries: 0,
  });
  let streamed = "";
  for await (const delta of textStream) streamed += delta;
  assert.equal(streamed, (await result).text);
  assert.ok(streamed.length > 0);

  assert.equal(llmux.registry.resolve("openai:gpt-4.1-nano").provider, "openai");
});

test("createLlmux from the entry throws at once for an unknown model, as the real one does", async () => {
  const server = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
  servers.push(server);
  const llmux = llmuxFor(server);
  assert.throws(
    () => llmux.stream({ model: "no-such-model-anywhere", prompt: "Hello" }),
    (error) => isLlmuxError(error) && error.kind === "model_not_found",
  );
  await assert.rejects(
    llmux.generate({ model: "no-such-model-anywhere", prompt: "Hello" }),
    (error) => isLlmuxError(error) && error.kind === "model_not_found",
  );
});
