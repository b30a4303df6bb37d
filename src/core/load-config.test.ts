import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { makeTempDir } from "../../test/support/make-temp-dir.ts";
import { isLlmuxError } from "./errors.ts";
import { loadConfig } from "./load-config.ts";

function folder(): string {
  return makeTempDir("llmux-config-");
}

test(".env in the working directory fills in what the environment does not set", () => {
  const cwd = folder();
  writeFileSync(join(cwd, ".env"), "OPENAI_API_KEY=from-dotenv\nGROQ_API_KEY='quoted value'\n# a comment\n");
  const config = loadConfig({ cwd, env: { OPENAI_API_KEY: "from-env", LLMUX_HOME: cwd } });
  assert.equal(config.env.OPENAI_API_KEY, "from-env", "real environment variables win");
  assert.equal(config.env.GROQ_API_KEY, "quoted value");
});

test("LLMUX_HOME holds the config file, the database and the models", () => {
  const home = folder();
  writeFileSync(
    join(home, "config.json"),
    JSON.stringify({ defaultModel: "openai:gpt-4o", aliases: { fast: "groq:x" } }),
  );
  const config = loadConfig({ cwd: home, env: { LLMUX_HOME: home } });
  assert.equal(config.file.defaultModel, "openai:gpt-4o");
  assert.equal(config.file.aliases.fast, "groq:x");
  assert.equal(config.paths.database, join(home, "llmux.db"));
  assert.equal(config.paths.models, join(home, "models"));
});

test("without LLMUX_HOME the XDG directories are used", () => {
  const config = loadConfig({
    cwd: folder(),
    env: { HOME: "/home/u", XDG_CONFIG_HOME: "/cfg", XDG_DATA_HOME: "/data" },
  });
  assert.equal(config.configPath, "/cfg/llmux/config.json");
  assert.equal(config.paths.database, "/data/llmux/llmux.db");
  assert.equal(config.paths.models, "/home/u/.cache/llmux/models");
});

test("a broken config file is a config error that names the file and the problem", () => {
  const home = folder();
  writeFileSync(join(home, "config.json"), "{ not json");
  assert.throws(
    () => loadConfig({ cwd: home, env: { LLMUX_HOME: home } }),
    (error) =>
      isLlmuxError(error) && error.kind === "config" && /config\.json is not valid JSON/.test(error.message),
  );
  writeFileSync(join(home, "config.json"), JSON.stringify({ maxRetries: "three" }));
  assert.throws(
    () => loadConfig({ cwd: home, env: { LLMUX_HOME: home } }),
    (error) => isLlmuxError(error) && error.exitCode === 3 && /maxRetries/.test(error.message),
  );
});

test("--config must point at an existing file", () => {
  const cwd = folder();
  assert.throws(
    () => loadConfig({ cwd, configPath: "missing.json", env: {} }),
    (error) => isLlmuxError(error) && error.kind === "config" && /does not exist/.test(error.message),
  );
});
