// PDFs read through pdf.js in the extraction worker: real PDF files (written by
// test/support/write-pdf.ts) served over loopback HTTP with their content type, as untyped
// bytes, and read from local files.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { LlmuxError } from "../src/core/errors.ts";
import { extractPdfInWorker } from "../src/reader/extract-in-worker.ts";
import { type ReadPage, readPage } from "../src/reader/read-page.ts";
import { type Served, serve } from "./reader-serve.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";
import { reportPages, sentence, writePdf } from "./support/write-pdf.ts";

const REPORT = writePdf(reportPages(4), {
  title: "River Report",
  author: "A. Hydrologist",
  created: "D:20240501120000+02'00'",
});
const SHORT = writePdf(reportPages(2));
const SCAN = writePdf([{ image: true }, { image: true }, { image: true }]);
const LOCKED = writePdf(reportPages(1), { passwordProtected: true });
const BROKEN = Buffer.from(
  "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nthe rest of this file was lost\n",
);

let server: Served;
before(async () => {
  const files: Record<string, [Buffer, string]> = {
    "/report.pdf": [REPORT, "application/pdf"],
    "/download": [REPORT, "application/octet-stream"],
    "/scan.pdf": [SCAN, "application/pdf"],
  };
  server = await serve((req, res) => {
    const file = files[req.url ?? ""];
    if (file) res.writeHead(200, { "content-type": file[1], "content-length": file[0].length }).end(file[0]);
    else res.writeHead(404).end();
  });
});
after(() => server.close());

const local = { allowPrivate: true };

function save(name: string, bytes: Buffer): string {
  const path = join(makeTempDir("llmux-pdf-"), name);
  writeFileSync(path, bytes);
  return path;
}

function rejectsWith(kind: string, message: RegExp, hint?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof LlmuxError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    if (hint) assert.match(error.hint ?? "", hint);
    return true;
  };
}

/** The report of reportPages(4): what every way of reading it must give. */
function assertReport(page: ReadPage) {
  assert.equal(page.kind, "pdf");
  assert.equal(page.title, "River Report");
  assert.equal(page.byline, "A. Hydrologist");
  assert.equal(page.published, "2024-05-01T10:00:00.000Z");
  const blocks = page.markdown.split("\n\n");
  assert.deepEqual(blocks.slice(0, 3), [
    "# River Report",
    "A. Hydrologist · 2024-05-01T10:00:00.000Z",
    "## Section 1: Measurements",
  ]);
  // Every page: a marker (from page 2), its heading, three paragraphs joined from their lines.
  for (let p = 2; p <= 4; p++) {
    const at = blocks.indexOf(`<!-- page ${p} -->`);
    assert.ok(at > 0, `page ${p} marker`);
    assert.equal(blocks[at + 1], `## Section ${p}: Measurements`);
    assert.equal(blocks[at + 2], [sentence(p * 10), sentence(p * 10 + 1), sentence(p * 10 + 2)].join(" "));
  }
  assert.equal(blocks.filter((b) => b.startsWith("## ")).length, 4);
  assert.equal(blocks.filter((b) => !b.startsWith("#") && !b.startsWith("<!--")).length, 1 + 4 * 3);
  assert.doesNotMatch(page.markdown, /^\d+$/m, "page numbers are not content");
  assert.ok(page.wordCount > 4 * 3 * 3 * 14, `${page.wordCount} words`);
  assert.doesNotMatch(page.text, /<!--|#/);
}

describe("PDFs", () => {
  test("a PDF URL (application/pdf): title and author, headings by font size, paragraphs, page markers", async () => {
    const page = await readPage(`${server.origin}/report.pdf`, local);
    assertReport(page);
    assert.equal(page.url, `${server.origin}/report.pdf`);
    assert.ok(page.timings.extractMs > 0);
  });

  test("a PDF served as application/octet-stream is known by its magic bytes", async () => {
    assertReport(await readPage(`${server.origin}/download`, local));
  });

  test("a local PDF file, and one without a .pdf name", async () => {
    assertReport(await readPage(save("report.pdf", REPORT)));
    assertReport(await readPage(save("report.bin", REPORT)));
  });

  test("without metadata the title is the first heading; a short document has no page markers", async () => {
    const page = await readPage(save("short.pdf", SHORT));
    assert.equal(page.title, "River Report");
    assert.match(page.markdown, /^# River Report\n\n## Section 1: Measurements\n\nRiver and the where/);
    assert.match(page.markdown, /\n\n## Section 2: Measurements\n\n/);
    assert.doesNotMatch(page.markdown, /<!-- page/);
    assert.equal(page.byline, null);
  });

  test("a scanned PDF (an image, no text layer) says so: llmux does not OCR", async () => {
    await assert.rejects(
      readPage(`${server.origin}/scan.pdf`, local),
      rejectsWith("nothing_extracted", /no text layer \(a scan\?\)/, /does not OCR/),
    );
  });

  test("a password-protected PDF and a damaged one are clear errors", async () => {
    await assert.rejects(
      readPage(save("locked.pdf", LOCKED)),
      rejectsWith("unsupported_content", /protected by a password/),
    );
    await assert.rejects(
      readPage(save("broken.pdf", BROKEN)),
      rejectsWith("nothing_extracted", /damaged or not a PDF/),
    );
  });

  test("the HTML size cap and worker deadline hold for PDFs", async () => {
    await assert.rejects(
      readPage(`${server.origin}/report.pdf`, { ...local, maxBytes: 1000 }),
      rejectsWith("too_large", /larger than/),
    );
    await assert.rejects(
      readPage(save("big.pdf", REPORT), { maxBytes: 1000 }),
      rejectsWith("too_large", /larger/),
    );
    await assert.rejects(
      extractPdfInWorker(writePdf(reportPages(300)), { deadlineMs: 50 }),
      rejectsWith("page_too_complex", /^Extracting the PDF took longer than 0\.05 s$/),
    );
    // The pool replaced the worker it stopped.
    assertReport({ url: "", ...(await extractPdfInWorker(REPORT)), timings: { fetchMs: 0, extractMs: 0 } });
  });
});
