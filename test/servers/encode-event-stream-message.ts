import { crc32 } from "./crc32.ts";

const HEADER_TYPE_STRING = 7;

/**
 * Encodes one message of the AWS event-stream binary format (used by Bedrock ConverseStream):
 * prelude (total length, headers length, both big-endian uint32) + prelude CRC32, headers
 * (name length byte, name, type 7 = string, uint16 value length, value), payload, message CRC32.
 */
export function encodeEventStreamMessage(headers: Record<string, string>, payload: Uint8Array): Uint8Array {
  const utf8 = new TextEncoder();
  const headerParts = Object.entries(headers).map(([name, value]) => {
    const n = utf8.encode(name);
    const v = utf8.encode(value);
    const part = new Uint8Array(1 + n.length + 1 + 2 + v.length);
    const view = new DataView(part.buffer);
    part[0] = n.length;
    part.set(n, 1);
    part[1 + n.length] = HEADER_TYPE_STRING;
    view.setUint16(2 + n.length, v.length);
    part.set(v, 4 + n.length);
    return part;
  });
  const headersLength = headerParts.reduce((sum, p) => sum + p.length, 0);
  const totalLength = 12 + headersLength + payload.length + 4;
  const message = new Uint8Array(totalLength);
  const view = new DataView(message.buffer);
  view.setUint32(0, totalLength);
  view.setUint32(4, headersLength);
  view.setUint32(8, crc32(message.subarray(0, 8)));
  let offset = 12;
  for (const part of headerParts) {
    message.set(part, offset);
    offset += part.length;
  }
  message.set(payload, offset);
  view.setUint32(totalLength - 4, crc32(message.subarray(0, totalLength - 4)));
  return message;
}
