import assert from "node:assert/strict";
import { test } from "node:test";
import { LlmuxError } from "../core/errors.ts";
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
