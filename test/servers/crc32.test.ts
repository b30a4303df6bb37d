import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32 } from "./crc32.ts";

test("crc32 matches the standard check value and known vectors", () => {
  const ascii = (s: string) => new TextEncoder().encode(s);
  assert.equal(crc32(ascii("123456789")), 0xcbf43926);
  assert.equal(crc32(ascii("")), 0);
  assert.equal(crc32(ascii("The quick brown fox jumps over the lazy dog")), 0x414fa339);
});
