import assert from "node:assert/strict";
import { test } from "node:test";
import { redactSecrets, registerSecrets } from "./redact-secrets.ts";

test("registered values are redacted whatever their shape, longest first; short ones are left alone", () => {
  registerSecrets(["unit-secret-abcdefgh", "unit-secret-abcdefgh-longer", "short7!", undefined, ""]);
  assert.equal(
    redactSecrets("a unit-secret-abcdefgh-longer and a unit-secret-abcdefgh, short7! stays", {}),
    "a [redacted] and a [redacted], short7! stays",
  );
});
