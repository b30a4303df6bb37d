import assert from "node:assert/strict";
import { test } from "node:test";
import { LlmuxError } from "../../core/errors.ts";
import { RequestError } from "../openai/request-error.ts";
import { anthropicDialect } from "./anthropic-dialect.ts";

const shaped = (error: unknown) => {
  const { status, body } = anthropicDialect.toErrorResponse(error);
  return [status, (body as { error: { type: string } }).error.type];
};

test("the gateway's errors on Anthropic's statuses and types", () => {
  assert.deepEqual(shaped(new RequestError(400, "bad")), [400, "invalid_request_error"]);
  assert.deepEqual(shaped(new RequestError(401, "no key")), [401, "authentication_error"]);
  assert.deepEqual(shaped(new RequestError(403, "not this model")), [403, "permission_error"]);
  assert.deepEqual(shaped(new LlmuxError("model_not_found", "no such model")), [404, "not_found_error"]);
  assert.deepEqual(shaped(new LlmuxError("too_large", "too big")), [413, "request_too_large"]);
  assert.deepEqual(shaped(new LlmuxError("rate_limited", "slow down")), [429, "rate_limit_error"]);
  // A busy model or gateway: Anthropic's "overloaded", which its SDKs retry.
  assert.deepEqual(shaped(new LlmuxError("busy", "queue full")), [529, "overloaded_error"]);
  assert.deepEqual(shaped(new LlmuxError("provider_error", "upstream broke")), [500, "api_error"]);
  assert.deepEqual(shaped(new LlmuxError("timeout", "slow")), [504, "timeout_error"]);
  assert.deepEqual(shaped(new RequestError(415, "not JSON")), [400, "invalid_request_error"]);
  assert.deepEqual(shaped(new Error("boom")), [500, "api_error"]);
});

test("the body is Anthropic's error object, with the gateway's message scrubbed of secrets", () => {
  const { body } = anthropicDialect.toErrorResponse(
    new LlmuxError("auth", "Refused key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789"),
  );
  assert.deepEqual(Object.keys(body as object), ["type", "error"]);
  const { type, error } = body as { type: string; error: { type: string; message: string } };
  assert.equal(type, "error");
  assert.deepEqual(Object.keys(error), ["type", "message"]);
  assert.doesNotMatch(error.message, /abcdefghijklmnop/);
});
