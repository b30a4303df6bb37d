import assert from "node:assert/strict";
import { test } from "node:test";
import { type ErrorKind, EXIT_CODES, LlmuxError } from "../../core/errors.ts";
import { RequestError } from "./request-error.ts";
import { toOpenAIError } from "./to-openai-error.ts";

test("request errors keep their status, param and code", () => {
  const error = new RequestError(400, "Invalid value for temperature", {
    param: "temperature",
    code: "invalid_value",
  });
  assert.deepEqual(toOpenAIError(error), {
    status: 400,
    body: {
      error: {
        message: "Invalid value for temperature",
        type: "invalid_request_error",
        param: "temperature",
        code: "invalid_value",
      },
    },
  });
});

test("LlmuxErrors keep an upstream status, else get their kind's; secrets are scrubbed", () => {
  const limited = toOpenAIError(new LlmuxError("rate_limited", "OpenAI is rate-limiting", { status: 429 }));
  assert.equal(limited.status, 429);
  assert.equal(limited.body.error.type, "rate_limit_error");
  assert.equal(limited.body.error.code, "rate_limited");
  const down = toOpenAIError(new LlmuxError("network", "refused", { hint: "Is it running?" }));
  assert.equal(down.status, 502);
  assert.equal(down.body.error.type, "server_error");
  assert.equal(down.body.error.message, "refused. Is it running?");
  const leaky = toOpenAIError(new LlmuxError("auth", "bad key sk-abcdefghijklmnop", { status: 401 }));
  assert.doesNotMatch(leaky.body.error.message, /sk-abcdefghijklmnop/);
  assert.equal(toOpenAIError(new Error("boom")).status, 500);
});

test("a missing provider key is a 400 the client will not retry, typed missing_provider_key", () => {
  const { status, body } = toOpenAIError(
    new LlmuxError("missing_key", "No API key for OpenAI: OPENAI_API_KEY is not set", {
      hint: "Set OPENAI_API_KEY in your environment or .env",
    }),
  );
  assert.equal(status, 400);
  assert.equal(body.error.type, "missing_provider_key");
  assert.equal(body.error.code, "missing_key");
  assert.match(
    body.error.message,
    /^No API key for OpenAI: OPENAI_API_KEY is not set\. The gateway's operator/,
  );
  assert.doesNotMatch(body.error.message, /your environment/);
});

test("no kind lets a hint that names a CLI flag or command reach an HTTP client", () => {
  for (const kind of Object.keys(EXIT_CODES) as ErrorKind[]) {
    for (const hint of [
      "Pass --allow-private to read it",
      "Run `llmux models` to see the catalog",
      "Download it with `npx llmux pull x`",
    ]) {
      const { message } = toOpenAIError(new LlmuxError(kind, "It failed", { hint })).body.error;
      assert.doesNotMatch(message, /--allow-private|llmux (models|pull)/, `${kind}: ${message}`);
      assert.match(message, /^It failed/);
    }
  }
  const plain = toOpenAIError(new LlmuxError("rate_limited", "Slow down", { hint: "Wait a moment" }));
  assert.equal(plain.body.error.message, "Slow down. Wait a moment", "other hints are kept");
});
