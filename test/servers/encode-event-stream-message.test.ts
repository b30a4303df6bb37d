import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32 } from "./crc32.ts";
import { encodeEventStreamMessage } from "./encode-event-stream-message.ts";

test("encodeEventStreamMessage lays out prelude, checksums, string headers and payload", () => {
  const payload = new TextEncoder().encode('{"role":"assistant"}');
  const msg = encodeEventStreamMessage({ ":event-type": "messageStart" }, payload);
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  // header: 1 (name length) + 11 (":event-type") + 1 (type) + 2 (value length) + 12 ("messageStart")
  const headersLength = 27;
  assert.equal(view.getUint32(0), msg.length);
  assert.equal(msg.length, 12 + headersLength + payload.length + 4);
  assert.equal(view.getUint32(4), headersLength);
  assert.equal(view.getUint32(8), crc32(msg.subarray(0, 8)));
  assert.equal(msg[12], 11);
  assert.equal(Buffer.from(msg.subarray(13, 24)).toString(), ":event-type");
  assert.equal(msg[24], 7);
  assert.equal(view.getUint16(25), 12);
  assert.equal(Buffer.from(msg.subarray(27, 39)).toString(), "messageStart");
  assert.equal(Buffer.from(msg.subarray(39, msg.length - 4)).toString(), '{"role":"assistant"}');
  assert.equal(view.getUint32(msg.length - 4), crc32(msg.subarray(0, msg.length - 4)));
});
