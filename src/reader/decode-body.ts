// windows-1252's printable characters at 0x80-0x9F; Node 20 decodes "windows-1252" as ISO-8859-1,
// leaving C1 control characters there (undefined slots map to themselves).
const CP1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function decode(decoder: TextDecoder, bytes: Uint8Array): { text: string; charset: string } {
  const text = decoder.decode(bytes);
  if (decoder.encoding !== "windows-1252") return { text, charset: decoder.encoding };
  return {
    text: text.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c),
    charset: "windows-1252",
  };
}

/** Returns a TextDecoder for a charset label, or null when the label is unknown. */
function decoderFor(label: string | undefined): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().replace(/^["']|["']$/g, ""));
  } catch {
    return null;
  }
}

function bomCharset(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  return null;
}

const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i;

/**
 * Decodes a page body to text, picking the charset as browsers do (WHATWG encoding sniffing):
 * a byte-order mark wins (it is unambiguous), then the Content-Type charset, then a
 * `<meta charset>` / `http-equiv` declaration in the first bytes, then UTF-8 when the bytes are
 * valid UTF-8, else windows-1252 (the web's legacy default).
 */
export function decodeBody(bytes: Uint8Array, headerCharset?: string): { text: string; charset: string } {
  const fromBom = decoderFor(bomCharset(bytes) ?? undefined);
  if (fromBom) return decode(fromBom, bytes);
  const fromHeader = decoderFor(headerCharset);
  if (fromHeader) return decode(fromHeader, bytes);
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  const fromMeta = decoderFor(META_CHARSET.exec(head)?.[1]);
  // A page that declares UTF-16 in its own (ASCII-readable) markup is not UTF-16.
  if (fromMeta && !fromMeta.encoding.startsWith("utf-16")) {
    return decode(fromMeta, bytes);
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), charset: "utf-8" };
  } catch {
    return decode(new TextDecoder("windows-1252"), bytes);
  }
}
