import assert from "node:assert/strict";
import { test } from "node:test";
import { checkMediaType, contentKind } from "./content-kind.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const RSS =
  '<?xml version="1.0"?>\n<?xml-stylesheet href="/s.xsl"?>\n<!-- feed -->\n<rss version="2.0"><channel/></rss>';

test("declared types: pages, text, PDF and feeds", () => {
  assert.equal(contentKind("text/html; charset=utf-8", bytes("<p>x")), "html");
  assert.equal(contentKind("application/pdf", bytes("%PDF-1.7")), "pdf");
  assert.equal(contentKind("application/rss+xml", bytes(RSS)), "feed");
  assert.equal(contentKind("application/atom+xml", bytes("<feed/>")), "feed");
  assert.equal(contentKind("text/markdown", bytes("# x")), "markdown");
});

test("the bytes decide for PDF magic, generic XML, text that is a feed, and untyped bodies", () => {
  for (const type of [undefined, "application/octet-stream", "binary/octet-stream", "text/plain"]) {
    assert.equal(contentKind(type, bytes("%PDF-1.4\n%\xe2\xe3")), "pdf", String(type));
    assert.equal(contentKind(type, bytes(RSS)), "feed", String(type));
  }
  assert.equal(contentKind("text/xml", bytes('\ufeff<feed xmlns="http://www.w3.org/2005/Atom">')), "feed");
  assert.equal(contentKind("application/xml", bytes("<rdf:RDF xmlns:rdf='x'>")), "feed");
  assert.throws(
    () => contentKind("application/xml", bytes("<urlset/>")),
    /application\/xml is not supported/,
  );
  assert.equal(contentKind(undefined, bytes("<!doctype html><p>x")), "html");
  assert.equal(contentKind(undefined, bytes("plain words")), "text");
  assert.throws(() => contentKind(undefined, bytes("\u0000\u0001binary")), /binary data is not supported/);
});

test("types refused before their body is read; generic and feed types pass", () => {
  for (const type of ["image/png", "application/json", "application/zip", "video/mp4"]) {
    assert.throws(() => checkMediaType(type), /is not supported/, type);
  }
  for (const type of [
    "",
    "application/pdf",
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/octet-stream",
  ]) {
    assert.doesNotThrow(() => checkMediaType(type), type);
  }
});
